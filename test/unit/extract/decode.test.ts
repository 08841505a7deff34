import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeHtml, charsetFromContentType, charsetFromMeta } from '../../../crawlers/extract/decode.ts';
import { toWindows1258 } from './helpers.ts';

const VI = 'Người dân phản ánh ô nhiễm ở phường Rạch Giá; Ủy ban nhân dân tỉnh đã kiểm tra, quận Ninh Kiều.';
const page = (head: string, text: string): string =>
  `<!DOCTYPE html><html><head>${head}<title>Tin tức</title></head><body><p>${text}</p></body></html>`;

describe('decodeHtml', () => {
  it('decodes plain UTF-8 without any declaration', () => {
    const r = decodeHtml(Buffer.from(page('', VI), 'utf8'));
    expect(r.charset).toBe('utf-8');
    expect(r.html).toContain(VI);
  });

  it('strips a UTF-8 BOM and lets it win over a wrong header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('', VI), 'utf8')]);
    const r = decodeHtml(bytes, 'text/html; charset=windows-1252');
    expect(r.charset).toBe('utf-8');
    expect(r.html.startsWith('<!DOCTYPE')).toBe(true);
    expect(r.html).toContain(VI);
  });

  it('decodes windows-1258 declared in <meta> and NFC-normalizes the combining tone marks', () => {
    const html = page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">', VI);
    const bytes = toWindows1258(html);
    expect(bytes.includes(0xcc)).toBe(true); // combining grave stored as its own byte
    const r = decodeHtml(bytes);
    expect(r.charset).toBe('windows-1258');
    expect(r.html).toContain(VI);
    expect(r.html).toBe(r.html.normalize('NFC'));
  });

  it('decodes windows-1258 declared only in the HTTP header', () => {
    const r = decodeHtml(toWindows1258(page('', VI)), 'text/html; charset=windows-1258');
    expect(r.charset).toBe('windows-1258');
    expect(r.html).toContain(VI);
  });

  it('detects undeclared windows-1258 from its Vietnamese byte pattern', () => {
    const r = decodeHtml(toWindows1258(page('', `${VI} ${VI}`)));
    expect(r.charset).toBe('windows-1258');
    expect(r.html).toContain(VI);
  });

  it('reads <meta charset> windows-1252', () => {
    const bytes = iconv.encode(
      page('<meta charset="windows-1252">', 'Café “Sài Gòn” – giá 50 €'),
      'windows-1252',
    );
    const r = decodeHtml(bytes);
    expect(r.charset).toBe('windows-1252');
    expect(r.html).toContain('Café “Sài Gòn” – giá 50 €');
  });

  it('treats an ISO-8859-1 header on valid UTF-8 bytes as UTF-8 (a common server default)', () => {
    const r = decodeHtml(Buffer.from(page('', VI), 'utf8'), 'text/html; charset=ISO-8859-1');
    expect(r.charset).toBe('utf-8');
    expect(r.html).toContain(VI);
  });

  it('ignores a utf-8 header when the bytes are windows-1258 and the meta says so', () => {
    const bytes = toWindows1258(page('<meta charset="windows-1258">', VI));
    const r = decodeHtml(bytes, 'text/html; charset=utf-8');
    expect(r.charset).toBe('windows-1258');
    expect(r.html).toContain(VI);
  });

  it('decodes UTF-16LE with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page('', VI), 'utf16le')]);
    const r = decodeHtml(bytes);
    expect(r.charset).toBe('utf-16le');
    expect(r.html).toContain(VI);
  });

  it('treats a UTF-16 meta label on ASCII-compatible bytes as UTF-8', () => {
    const r = decodeHtml(Buffer.from(page('<meta charset="utf-16">', VI), 'utf8'));
    expect(r.charset).toBe('utf-8');
    expect(r.html).toContain(VI);
  });

  it('never throws: unknown labels, empty input, broken UTF-8', () => {
    expect(decodeHtml(new Uint8Array(0))).toEqual({ html: '', charset: 'utf-8' });
    const r = decodeHtml(
      Buffer.from(page('<meta charset="x-klingon">', 'abc'), 'utf8'),
      'text/html; charset=nonsense',
    );
    expect(r.charset).toBe('utf-8');
    const broken = decodeHtml(
      Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0xfe, 0xfd, 0x41, 0x3c, 0x2f, 0x70, 0x3e]),
    );
    expect(typeof broken.html).toBe('string');
    expect(broken.html).toContain('A');
  });
});

describe('charset helpers', () => {
  it('reads the header charset with quotes and other parameters', () => {
    expect(charsetFromContentType('text/html; charset="UTF-8"; foo=bar')).toBe('utf-8');
    expect(charsetFromContentType('text/html;charset=cp1258')).toBe('windows-1258');
    expect(charsetFromContentType('text/html')).toBeNull();
  });
  it('skips commented-out meta tags', () => {
    const b = Buffer.from('<!-- <meta charset="windows-1252"> --><meta charset="utf-8">', 'utf8');
    expect(charsetFromMeta(b)).toBe('utf-8');
  });
});
