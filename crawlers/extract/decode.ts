/**
 * Bytes of an HTML page → text.
 *
 * Order of evidence: a byte-order mark (it wins, as in browsers), the HTTP Content-Type charset, the
 * <meta charset>/<meta http-equiv> (or XML declaration) in the first 64 KB, then detection. Declared
 * charsets are sanity-checked because Vietnamese servers often lie: a Latin-1/windows-1252 label on
 * bytes that are valid multi-byte UTF-8 means UTF-8; a UTF-8 label on bytes that are not UTF-8 falls
 * through to the next source. Detection: valid UTF-8 → utf-8; Vietnamese windows-1258 (combining tone
 * marks, ă/ơ/ư/đ bytes) → windows-1258; otherwise chardet. The result is NFC-normalized (windows-1258
 * and NFD sources carry combining marks). Never throws: unknown input decodes as UTF-8 with U+FFFD.
 */
import iconv from 'iconv-lite';
import chardet from 'chardet';

export interface DecodedHtml {
  html: string;
  /** The charset actually used, lower case (utf-8, windows-1258, windows-1252, utf-16le, …). */
  charset: string;
}

const LABELS: Record<string, string> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-unicode20utf8': 'utf-8',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  iso_8859_1: 'windows-1252',
  'iso-8859-1:1987': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'windows-1258': 'windows-1258',
  cp1258: 'windows-1258',
  'x-cp1258': 'windows-1258',
  windows1258: 'windows-1258',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  unicode: 'utf-16le',
  'ucs-2': 'utf-16le',
  viscii: 'viscii',
  tcvn: 'tcvn',
  tcvn3: 'tcvn',
  'tcvn-5712': 'tcvn',
};

const LATIN = new Set(['windows-1252']);

/** Canonical charset name for a label, or null when iconv-lite cannot decode it. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (!l) return null;
  const mapped = LABELS[l] ?? l;
  try {
    return iconv.encodingExists(mapped) ? mapped : null;
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const m = /charset\s*=\s*["']?([^"';,\s]+)/i.exec(contentType);
  return m ? normalizeCharset(m[1]) : null;
}

function bomCharset(b: Uint8Array): { charset: string; skip: number } | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { charset: 'utf-8', skip: 3 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { charset: 'utf-16be', skip: 2 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { charset: 'utf-16le', skip: 2 };
  return null;
}

/** Charset declared inside the document (meta charset, http-equiv, XML declaration) in its first 64 KB. */
export function charsetFromMeta(b: Uint8Array): string | null {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 65536)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  const noComments = head.replace(/<!--[\s\S]*?-->/g, '');
  const re = /<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.-]+)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(noComments)) !== null) {
    const cs = normalizeCharset(m[1]);
    // a document that can be read as ASCII cannot really be UTF-16 (HTML spec: treat as UTF-8)
    if (cs) return cs.startsWith('utf-16') ? 'utf-8' : cs;
  }
  if (xml) {
    const cs = normalizeCharset(xml[1]);
    if (cs) return cs.startsWith('utf-16') ? 'utf-8' : cs;
  }
  return null;
}

interface Utf8Stats {
  multibyte: number;
  invalid: number;
  highBytes: number;
}

/** Count valid multi-byte sequences and invalid bytes (scans at most 2 MB). */
export function utf8Stats(b: Uint8Array): Utf8Stats {
  const n = Math.min(b.length, 2_000_000);
  let multibyte = 0;
  let invalid = 0;
  let highBytes = 0;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    highBytes++;
    let need = 0;
    let min = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      invalid++;
      i++;
      continue;
    }
    if (i + need >= n && n < b.length) break; // cut in the middle of the sample
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      invalid++;
      i++;
      continue;
    }
    multibyte++;
    i += need + 1;
  }
  return { multibyte, invalid, highBytes };
}

function looksUtf8(s: Utf8Stats): boolean {
  return s.multibyte > 0 && s.invalid <= Math.max(2, s.multibyte * 0.01);
}

/** Vietnamese-specific bytes of windows-1258: ă Ă ơ Ơ ư Ư đ Đ and the five combining tone marks. */
const VI_1258 = new Set([0xe3, 0xc3, 0xf5, 0xd5, 0xfd, 0xdd, 0xf0, 0xd0, 0xcc, 0xec, 0xde, 0xd2, 0xf2]);
const TONE_1258 = new Set([0xcc, 0xec, 0xde, 0xd2, 0xf2]);

/** How much the bytes look like Vietnamese in windows-1258 (0..1), with the count of vowel+tone pairs. */
export function vietnamese1258Score(b: Uint8Array): { ratio: number; tonePairs: number } {
  const n = Math.min(b.length, 2_000_000);
  let high = 0;
  let vi = 0;
  let tonePairs = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c < 0x80) continue;
    high++;
    if (VI_1258.has(c)) vi++;
    if (TONE_1258.has(c) && i > 0) {
      const p = b[i - 1]!;
      const lower = p | 0x20;
      if (
        lower === 0x61 ||
        lower === 0x65 ||
        lower === 0x69 ||
        lower === 0x6f ||
        lower === 0x75 ||
        lower === 0x79 ||
        p >= 0xc0
      ) {
        tonePairs++;
      }
    }
  }
  return { ratio: high ? vi / high : 0, tonePairs };
}

function detect(b: Uint8Array): string {
  const stats = utf8Stats(b);
  if (stats.highBytes === 0 || looksUtf8(stats)) return 'utf-8';
  const vi = vietnamese1258Score(b);
  if (vi.tonePairs >= 3 && vi.ratio >= 0.25) return 'windows-1258';
  let guess: string | null = null;
  try {
    guess = normalizeCharset(chardet.detect(b.length > 1_000_000 ? b.subarray(0, 1_000_000) : b));
  } catch {
    guess = null;
  }
  if (guess && LATIN.has(guess) && vi.tonePairs >= 1 && vi.ratio >= 0.2) return 'windows-1258';
  return guess ?? 'utf-8';
}

function decodeWith(b: Uint8Array, charset: string): string {
  try {
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    return iconv.decode(buf, charset, { stripBOM: true });
  } catch {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  }
}

export function decodeHtml(bytes: Uint8Array, contentType?: string): DecodedHtml {
  try {
    const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(0);
    let charset: string | null = null;
    let body = b;
    const bom = bomCharset(b);
    if (bom) {
      charset = bom.charset;
      body = b.subarray(bom.skip);
    } else {
      let stats: Utf8Stats | null = null;
      const getStats = (): Utf8Stats => (stats ??= utf8Stats(b));
      const check = (declared: string | null): string | null => {
        if (!declared) return null;
        if ((LATIN.has(declared) || declared === 'windows-1258') && looksUtf8(getStats())) return 'utf-8';
        if (declared === 'utf-8') {
          const s = getStats();
          if (s.highBytes > 0 && !looksUtf8(s)) return null; // mislabelled: try the next source
        }
        if (declared.startsWith('utf-16')) {
          // a real UTF-16 page without BOM has many NUL bytes
          let nul = 0;
          for (let i = 0; i < Math.min(b.length, 4096); i++) if (b[i] === 0) nul++;
          if (nul < 16) return 'utf-8';
        }
        return declared;
      };
      charset = check(charsetFromContentType(contentType)) ?? check(charsetFromMeta(b)) ?? detect(b);
    }
    let html = decodeWith(body, charset);
    if (html.charCodeAt(0) === 0xfeff) html = html.slice(1);
    return { html: html.normalize('NFC'), charset };
  } catch {
    let html = '';
    try {
      html = Buffer.from(bytes).toString('utf8').normalize('NFC');
    } catch {
      html = '';
    }
    return { html, charset: 'utf-8' };
  }
}
