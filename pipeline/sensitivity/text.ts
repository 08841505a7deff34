/**
 * Syllable tokenization of an article for the sensitivity stage.
 *
 * Every token keeps its span in the ORIGINAL field string (so agency mentions, given as offsets in the
 * fields, can be located), its exact key (NFC, unified tone marks, lower case: `exactKey`) and its folded
 * key (`fold`). Tokens carry sentence and clause ids that are unique across the whole article, so no
 * window ever crosses a field, a sentence or a clause boundary.
 *
 * Fast path: NFC text without zero-width characters is tokenized as is, and only the distinct syllables
 * go through `exactKey`/`fold` (cached), which is what makes ≥ 2,000 articles/s possible. Other text
 * (NFD, zero-width joiners, soft hyphens) goes through `normalizeWithMap` first and its offsets are
 * mapped back with the returned map.
 */
import type { Field } from '../../model/records.ts';
import { exactKey, fold, normalizeWithMap } from '../normalize/vi-text.ts';

export interface Token {
  /** NFC, unified tone marks, lower case. */
  exact: string;
  /** Lower case without diacritics, đ → d. */
  folded: string;
  /** Interned id of the folded form ("#" for numbers): the classifier's feature key. */
  fid: number;
  field: Field;
  /** Span in the original field string. */
  start: number;
  end: number;
  sentence: number;
  clause: number;
  /** Inside an agency mention: never part of a lexicon hit. */
  inMention: boolean;
}

export interface Doc {
  tokens: Token[];
  /** Per sentence id: written with diacritics (match exact forms) or without (match folded forms). */
  accented: boolean[];
  /** Per field, the token index range [from, to). */
  ranges: Record<Field, [number, number]>;
}

export interface DocInput {
  title: string;
  sapo?: string | null | undefined;
  body?: string | null | undefined;
}

const NEEDS_SLOW_PATH = /[\u200b-\u200d\u2060\ufeff\u00ad]/;

/*
 * Interning of folded syllables: the classifier keys its features by these ids (numbers hash much faster
 * than strings). Ids are never reused; past MAX_INTERN new syllables share id 0, which no model knows.
 */
const MAX_INTERN = 1 << 20;
const internIds = new Map<string, number>([['', 0]]);
const internNames: string[] = [''];
export function intern(folded: string): number {
  let id = internIds.get(folded);
  if (id === undefined) {
    if (internNames.length >= MAX_INTERN) return 0;
    id = internNames.length;
    internNames.push(folded);
    internIds.set(folded, id);
  }
  return id;
}
export function internName(id: number): string {
  return internNames[id] ?? '';
}
/** Id of a folded syllable if it was ever seen, else -1 (for loading a model without growing the table). */
export function internLookup(folded: string): number {
  return internIds.get(folded) ?? -1;
}

interface Syllable {
  exact: string;
  folded: string;
  fid: number;
  accented: boolean;
  letter: boolean;
}

const MAX_CACHE = 200_000;
const keyCache = new Map<string, Syllable>();
const ALL_DIGITS = /^[0-9]+$/;

/** Exact and folded keys of one syllable, cached. */
function syllable(word: string): Syllable {
  let k = keyCache.get(word);
  if (k === undefined) {
    const exact = exactKey(word);
    const folded = fold(exact);
    const digits = ALL_DIGITS.test(folded);
    k = { exact, folded, fid: intern(digits ? '#' : folded), accented: exact !== folded, letter: !digits };
    if (keyCache.size >= MAX_CACHE) keyCache.clear();
    keyCache.set(word, k);
  }
  return k;
}

/** Word characters: ASCII letters and digits, Latin letters with marks (U+00C0–U+1FFF but × ÷), other scripts. */
function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c < 0x2000) return c !== 0xd7 && c !== 0xf7;
  return c >= 0x3040 && c !== 0x3000 && (c < 0xfe00 || c > 0xfe0f) && (c < 0xff00 || c > 0xff0f);
}

const enum Gap {
  None = 0,
  Clause = 1,
  Sentence = 2,
}

/** What separates two words: nothing special, a clause boundary or a sentence boundary. */
function gapKind(text: string, from: number, to: number): Gap {
  let kind = Gap.None;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return Gap.Sentence;
    if (c === 46 || c === 33 || c === 63 || c === 0x2026) {
      // . ! ? … end a sentence when followed by space, closing quote/bracket then space, or the end.
      let j = i + 1;
      while (j < to && '.!?…"\'”’»)]'.includes(text[j]!)) j++;
      if (j === to ? to === text.length : text.charCodeAt(j) <= 32) return Gap.Sentence;
    } else if (
      c === 44 ||
      c === 59 ||
      c === 58 ||
      c === 40 ||
      c === 41 ||
      c === 91 ||
      c === 93 ||
      c === 0x2013 ||
      c === 0x2014
    ) {
      kind = Gap.Clause;
    } else if (
      c === 45 &&
      i > from &&
      i + 1 < to &&
      text.charCodeAt(i - 1) <= 32 &&
      text.charCodeAt(i + 1) <= 32
    ) {
      kind = Gap.Clause;
    }
  }
  return kind;
}

export interface PrepareOptions {
  /** Exact-key token sequences that open a new clause ("nhưng", "tuy nhiên", "trong khi"). */
  clauseBreakers?: { phrases: string[][]; first: Set<number> };
}

export function prepareDoc(input: DocInput, opts: PrepareOptions = {}): Doc {
  const tokens: Token[] = [];
  const ranges = { title: [0, 0], sapo: [0, 0], body: [0, 0] } as Record<Field, [number, number]>;
  const marked: number[] = [];
  const letters: number[] = [];
  let sentence = -1;
  let clause = -1;
  const fields: Array<[Field, string]> = [
    ['title', input.title ?? ''],
    ['sapo', input.sapo ?? ''],
    ['body', input.body ?? ''],
  ];
  const newSentence = (): void => {
    sentence++;
    clause++;
    marked.push(0);
    letters.push(0);
  };
  for (const [field, original] of fields) {
    const from = tokens.length;
    newSentence();
    if (original.length > 0) {
      let text = original;
      let starts: number[] | null = null;
      let ends: number[] | null = null;
      if (NEEDS_SLOW_PATH.test(original) || original.normalize('NFC') !== original) {
        const n = normalizeWithMap(original);
        text = n.text;
        starts = n.starts;
        ends = n.ends;
      }
      let prevEnd = -1;
      const len = text.length;
      let i = 0;
      while (i < len) {
        if (!isWordChar(text.charCodeAt(i))) {
          i++;
          continue;
        }
        const s = i;
        while (i < len && isWordChar(text.charCodeAt(i))) i++;
        if (prevEnd >= 0 && !(s === prevEnd + 1 && text.charCodeAt(prevEnd) === 32)) {
          const g = gapKind(text, prevEnd, s);
          if (g === Gap.Sentence) newSentence();
          else if (g === Gap.Clause) clause++;
        }
        prevEnd = i;
        const syl = syllable(text.slice(s, i));
        if (syl.letter) {
          letters[sentence]!++;
          if (syl.accented) marked[sentence]!++;
        }
        tokens.push({
          exact: syl.exact,
          folded: syl.folded,
          fid: syl.fid,
          field,
          start: starts ? starts[s]! : s,
          end: ends ? ends[i - 1]! : i,
          sentence,
          clause,
          inMention: false,
        });
      }
    }
    ranges[field] = [from, tokens.length];
  }
  if (opts.clauseBreakers?.phrases.length) applyClauseBreakers(tokens, opts.clauseBreakers);
  // A Vietnamese sentence written with diacritics has most syllables marked; one without has none
  // (or a stray proper noun). 20 % separates them safely; two marked syllables are enough.
  const accented = letters.map((n, k) => n > 0 && (marked[k]! >= 2 || marked[k]! / n >= 0.2));
  return { tokens, accented, ranges };
}

/** Start a new clause at each breaker phrase; clause ids stay unique and increasing. */
function applyClauseBreakers(tokens: Token[], cb: { phrases: string[][]; first: Set<number> }): void {
  const breakers = cb.phrases;
  const firsts = cb.first;
  let shift = 0;
  let lastClause = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.clause !== lastClause) {
      lastClause = t.clause;
    } else if (firsts.has(t.fid)) {
      for (const b of breakers) {
        let ok = true;
        for (let k = 0; k < b.length; k++) {
          const u = tokens[i + k];
          if (!u || u.exact !== b[k] || u.clause !== t.clause) {
            ok = false;
            break;
          }
        }
        if (ok) {
          shift++;
          break;
        }
      }
    }
    t.clause += shift;
  }
}

/** Index of the first token whose span ends after `offset` in `field` (binary search). */
export function tokenAt(doc: Doc, field: Field, offset: number): number {
  let [lo, hi] = doc.ranges[field];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (doc.tokens[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Token index range [from, to) covered by a span of a field. */
export function tokensInSpan(doc: Doc, field: Field, start: number, end: number): [number, number] {
  const from = tokenAt(doc, field, start);
  let to = from;
  const [, limit] = doc.ranges[field];
  while (to < limit && doc.tokens[to]!.start < end) to++;
  return [from, to];
}
