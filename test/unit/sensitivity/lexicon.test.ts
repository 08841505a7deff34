import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEXICON_DIR, loadLexicon } from '../../../pipeline/sensitivity/lexicon.ts';
import { prepareDoc } from '../../../pipeline/sensitivity/text.ts';
import { evidence, fired, lexicon } from './helpers.ts';

describe('lexicon files', () => {
  it('load, validate and cover the nine fixed category codes', () => {
    const lex = lexicon();
    expect([...lex.categories.keys()].sort()).toEqual(
      [
        'accident',
        'activity',
        'complaint',
        'environment',
        'health',
        'land',
        'press_conduct',
        'public_order',
        'violation',
      ].sort(),
    );
    expect(lex.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  function brokenCopy(file: string, edit: (s: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'lex-'));
    cpSync(DEFAULT_LEXICON_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
    return dir;
  }

  it('names the file and the field of a schema error', () => {
    const dir = brokenCopy('categories.yaml', (s) =>
      s.replace('{ term: sai phạm, weight: 1.2 }', '{ term: sai phạm, weight: -1 }'),
    );
    expect(() => loadLexicon(dir)).toThrow(/categories\.yaml: categories\.0\.terms\.0\.weight/);
  });

  it('rejects an unknown category code', () => {
    const dir = brokenCopy('categories.yaml', (s) => s.replace('code: land', 'code: land_use'));
    expect(() => loadLexicon(dir)).toThrow(/categories\.yaml: categories\.2\.code/);
  });

  it('rejects a phrase defined twice, naming both places', () => {
    const dir = brokenCopy('tone.yaml', (s) =>
      s.replace('  - { term: thờ ơ, weight: 1.1 }', '  - { term: tham nhũng, weight: 1.1 }'),
    );
    expect(() => loadLexicon(dir)).toThrow(
      /tone\.yaml: negative\.\d+: phrase "tham nhũng" is already defined in categories\.yaml/,
    );
  });

  it('rejects a strongIf naming no modifier', () => {
    const dir = brokenCopy('categories.yaml', (s) =>
      s.replace('strongIf: officials }', 'strongIf: ministers }'),
    );
    expect(() => loadLexicon(dir)).toThrow(/strongIf: unknown modifier "ministers"/);
  });
});

describe('matching on syllables, with and without diacritics', () => {
  it('matches a multi-syllable term written with diacritics', () => {
    expect(fired(evidence('Cán bộ xã bị bắt vì nhận hối lộ'))).toEqual(['bị bắt', 'nhận hối lộ']);
  });

  it('matches the same terms in text written without diacritics', () => {
    expect(fired(evidence('Can bo xa bi bat vi nhan hoi lo'))).toEqual(['bị bắt', 'nhận hối lộ']);
  });

  it('prefers the diacritics form when the text has diacritics: "bị bát" is not "bị bắt"', () => {
    expect(fired(evidence('Người dân bị bát đĩa rơi trúng chân khi dọn nhà'))).toEqual([]);
  });

  it('"bắt" alone is not a term: "bắt đầu", "bắt tay" never fire, in either writing', () => {
    expect(fired(evidence('Bắt đầu mùa lễ hội, hai bên bắt tay hợp tác'))).not.toContain('bị bắt');
    expect(fired(evidence('Bat dau mua thu hoach lua')).length).toBe(0);
  });

  it('does not match inside a longer look-alike phrase', () => {
    expect(fired(evidence('Giá phòng cháy hàng dịp lễ, bão giá đẩy chi phí lên cao'))).toEqual([]);
    expect(fired(evidence('Không khí ô nhiễm nặng'))).toEqual(['ô nhiễm']);
  });

  it('single-syllable terms need diacritics: "chay" (chạy/chay/cháy) never fires', () => {
    expect(fired(evidence('Cháy nhà dân trong đêm'))).toContain('cháy');
    expect(fired(evidence('Nguoi dan chay bo buoi sang, an chay ngay ram'))).toEqual([]);
  });

  it('respects tone-mark conventions and NFD input', () => {
    const a = fired(evidence('Người dân khiếu nại vì ô nhiễm'.normalize('NFD')));
    expect(a).toEqual(['khiếu nại', 'ô nhiễm']);
    expect(fired(evidence('Phát hiện ma tuý trong khu trọ'))).toEqual(['ma túy']);
  });

  it('keeps the leftmost-longest term: "cá chết hàng loạt" is one strong term, not "cá chết"', () => {
    const ev = evidence('Cá chết hàng loạt trên sông Kiên');
    expect(fired(ev)).toEqual(['cá chết hàng loạt']);
    expect(ev.strongHead.map((h) => h.entry.phrase)).toEqual(['cá chết hàng loạt']);
  });

  it('never lets a term span a clause boundary', () => {
    expect(fired(evidence('Sau vụ việc, tai, nạn nhân được đưa đi viện'))).toEqual([]);
  });

  it('keeps token offsets in the original string, even for NFD text', () => {
    const s = 'Ủy ban xã Tân Hội'.normalize('NFD');
    const doc = prepareDoc({ title: s });
    const last = doc.tokens[doc.tokens.length - 1]!;
    expect(s.slice(last.start, last.end).normalize('NFC')).toBe('Hội');
  });
});

describe('field weights and modifiers', () => {
  it('weighs a term in the title twice as much as in the body', () => {
    const inTitle = evidence('Xả thải ra kênh', 'Người dân đi lại bình thường.');
    const inBody = evidence('Tin địa phương', 'Xả thải ra kênh.');
    expect(inTitle.severity).toBeCloseTo(2 * inBody.severity, 6);
  });

  it('raises violation evidence when officials are involved in the same sentence', () => {
    const official = evidence('Tin địa phương', 'Chủ tịch xã có sai phạm.');
    const company = evidence('Tin địa phương', 'Công ty có sai phạm.');
    expect(official.severity).toBeGreaterThan(company.severity);
  });

  it('an arrest is strong (pushes to hot) only when it concerns officials', () => {
    expect(evidence('Chủ tịch UBND xã bị bắt').strongHead.length).toBe(1);
    expect(evidence('12 người đánh bạc bị bắt').strongHead.length).toBe(0);
    expect(evidence('Ba người tử vong trong vụ tai nạn').strongHead.length).toBe(1);
  });
});
