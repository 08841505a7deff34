import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nonSpaceLength } from '../../../crawlers/extract/content.ts';
import { cleanText, compareKey, detectLang, nfcStable } from '../../../crawlers/extract/text.ts';
import { fromRoot } from '../../../lib/paths.ts';
import { fold } from '../../../pipeline/normalize/vi-text.ts';

// The helpers scan characters by hand instead of running regular expressions; these are the plain
// definitions they must keep agreeing with.
const ZERO_WIDTH_RE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const SPACE_RE = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const refCleanText = (s: string): string =>
  s ? s.normalize('NFC').replace(ZERO_WIDTH_RE, '').replace(SPACE_RE, ' ').trim() : '';
const refCompareKey = (s: string): string => fold(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const VI_CHARS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/giu;
const EN_WORDS = /\b(the|and|of|to|in|is|that|for|with|was|on|are|by|this|from)\b/gi;
function refDetectLang(text: string): string | null {
  const sample = text.slice(0, 20000);
  const letters = sample.replace(/[^\p{L}]/gu, '').length;
  if (letters < 40) return null;
  const vi = (sample.match(VI_CHARS) ?? []).length;
  if (vi / letters > 0.04) return 'vi';
  const wordCount = sample.split(/\s+/).length;
  const en = (sample.match(EN_WORDS) ?? []).length;
  if (wordCount > 20 && en / wordCount > 0.08) return 'en';
  return null;
}

/** Strings built from characters that stress NFC, whitespace, zero-width and letter classes. */
const ALPHABET = [
  'a', 'Z', ' ', '  ', '\t', '\n', '\u00a0', '\u200b', '\u00ad', '\ufeff', '\u3000', '\u2001', '\u2028',
  'e\u0301', '\u0301', '\u0340', 'ơ', 'Ư', 'ẫ', 'Đ', 'đ', '₫', '“', '—', '…', '\u2126', '\u212b', 'ǅ',
  'ᾱ', '한', '\u1161', 'ｱ', 'Ⅻ', '٣', '1', ',', '😀', '𝐀', '\ud800', '\udc00', 'the ', 'và ', 'Thứ hai',
];
function randomStrings(count: number, maxLen: number): string[] {
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    const len = rnd(maxLen);
    for (let j = 0; j < len; j++) s += ALPHABET[rnd(ALPHABET.length)];
    out.push(s);
  }
  return out;
}

const dir = fromRoot('test', 'unit', 'extract', 'fixtures');
const pageTexts = readdirSync(dir)
  .filter((f) => f.endsWith('.html'))
  .map((f) => readFileSync(join(dir, f), 'utf8'));
const pieces = pageTexts.flatMap((html) => {
  const text = html.replace(/<[^>]*>/g, ' ');
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 97) out.push(text.slice(i, i + 1 + (i % 400)));
  return out;
});

describe('text helpers: hand-written scans agree with their regular-expression definitions', () => {
  const samples = [...randomStrings(20_000, 14), ...pieces];

  it('cleanText, compareKey and nonSpaceLength on random and real text', () => {
    for (const s of samples) {
      expect(cleanText(s), JSON.stringify(s)).toBe(refCleanText(s));
      expect(compareKey(s), JSON.stringify(s)).toBe(refCompareKey(s));
      expect(nonSpaceLength(s), JSON.stringify(s)).toBe(s.replace(/\s+/g, '').length);
    }
  });

  it("compareKey gives the same key from its cache, past the cache's size and for strings too long to cache", () => {
    const cached = pieces.slice(0, 500);
    for (const s of cached) compareKey(s); // fill the cache
    for (const s of cached) expect(compareKey(s), JSON.stringify(s)).toBe(refCompareKey(s)); // answered from it
    // Enough distinct strings to overflow (and clear) the cache, then the first ones again.
    for (let i = 0; i < 3_000; i++) compareKey(`Tin số ${i} của Sở Y tế`);
    for (const s of cached) expect(compareKey(s), JSON.stringify(s)).toBe(refCompareKey(s));
    const long = `${pieces.join(' ')} `.repeat(3).slice(0, 6000);
    expect(long.length).toBeGreaterThan(2000);
    expect(compareKey(long)).toBe(refCompareKey(long));
    expect(compareKey(long)).toBe(refCompareKey(long));
    expect(compareKey('Ủy ban  nhân dân — TỈNH An Giang!')).toBe('uy ban nhan dan tinh an giang');
  });

  it('every BMP character, alone and between letters', () => {
    const bad: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const s = `x${String.fromCharCode(c)}y ${String.fromCharCode(c)}`;
      if (cleanText(s) !== refCleanText(s) || compareKey(s) !== refCompareKey(s)) bad.push(c.toString(16));
      if (nonSpaceLength(s) !== s.replace(/\s+/g, '').length) bad.push(`nsl ${c.toString(16)}`);
    }
    expect(bad).toEqual([]);
  });

  it('characters treated as NFC-stable are', () => {
    const unstable: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (!nfcStable(c)) continue;
      const ch = String.fromCharCode(c);
      if (ch.normalize('NFC') !== ch || `a${ch}`.normalize('NFC') !== `a${ch}`) unstable.push(c.toString(16));
    }
    expect(unstable).toEqual([]);
  });

  it('detectLang on random mixes, real pages and each BMP character', () => {
    for (const s of [...randomStrings(5_000, 160), ...pageTexts.map((h) => h.replace(/<[^>]*>/g, ' '))]) {
      expect(detectLang(s), JSON.stringify(s.slice(0, 60))).toBe(refDetectLang(s));
    }
    const bad: string[] = [];
    for (let c = 0x80; c < 0x10000; c++) {
      const s = 'a'.repeat(30) + String.fromCharCode(c).repeat(12);
      if (detectLang(s) !== refDetectLang(s)) bad.push(c.toString(16));
    }
    expect(bad).toEqual([]);
  });
});
