/**
 * Vietnamese text normalization shared by every stage (matching, indexing, querying).
 *
 * - `toNfc`: canonical composition; NFD input (common from macOS and legacy converters) becomes NFC.
 * - `unifyTone`: one tone-mark placement convention (the classic one: "Ủy", "hòa", "khỏe"), so that
 *   "Uỷ ban" and "Ủy ban" compare equal with diacritics kept. Length-preserving on NFC text.
 * - `fold`: lower case without any diacritic and with đ→d. Length-preserving on NFC text, so offsets
 *   found in folded text are offsets in the normalized text.
 * - `normalizeWithMap`: NFC + tone unification + whitespace cleanup, with a map back to the
 *   original string's offsets (round-trip safe even when the original was NFD).
 */

const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
const QUALITY_MARKS = new Set(['\u0302', '\u0306', '\u031b']);
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

export function toNfc(s: string): string {
  return s.normalize('NFC');
}

/** One NFC character to its folded form: a single lower-case character without marks. */
function foldChar(ch: string): string {
  if (ch === 'đ' || ch === 'Đ') return 'd';
  const lower = ch.toLowerCase();
  const base = (lower.length === 1 ? lower : ch).normalize('NFD')[0] ?? ch;
  return base.length === 1 ? base : ch;
}

// Folding runs on every text of every stage, so it is a table lookup per UTF-16 unit: code → folded code.
const FOLD_TABLE = new Uint16Array(0x2000);
for (let code = 0; code < FOLD_TABLE.length; code++) {
  FOLD_TABLE[code] = code < 0x80 ? (code >= 65 && code <= 90 ? code + 32 : code) : foldChar(String.fromCharCode(code)).charCodeAt(0);
}
const foldCache = new Map<number, number>();

function foldCode(code: number): number {
  if (code < 0x2000) return FOLD_TABLE[code]!;
  let f = foldCache.get(code);
  if (f === undefined) {
    const ch = String.fromCharCode(code);
    const folded = foldChar(ch);
    f = folded.length === 1 ? folded.charCodeAt(0) : code;
    foldCache.set(code, f);
  }
  return f;
}

/** Diacritic-insensitive, lower-case form with exactly one output character per input UTF-16 unit. */
export function fold(s: string): string {
  const nfc = s.normalize('NFC');
  const n = nfc.length;
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = foldCode(nfc.charCodeAt(i));
  let out = '';
  for (let i = 0; i < n; i += 8192) out += String.fromCharCode.apply(null, codes.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

/** Folding for search: NFC, tone unification irrelevant once marks are gone; whitespace collapsed. */
export function foldForSearch(s: string): string {
  return fold(s).replace(/\s+/g, ' ').trim();
}

interface Letter {
  base: string; // base letter, original case
  quality: string; // circumflex/breve/horn or ''
  tone: string; // one of TONE_MARKS or ''
}

function decompose(syllable: string): Letter[] {
  const letters: Letter[] = [];
  for (const ch of syllable.normalize('NFD')) {
    if (TONE_MARKS.has(ch)) {
      const last = letters[letters.length - 1];
      if (last) last.tone = ch;
    } else if (QUALITY_MARKS.has(ch)) {
      const last = letters[letters.length - 1];
      if (last) last.quality = ch;
    } else {
      letters.push({ base: ch, quality: '', tone: '' });
    }
  }
  return letters;
}

/** Index of the letter that carries the tone under the classic convention, or -1. */
function tonePosition(letters: Letter[]): number {
  const lower = letters.map((l) => l.base.toLowerCase());
  let start = 0;
  // "qu" and "gi" + vowel: the u / i belongs to the initial consonant.
  if (lower[0] === 'q' && lower[1] === 'u') start = 2;
  else if (lower[0] === 'g' && lower[1] === 'i' && lower[2] !== undefined && VOWELS.has(lower[2])) start = 2;
  let first = -1;
  let last = -1;
  for (let i = start; i < letters.length; i++) {
    if (VOWELS.has(lower[i]!)) {
      if (first === -1) first = i;
      last = i;
    } else if (first !== -1) break;
  }
  if (first === -1) {
    // "gì", "quỳ": the only vowel is the one we skipped.
    if (start === 2 && VOWELS.has(lower[1]!)) return 1;
    return -1;
  }
  const withQuality: number[] = [];
  for (let i = first; i <= last; i++) if (letters[i]!.quality) withQuality.push(i);
  if (withQuality.length > 0) return withQuality[withQuality.length - 1]!;
  const count = last - first + 1;
  const hasCoda = last + 1 < letters.length;
  if (count === 1) return first;
  if (hasCoda) return last;
  if (count === 2) return first;
  return first + 1;
}

function isVietnameseSyllable(word: string): boolean {
  return /^[\p{L}\p{M}]+$/u.test(word) && word.length <= 12;
}

/** Move the tone mark of each syllable to its classic position. Length-preserving on NFC input. */
export function unifyTone(text: string): string {
  return text.replace(/[\p{L}\p{M}]+/gu, (word) => {
    if (!isVietnameseSyllable(word)) return word;
    const nfd = word.normalize('NFD');
    let tones = 0;
    for (const ch of nfd) if (TONE_MARKS.has(ch)) tones++;
    if (tones !== 1) return word;
    const letters = decompose(word);
    const current = letters.findIndex((l) => l.tone !== '');
    const target = tonePosition(letters);
    if (target === -1 || target === current) return word;
    const tone = letters[current]!.tone;
    letters[current]!.tone = '';
    letters[target]!.tone = tone;
    const rebuilt = letters.map((l) => l.base + l.quality + l.tone).join('').normalize('NFC');
    return rebuilt.length === word.normalize('NFC').length ? rebuilt : word;
  });
}

const NEW_STYLE_CLUSTERS = new Set(['oa', 'oe', 'uy']);

/**
 * The other common convention ("hoà", "Uỷ", "khoẻ"): in open syllables ending in oa/oe/uy the tone sits on
 * the second vowel. Used to expand a query so that documents in either convention match exactly.
 */
export function newStyleTone(text: string): string {
  return unifyTone(text).replace(/[\p{L}\p{M}]+/gu, (word) => {
    const letters = decompose(word);
    const lower = letters.map((l) => l.base.toLowerCase()).join('');
    const toneAt = letters.findIndex((l) => l.tone !== '');
    if (toneAt === -1 || toneAt !== letters.length - 2) return word;
    if (!NEW_STYLE_CLUSTERS.has(lower.slice(-2)) || letters.some((l) => l.quality)) return word;
    if (lower.startsWith('qu') && lower.length === 3) return word;
    const last = letters[letters.length - 1]!;
    last.tone = letters[toneAt]!.tone;
    letters[toneAt]!.tone = '';
    return letters.map((l) => l.base + l.quality + l.tone).join('').normalize('NFC');
  });
}

/** Both tone-mark conventions of a text (one entry when they coincide). */
export function toneVariants(text: string): string[] {
  const classic = unifyTone(text.normalize('NFC'));
  return [...new Set([classic, newStyleTone(classic)])];
}

/** Key for diacritic-precise matching: NFC, unified tone marks, lower case. */
export function exactKey(s: string): string {
  return unifyTone(s.normalize('NFC')).toLowerCase();
}

export interface NormalizedText {
  /** NFC, unified tone marks, whitespace collapsed, trimmed. */
  text: string;
  /** `starts[i]`/`ends[i]`: the span in the original string that normalized character i came from. */
  starts: number[];
  ends: number[];
}

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
const SPACE = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]/;
const PUNCT_MAP: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
};

/**
 * NFC + tone unification + whitespace/punctuation cleanup, keeping a map from each normalized character
 * back to its span in the original string (so mentions can be highlighted in what the outlet published,
 * even when it was NFD).
 */
export function normalizeWithMap(original: string): NormalizedText {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let pending: [number, number] | null = null;
  const cluster = /\P{M}\p{M}*|\p{M}+/gu;
  let m: RegExpExecArray | null;
  while ((m = cluster.exec(original)) !== null) {
    const from = m.index;
    const to = from + m[0].length;
    const composed = m[0].normalize('NFC');
    if (ZERO_WIDTH.test(composed)) continue;
    if (SPACE.test(composed)) {
      pending ??= [from, to];
      continue;
    }
    if (pending && out.length > 0) {
      out.push(' ');
      starts.push(pending[0]);
      ends.push(pending[1]);
    }
    pending = null;
    for (let k = 0; k < composed.length; k++) {
      const c = composed[k]!;
      out.push(PUNCT_MAP[c] ?? c);
      starts.push(from);
      ends.push(to);
    }
  }
  return { text: unifyTone(out.join('')), starts, ends };
}

/** Map a [start, end) span of normalized text back to the original string. */
export function toOriginalSpan(n: NormalizedText, start: number, end: number): { start: number; end: number } {
  if (end <= start) {
    const at = n.starts[start] ?? n.ends[n.ends.length - 1] ?? 0;
    return { start: at, end: at };
  }
  return { start: n.starts[start]!, end: n.ends[end - 1]! };
}
