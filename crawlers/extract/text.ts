/** Small text helpers for the extractor: cleanup, entity decoding, comparisons, language guess. */
import { load } from 'cheerio';
import { fold } from '../../pipeline/normalize/vi-text.ts';

const ZERO_WIDTH_RE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const SPACE_RE = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/** NFC, no zero-width characters, whitespace collapsed, trimmed. */
export function cleanText(s: string | null | undefined): string {
  if (!s) return '';
  return s.normalize('NFC').replace(ZERO_WIDTH_RE, '').replace(SPACE_RE, ' ').trim();
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

/** Folded, punctuation-free, single-spaced form for fuzzy comparisons. */
export function compareKey(s: string): string {
  return fold(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
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

/** 'vi' when Vietnamese letters are frequent, 'en' for plain English, else null. */
export function detectLang(text: string): string | null {
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

/** Primary language subtag, lower case ("vi-VN" → "vi", "vi_VN" → "vi"). */
export function langCode(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const m = /^\s*([a-z]{2,3})(?:[-_][a-z0-9]+)*\s*$/i.exec(raw);
  return m ? m[1]!.toLowerCase() : null;
}
