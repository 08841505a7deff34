/** Small text helpers for the extractor: cleanup, entity decoding, comparisons, language guess. */
import { load } from 'cheerio';
import { fold } from '../../pipeline/normalize/vi-text.ts';

const ZERO_WIDTH_RE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const SPACE_RE = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/**
 * Code units that NFC leaves alone and that never compose with what precedes them: Latin (ASCII to
 * spacing modifiers), Latin Extended Additional (precomposed Vietnamese letters), general punctuation
 * and currency signs (the đồng sign). Text made only of these needs no normalization.
 */
export function nfcStable(c: number): boolean {
  return c < 0x300 || (c >= 0x1e00 && c <= 0x1eff) || (c >= 0x2010 && c <= 0x205e) || (c >= 0x20a0 && c <= 0x20bf);
}

/** Whitespace as JavaScript's \s sees it, plus the zero-width characters cleanText removes. */
function spaceOrZeroWidth(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0xad ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x2060 ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** True when cleanText would return the string unchanged (checked in one scan, no allocation). */
function alreadyClean(s: string): boolean {
  let prevSpace = true; // a leading space is not clean
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c < 0x7f) {
      prevSpace = false;
      continue;
    }
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
      continue;
    }
    if (spaceOrZeroWidth(c) || !nfcStable(c)) return false;
    prevSpace = false;
  }
  return !prevSpace;
}

function zeroWidth(c: number): boolean {
  return (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff || c === 0xad;
}

/**
 * cleanText for text that NFC leaves alone, in one scan: words (zero-width characters dropped) joined
 * by single spaces. Null when a character might change under NFC (the caller normalizes then).
 */
function collapseStable(s: string): string | null {
  const words: string[] = [];
  let word = '';
  let from = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c < 0x7f) continue;
    if (zeroWidth(c)) {
      if (from < i) word += s.slice(from, i);
      from = i + 1;
      continue;
    }
    if (spaceOrZeroWidth(c)) {
      if (from < i) word += s.slice(from, i);
      if (word) words.push(word);
      word = '';
      from = i + 1;
      continue;
    }
    if (!nfcStable(c)) return null;
  }
  if (from < n) word += s.slice(from);
  if (word) words.push(word);
  return words.join(' ');
}

/** NFC, no zero-width characters, whitespace collapsed, trimmed. */
export function cleanText(s: string | null | undefined): string {
  if (!s) return '';
  if (alreadyClean(s)) return s;
  return collapseStable(s) ?? s.normalize('NFC').replace(ZERO_WIDTH_RE, '').replace(SPACE_RE, ' ').trim();
}

/** Decode HTML entities and drop tags in a string from meta/JSON-LD (also fixes double-encoded &amp;quot;). */
export function htmlToText(s: string | null | undefined): string {
  if (!s) return '';
  let v = s;
  for (let i = 0; i < 2 && /[<&]/.test(v); i++) {
    if (!/<[a-z!/]|&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/i.test(v)) break;
    try {
      v = load(v.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '</p>\n'), null, false).text();
    } catch {
      break;
    }
  }
  return cleanText(v);
}

const LETTER_OR_DIGIT_RE = /^[\p{L}\p{N}]$/u;
/** Per BMP code unit: 0 not looked at yet, 1 letter or digit, 2 neither (filled lazily). */
const LETTER_OR_DIGIT = new Uint8Array(0x10000);
const astralLetterOrDigit = new Map<number, boolean>();

function letterOrDigitUnit(c: number): boolean {
  let v = LETTER_OR_DIGIT[c]!;
  if (v === 0) {
    // a lone surrogate is neither, as in a /u regular expression
    v = c < 0xd800 || c > 0xdfff ? (LETTER_OR_DIGIT_RE.test(String.fromCharCode(c)) ? 1 : 2) : 2;
    LETTER_OR_DIGIT[c] = v;
  }
  return v === 1;
}

function letterOrDigitAstral(cp: number): boolean {
  let v = astralLetterOrDigit.get(cp);
  if (v === undefined) {
    v = LETTER_OR_DIGIT_RE.test(String.fromCodePoint(cp));
    if (astralLetterOrDigit.size < 10_000) astralLetterOrDigit.set(cp, v);
  }
  return v;
}

/**
 * Folded, punctuation-free, single-spaced form for fuzzy comparisons: the runs of letters and digits
 * (Unicode \p{L}, \p{N}) of the folded text, joined by single spaces.
 */
export function compareKey(s: string): string {
  let key = keyCache.get(s);
  if (key === undefined) {
    key = computeKey(s);
    if (s.length <= KEY_CACHE_MAX_CHARS) {
      if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
      keyCache.set(s, key);
    }
  }
  return key;
}

/**
 * The extractor compares the same strings many times (paragraphs against the sapo, the title and
 * each other; site names against every candidate): their keys are remembered (bounded: at most
 * KEY_CACHE_SIZE strings of up to KEY_CACHE_MAX_CHARS characters, about 8 MB in the worst case).
 */
const KEY_CACHE_SIZE = 1024;
const KEY_CACHE_MAX_CHARS = 2000;
const keyCache = new Map<string, string>();

function computeKey(s: string): string {
  const f = fold(s);
  const n = f.length;
  let out = '';
  let start = -1; // start of the current run of letters/digits
  for (let i = 0; i < n; i++) {
    const c = f.charCodeAt(i);
    let keep: boolean;
    let width = 1;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) keep = true;
    else if (c < 0x80) keep = false;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = f.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        keep = letterOrDigitAstral((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        width = 2;
      } else keep = false;
    } else keep = letterOrDigitUnit(c);
    if (keep) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out = out ? `${out} ${f.slice(start, i)}` : f.slice(start, i);
      start = -1;
    }
    i += width - 1;
  }
  if (start >= 0) out = out ? `${out} ${f.slice(start)}` : f.slice(start);
  return out;
}

/** Words (folded) of a text, length ≥ 2. */
export function words(s: string): string[] {
  return compareKey(s)
    .split(' ')
    .filter((w) => w.length >= 2);
}

/** Share of a's words that occur in b (0..1). */
export function wordCoverage(a: string, b: string | Set<string>): number {
  const wa = words(a);
  if (wa.length === 0) return 0;
  const set = typeof b === 'string' ? new Set(words(b)) : b;
  let hit = 0;
  for (const w of wa) if (set.has(w)) hit++;
  return hit / wa.length;
}

/** True when the two texts are the same after folding, or one is a (≥ 60 %) prefix of the other. */
export function sameOrPrefix(a: string, b: string, minShare = 0.6): boolean {
  const ka = compareKey(a.replace(/(\.\.\.|…)\s*$/, ''));
  const kb = compareKey(b.replace(/(\.\.\.|…)\s*$/, ''));
  if (!ka || !kb) return false;
  if (ka === kb) return true;
  const [short, long] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  return long.startsWith(short) && short.length >= long.length * minShare;
}

const VI_CHARS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/giu;
const EN_WORDS = /\b(the|and|of|to|in|is|that|for|with|was|on|are|by|this|from)\b/gi;

const LETTER_RE = /^\p{L}$/u;
const VI_CHAR_RE = new RegExp(`^${VI_CHARS.source}$`, 'iu');
/** Per BMP code unit: bit 0 looked at, bit 1 a letter, bit 2 a Vietnamese letter (filled lazily). */
const LETTER_CLASS = new Uint8Array(0x10000);

function letterClass(ch: string): number {
  return 1 | (LETTER_RE.test(ch) ? 2 : 0) | (VI_CHAR_RE.test(ch) ? 4 : 0);
}

/**
 * Letters (in UTF-16 units, as the length of the text with non-letters removed) and Vietnamese letters
 * (as matches of VI_CHARS) of a text, in one scan.
 */
function countLetters(sample: string): { letters: number; vi: number } {
  let letters = 0;
  let vi = 0;
  const n = sample.length;
  for (let i = 0; i < n; i++) {
    const c = sample.charCodeAt(i);
    let k: number;
    if (c < 0x80) {
      if ((c | 0x20) >= 97 && (c | 0x20) <= 122) letters++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = sample.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        k = letterClass(sample.slice(i, i + 2));
        if (k & 2) letters += 2;
        if (k & 4) vi++;
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) continue; // lone surrogate: not a letter
    k = LETTER_CLASS[c]!;
    if (k === 0) LETTER_CLASS[c] = k = letterClass(String.fromCharCode(c));
    if (k & 2) letters++;
    if (k & 4) vi++;
  }
  return { letters, vi };
}

/** 'vi' when Vietnamese letters are frequent, 'en' for plain English, else null. */
export function detectLang(text: string): string | null {
  const sample = text.slice(0, 20000);
  const { letters, vi } = countLetters(sample);
  if (letters < 40) return null;
  if (vi / letters > 0.04) return 'vi';
  const wordCount = sample.split(/\s+/).length;
  const en = (sample.match(EN_WORDS) ?? []).length;
  if (wordCount > 20 && en / wordCount > 0.08) return 'en';
  return null;
}

/** Primary language subtag, lower case ("vi-VN" → "vi", "vi_VN" → "vi"). */
export function langCode(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const m = /^\s*([a-z]{2,3})(?:[-_][a-z0-9]+)*\s*$/i.exec(raw);
  return m ? m[1]!.toLowerCase() : null;
}
