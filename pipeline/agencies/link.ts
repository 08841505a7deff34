/**
 * Tag an article with the agencies it concerns.
 *
 *   const linker = createLinker(loadRegistry());
 *   const { agencies, unresolved } = linker.link({ title, sapo, body, publishedAt, outletProvince, dateline });
 *
 * How it works
 * 1. One Aho-Corasick pass per field over the folded text (fold() per character, whitespace runs collapsed,
 *    dashes unified, zero-width characters skipped; NFD input goes through normalizeWithMap first) finds every
 *    agency head ("Sở TN&MT", "UBND", "Tỉnh ủy"), level word ("tỉnh", "huyện", "xã", "TP."), place name and
 *    look-alike ("Sở Giao dịch Chứng khoán", "Báo Công an TP.HCM") at once, on word boundaries.
 * 2. A hit is kept only if its text agrees with the diacritics of the phrase: a character either equals the
 *    phrase's character (after tone-mark unification) or carries no diacritic at all. So "so y te" and
 *    "Sở Y tế" match "Sở Y tế", "sợ y tế" does not.
 * 3. Heads are combined with what follows: a level word and a name ("UBND xã Tân Hội"), qualifiers
 *    (", huyện Tân Hiệp, tỉnh Kiên Giang"), a bare province name ("Công an An Giang"), a historic marker
 *    ("(cũ)"). Without a name, the unit comes from context: explicit place names in the article, the
 *    dateline, the same agency type named with its province elsewhere, then the outlet's home province.
 *    Ambiguity is reported in `unresolved`, never guessed.
 * 4. The publication date picks the period (before 2025-07-01: pre2025 units and agencies); a unit or agency
 *    type that exists only in the other period (Kiên Giang, "Sở TN&MT", "huyện") links the historic agency.
 */
import { isJsSpace } from '../../lib/js-space.ts';
import type { AgencyTag, Field } from '../../model/records.ts';
import {
  exactKey,
  fold,
  normalizeWithMap,
  toOriginalSpan,
  type NormalizedText,
} from '../normalize/vi-text.ts';
import { AhoCorasick } from './ac.ts';
import { headPhrases, type PartyKind } from './registry/aliases.ts';
import { REFORM_DATE } from './registry/common.ts';
import type { Agency, Registry } from './registry/load.ts';
import type { LexType, Level, Period } from './registry/schema.ts';

export interface LinkInput {
  title: string | null;
  sapo?: string | null;
  body: string | null;
  /** ISO timestamp; its date in Asia/Ho_Chi_Minh picks the period. */
  publishedAt?: string | null;
  /** The outlet's home province, used as the last resort for mentions without a place. */
  outletProvince?: { code: string; period: Period } | null;
  /** Dateline if the extractor found one ("AG", "Rạch Giá", "ANGIANG"); otherwise detected at the top of sapo/body. */
  dateline?: string | null;
}

export interface Unresolved {
  text: string;
  field: Field;
  start: number;
  end: number;
  reason: UnresolvedReason;
  /** Agency ids or province codes that were in play. */
  candidates?: string[];
}
export type UnresolvedReason =
  | 'level-unspecified'
  | 'ambiguous-province'
  | 'no-province-context'
  | 'ambiguous-district'
  | 'no-district-context'
  | 'district-level-abolished'
  | 'ambiguous-commune'
  | 'no-commune-context'
  | 'unknown-unit'
  | 'agency-not-in-registry';

export interface LinkResult {
  agencies: AgencyTag[];
  unresolved: Unresolved[];
}

export interface Linker {
  link(article: LinkInput): LinkResult;
  readonly stats: { keys: number; states: number; alphabet: number; buildMs: number };
}

// ------------------------------------------------------------------ dictionary entries

type CueLevel = 'province' | 'city' | 'district' | 'commune';

interface Unit {
  period: Period;
  level: Level;
  code: string;
  /** Province code in the unit's own period (the code itself for a province). */
  province: string;
  district?: string;
  type: string;
  name: string;
  validFrom?: string;
  validTo?: string;
  /** pre2025 unit → its 2025 province. */
  successorProvince?: string;
  /** 2025 unit → pre2025 provinces it came from. */
  fromProvinces?: string[];
}
interface NameRef {
  unit: Unit;
  /** Admin types under which this name is valid (current, former, alias). */
  types: string[];
  validFrom?: string;
  validTo?: string;
  /** The validity above applies only after this cue ("TP Huế"). */
  validityCue?: CueLevel;
}
interface HeadEntry {
  kind: 'head';
  exact: string;
  type: LexType;
  party?: PartyKind;
  levelOnly: boolean;
  symbol: boolean;
}
interface FixedEntry {
  kind: 'fixed';
  exact: string;
  type: string;
  province: string;
  period: Period;
}
interface LevelEntry {
  kind: 'level';
  exact: string;
  level: CueLevel;
  unitTypes: Set<string>;
  needsName: boolean;
}
interface PlaceEntry {
  kind: 'place';
  exact: string;
  refs: NameRef[];
  /** Memo: refs that fit a level word, refs of provinces, refs of districts. */
  byCue?: Map<LevelEntry, NameRef[]>;
  provinceRefs?: NameRef[];
  districtRefs?: NameRef[];
  weak: boolean;
  /** Multi-syllable, non-numeric: may count as context without a level word. */
  bareOk: boolean;
}
interface BlockEntry {
  kind: 'block';
  exact: string;
}
type Entry = HeadEntry | FixedEntry | LevelEntry | PlaceEntry | BlockEntry;

interface Token {
  /** Offsets into the scanned text (normalized text on the slow path). */
  start: number;
  end: number;
  heads: Array<HeadEntry | FixedEntry>;
  level: LevelEntry | null;
  places: PlaceEntry[];
  capital: boolean;
}

interface PlacePhrase {
  cue: LevelEntry | null;
  refs: NameRef[] | null;
  unknownName: boolean;
  lastTok: number;
  end: number;
}

interface RawMention {
  field: Field;
  start: number;
  end: number;
  order: number;
  head: HeadEntry | FixedEntry;
  phrase: PlacePhrase | null;
  historic: boolean;
}

interface Evidence {
  refs: NameRef[];
  weight: number;
  kind: 'text' | 'dateline';
  cue: CueLevel | null;
}

interface Resolved {
  id: string;
  confidence: number;
}

// ------------------------------------------------------------------ normalization helpers

const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212]);
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
const SPACE = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]/;
const WORD = /[\p{L}\p{N}\p{M}]/u;

/**
 * The two tone-mark conventions differ only in syllables with the clusters oa, oe, uy ("hoà"/"hòa",
 * "thuỷ"/"thủy"); other text is left as is by unifyTone, so exactKey (which runs it) is needed only then.
 */
const TONE_AMBIGUOUS = /[oòóỏõọ][aàáảãạeèéẻẽẹ]|[uùúủũụ][yỳýỷỹỵ]/;
/** Canonical exact form of a phrase: NFC, classic tone marks, lower case, single spaces, ASCII dashes. */
function canon(s: string): string {
  const lower = s.normalize('NFC').toLowerCase();
  const key = TONE_AMBIGUOUS.test(lower) ? exactKey(lower) : lower;
  return key
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

function localDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
}


const INFO_SKIP = 1 << 16;
const INFO_SPACE = 1 << 17;
const INFO_WORD = 1 << 18;
const INFO_UPPER = 1 << 19;
const INFO_DIGIT = 1 << 20;
const INFO_SYM = 0xffff;

// ------------------------------------------------------------------ linker

export function createLinker(reg: Registry): Linker {
  const t0 = performance.now();
  const lex = reg.lexicon;

  // ---- units
  const units = new Map<string, Unit>();
  const unitKey = (period: Period, level: Level, code: string): string => `${period}:${level}:${code}`;
  for (const p of reg.provinces) {
    const u: Unit = {
      period: p.period,
      level: 'province',
      code: p.code,
      province: p.code,
      type: p.type,
      name: p.name,
    };
    if (p.successor) u.successorProvince = p.successor;
    if (p.predecessors) u.fromProvinces = p.predecessors;
    units.set(unitKey(p.period, 'province', p.code), u);
  }
  const provSuccessor = new Map(
    reg.provinces.filter((p) => p.period === 'pre2025').map((p) => [p.code, p.successor!]),
  );
  for (const pl of reg.places) {
    const u: Unit = {
      period: pl.period,
      level: pl.level,
      code: pl.code,
      province: pl.province,
      type: pl.type,
      name: pl.name,
    };
    if (pl.district) u.district = pl.district;
    if (pl.validFrom) u.validFrom = pl.validFrom;
    if (pl.validTo) u.validTo = pl.validTo;
    if (pl.period === 'pre2025') u.successorProvince = provSuccessor.get(pl.province)!;
    if (pl.fromProvinces) u.fromProvinces = pl.fromProvinces;
    units.set(unitKey(pl.period, pl.level, pl.code), u);
  }

  // ---- dictionary: folded key → entries
  const dict = new Map<string, Entry[]>();
  const canonMemo = new Map<string, string>();
  const canonB = (s: string): string => {
    let v = canonMemo.get(s);
    if (v === undefined) canonMemo.set(s, (v = canon(s)));
    return v;
  };
  const add = (phrase: string, make: (exact: string) => Entry, canonical = false): void => {
    const exact = canonical ? phrase : canonB(phrase);
    if (!exact) return;
    const key = fold(exact);
    if (key.length !== exact.length) return; // not length-preserving (exotic characters): cannot verify
    let list = dict.get(key);
    if (!list) dict.set(key, (list = []));
    list.push(make(exact));
  };

  for (const t of lex.types) {
    for (const h of headPhrases(t, lex.abbrJoiners)) {
      add(h.phrase, (exact) => {
        const e: HeadEntry = { kind: 'head', exact, type: t, levelOnly: false, symbol: !!h.symbol };
        if (h.party) e.party = h.party;
        return e;
      });
    }
    for (const lh of t.levelHeads)
      add(lh, (exact) => ({ kind: 'head', exact, type: t, levelOnly: true, symbol: false }));
  }
  for (const f of lex.fixedHeads)
    add(f.phrase, (exact) => ({
      kind: 'fixed',
      exact,
      type: f.type,
      province: f.province,
      period: f.period,
    }));
  for (const w of lex.levelWords) {
    for (const form of w.forms) {
      add(form, (exact) => ({
        kind: 'level',
        exact,
        level: w.level,
        unitTypes: new Set(w.unitTypes),
        needsName: w.needsName,
      }));
    }
  }
  for (const b of lex.lookalikes) add(b, (exact) => ({ kind: 'block', exact }));

  // place names, grouped by exact form
  const weak = new Set(lex.weakNames.map(canon));
  const placeByExact = new Map<string, PlaceEntry>();
  const addName = (name: string, ref: NameRef): void => {
    const exact = canonB(name);
    let e = placeByExact.get(exact);
    if (!e) {
      const syllables = exact.split(/[\s-]+/).filter(Boolean);
      e = {
        kind: 'place',
        exact,
        refs: [],
        weak: weak.has(exact),
        bareOk: syllables.length >= 2 && !/\d/.test(exact),
      };
      placeByExact.set(exact, e);
      add(exact, () => e!, true);
    }
    if (
      !e.refs.some((r) => r.unit === ref.unit && r.validTo === ref.validTo && r.validFrom === ref.validFrom)
    )
      e.refs.push(ref);
    else {
      const r = e.refs.find((x) => x.unit === ref.unit)!;
      for (const t of ref.types) if (!r.types.includes(t)) r.types.push(t);
    }
  };
  const validity = new Map(
    lex.nameValidity.map((v) => [`${v.period}:${v.level}:${v.code}:${canon(v.name)}`, v]),
  );
  const validityUnits = new Set(lex.nameValidity.map((v) => `${v.period}:${v.level}:${v.code}`));
  const refFor = (u: Unit, name: string, types: string[]): NameRef => {
    const r: NameRef = { unit: u, types };
    const uk = `${u.period}:${u.level}:${u.code}`;
    const v = validityUnits.has(uk) ? validity.get(`${uk}:${canonB(name)}`) : undefined;
    if (v) {
      if (v.validFrom) r.validFrom = v.validFrom;
      if (v.validTo) r.validTo = v.validTo;
      if (v.cue) r.validityCue = v.cue;
    }
    return r;
  };
  for (const p of reg.provinces) {
    const u = units.get(unitKey(p.period, 'province', p.code))!;
    const types = [p.type, ...(p.history ?? []).map((h) => h.type)];
    for (const n of [p.name, ...p.aliases]) addName(n, refFor(u, n, [...types]));
  }
  for (const pl of reg.places) {
    const u = units.get(unitKey(pl.period, pl.level, pl.code))!;
    const types = [pl.type, ...(pl.history ?? []).map((h) => h.type)];
    addName(pl.name, refFor(u, pl.name, types));
    for (const [t, n] of pl.aliases ?? []) addName(n, refFor(u, n, [t]));
  }

  const keys = [...dict.keys()].sort();
  const ac = new AhoCorasick(keys);
  const payload: Entry[][] = keys.map((k) => dict.get(k)!);
  const keyStartsWord = Uint8Array.from(keys, (k) => (WORD.test(k[0]!) ? 1 : 0));
  const keyEndsWord = Uint8Array.from(keys, (k) => (WORD.test(k[k.length - 1]!) ? 1 : 0));

  // province name → units, for datelines; compact (no spaces/dots) folded keys
  const compactCache = new Map<string, string>();
  const compact = (s: string): string => {
    let v = compactCache.get(s);
    if (v === undefined) {
      if (compactCache.size > 10_000) compactCache.clear();
      v = fold(canon(s)).replace(/[\s.\-–]+/g, '');
      compactCache.set(s, v);
    }
    return v;
  };
  const datelineNames = new Map<string, NameRef[]>();
  for (const e of placeByExact.values()) {
    const refs = e.refs.filter((r) => r.unit.level !== 'commune' || r.unit.period === '2025');
    if (!refs.length) continue;
    const k = fold(e.exact).replace(/[\s.\-–]+/g, '');
    const prev = datelineNames.get(k);
    if (prev) prev.push(...refs);
    else datelineNames.set(k, refs);
  }
  const datelineCodes = new Map(Object.entries(lex.datelineCodes));

  // Marker words (các, cũ, báo, trước đây, …) have no tone-placement variants: a set of their lower-case forms
  // plus their diacritic-free forms (matched only by diacritic-free text) is enough.
  const ASCII = /^[\u0020-\u007e]*$/;
  const wordSet = (words: string[]): { exact: Set<string>; plain: Set<string> } => ({
    exact: new Set(words.map(canon)),
    plain: new Set(words.map((w) => fold(canon(w)))),
  });
  const inSet = (set: { exact: Set<string>; plain: Set<string> }, w: string | undefined): boolean =>
    w !== undefined && (set.exact.has(w) || (set.plain.has(w) && ASCII.test(w)));
  const blockedAfter = wordSet(lex.blockedAfter);
  const blockedExceptions = wordSet(lex.blockedAfterExceptions);
  const pluralBefore = wordSet(lex.pluralBefore);
  const pluralAfter = wordSet(lex.pluralAfter);
  const historicMarkers = lex.historicMarkers
    .map((w) => [canon(w), fold(canon(w))] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const historicFirst = new Set(historicMarkers.flatMap(([m, f]) => [m[0]!, f[0]!]));
  const locatives = wordSet(lex.locatives);
  const sameLevel = wordSet(lex.sameLevel);
  const subjectTitles = lex.subjectTitles
    .map((w) => [canon(w), fold(canon(w))] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const countWords = new Map<string, number>();
  for (const [w, n] of Object.entries(lex.countWords)) {
    countWords.set(canon(w), n);
    countWords.set(fold(canon(w)), n);
  }
  const creditRe = new RegExp(
    String.raw`(?:^|[(\s])(?:${lex.creditWords.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\s*:?\s+báo\s+(\p{Lu}[\p{L}]*(?:[ \u00a0-]+\p{Lu}[\p{L}]*){0,3})`,
    'giu',
  );
  const provinceCueWord = lex.levelWords.find((w) => w.level === 'province' && !w.needsName)!;
  const provinceCue: LevelEntry = {
    kind: 'level',
    exact: canon(provinceCueWord.forms[0]!),
    level: 'province',
    unitTypes: new Set(provinceCueWord.unitTypes),
    needsName: false,
  };
  const typeAvailable = (t: LexType, p: Period): boolean => t.periods.includes(p);

  // ---- per-character info, filled lazily from fold()
  const info = new Int32Array(65536).fill(-1);
  const spaceSym = ac.symbols[32]!;
  const dashSym = ac.symbols[45]!;
  const charInfo = (c: number): number => {
    let v = info[c]!;
    if (v !== -1) return v;
    const ch = String.fromCharCode(c);
    if (ZERO_WIDTH.test(ch)) v = INFO_SKIP;
    else if (SPACE.test(ch)) v = INFO_SPACE | spaceSym;
    else if (DASHES.has(c)) v = dashSym;
    else {
      const f = fold(ch);
      v = f.length === 1 ? ac.symbols[f.charCodeAt(0)]! : 0;
      if (WORD.test(ch)) v |= INFO_WORD;
      if (ch !== ch.toLowerCase()) v |= INFO_UPPER;
      if (c >= 48 && c <= 57) v |= INFO_DIGIT;
    }
    info[c] = v;
    return v;
  };

  const lowerTab = new Int32Array(65536).fill(-1);
  const lowerOf = (c: number): number => {
    let v = lowerTab[c]!;
    if (v === -1) {
      const l = String.fromCharCode(c).toLowerCase();
      v = lowerTab[c] = l.length === 1 ? l.charCodeAt(0) : 0;
    }
    return v;
  };
  /**
   * Does the fed span [a, k] agree with the phrase's diacritics? Each character must equal the phrase's
   * (lower-cased). A plain ASCII letter is also accepted where the phrase has a diacritic when the field is
   * written without diacritics (`plain`), or when it is upper case (abbreviations typed without Đ: "GD-DT").
   */
  const agrees = (text: string, a: number, k: number, exact: string, plain: boolean): boolean => {
    for (let j = a; j <= k; j++) {
      const c = text.charCodeAt(fedPos[j]!);
      const e = exact.charCodeAt(j - a);
      if (c < 0x80) {
        if (plain || e < 0x80 || (c >= 65 && c <= 90)) continue;
        return false;
      }
      if (lowerOf(c) === e) continue;
      const inf = charInfo(c);
      if (inf & INFO_SPACE || (inf & INFO_SYM) === dashSym) continue;
      return false;
    }
    return true;
  };
  /** The span in canonical form (tone marks unified), for texts using the other tone convention ("Uỷ"). */
  const canonCache = new Map<string, string>();
  const spanCanon = (text: string, a: number, k: number): string => {
    let span = '';
    for (let j = a; j <= k; j++) {
      const c = text.charCodeAt(fedPos[j]!);
      const inf = charInfo(c);
      span += inf & INFO_SPACE ? ' ' : (inf & INFO_SYM) === dashSym ? '-' : text[fedPos[j]!];
    }
    let v = canonCache.get(span);
    if (v === undefined) {
      if (canonCache.size > 50_000) canonCache.clear();
      v = canon(span);
      canonCache.set(span, v);
    }
    return v;
  };
  /** Does the fed span [a, k] hold a tone-convention cluster (o + a/e, u + y), the only text canon() rewrites? */
  const toneAmbiguous = (text: string, a: number, k: number): boolean => {
    let prev = 0;
    for (let j = a; j <= k; j++) {
      const cls = toneClass[text.charCodeAt(fedPos[j]!)]!;
      if ((prev === 1 && cls === 2) || (prev === 3 && cls === 4)) return true;
      prev = cls;
    }
    return false;
  };
  /** Canonical span agrees with the phrase (same rule as `agrees`). */
  const canonAgrees = (span: string, exact: string, plain: boolean): boolean => {
    if (span === exact) return true;
    if (span.length !== exact.length) return false;
    for (let i = 0; i < span.length; i++) {
      const c = span.charCodeAt(i);
      const e = exact.charCodeAt(i);
      if (c === e) continue;
      if (c < 0x80 && (plain || e < 0x80)) continue;
      return false;
    }
    return true;
  };
  // Per key: 1 = starts with a word character, 2 = ends with one, 4 = only place names (proper nouns).
  const KEY_STARTS_WORD = 1;
  const KEY_ENDS_WORD = 2;
  const KEY_ONLY_PLACES = 4;
  const keyFlags = Uint8Array.from(
    payload,
    (list, i) =>
      (keyStartsWord[i] ? KEY_STARTS_WORD : 0) |
      (keyEndsWord[i] ? KEY_ENDS_WORD : 0) |
      (list.every((e) => e.kind === 'place') ? KEY_ONLY_PLACES : 0),
  );
  /**
   * Tone-mark classes of lower-case letters, for the tone-convention clusters ("oa", "oe", "uy") that canon()
   * may rewrite: 1 = o, 2 = a/e, 3 = u, 4 = y (any tone). A span without such a pair is its own canonical form.
   */
  const toneClass = new Uint8Array(65536);
  for (const [cls, letters] of [
    [1, 'oòóỏõọ'],
    [2, 'aàáảãạeèéẻẽẹ'],
    [3, 'uùúủũụ'],
    [4, 'yỳýỷỹỵ'],
  ] as const) {
    for (const ch of letters) {
      toneClass[ch.charCodeAt(0)] = cls;
      toneClass[ch.toUpperCase().charCodeAt(0)] = cls;
    }
  }
  // Scanning is a chain of dependent table reads; what is read per character besides the DFA row must stay in
  // the L1 cache. hasOut: one bit per state, set when some key ends there (directly or on its suffix chain);
  // endInfo: per state that ends a key, (key length << 3) | key flags, so that the boundary checks need one read.
  const hasOut = new Uint32Array((ac.stateCount + 31) >>> 5);
  const endInfo = new Int32Array(ac.stateCount);
  for (let st = 0; st < ac.stateCount; st++) {
    if (ac.firstOut[st]! >= 0) hasOut[st >>> 5]! |= 1 << (st & 31);
    const key = ac.out[st]!;
    if (key >= 0) endInfo[st] = (ac.keyLength[key]! << 3) | keyFlags[key]!;
  }
  let hitBuf = new Int32Array(3 * 1024);

  // reusable scan buffers
  let cap = 0;
  let fedPos = new Int32Array(0);
  let fedWord = new Uint8Array(0);
  const ensure = (n: number): void => {
    if (n <= cap) return;
    cap = Math.max(n, cap * 2, 4096);
    fedPos = new Int32Array(cap);
    fedWord = new Uint8Array(cap);
  };
  const EMPTY_HEADS: Array<HeadEntry | FixedEntry> = [];
  const EMPTY_PLACES: PlaceEntry[] = [];
  const byStart = (x: Token, y: Token): number => x.start - y.start || y.end - x.end;

  /** Find, verify and select tokens in one field's text. */
  function tokenize(text: string): Token[] {
    const len = text.length;
    ensure(len + 1);
    const pos = fedPos;
    const word = fedWord;
    const inf = info;
    const hasUpper = /\p{Lu}/u.test(text);
    const A = ac.alphabetSize;
    const delta = ac.delta;
    const firstOut = ac.firstOut;
    const out = ac.out;
    const dl = ac.dictLink;
    const outBits = hasOut;
    const ends = endInfo;
    const flags = keyFlags;
    let hits = hitBuf;
    let n = 0;
    let lastSpace = true;
    let letters = 0;
    let marked = 0;
    let nHits = 0;
    let s = 0;
    // One pass: feed each character (folded symbol; whitespace runs collapsed; zero-width skipped) to the DFA.
    // Hits are kept if they start on a word boundary; the end boundary is checked below, once the next
    // character is known.
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      let v = inf[c]!;
      if (v === -1) v = charInfo(c);
      if (v & INFO_SKIP) continue;
      if (v & INFO_SPACE) {
        if (lastSpace) continue;
        lastSpace = true;
      } else {
        lastSpace = false;
        if (v & INFO_WORD) {
          letters++;
          if (c >= 0xc0) marked++;
        }
      }
      pos[n] = i;
      word[n] = v & INFO_WORD ? 1 : 0;
      s = delta[s * A + (v & INFO_SYM)]!;
      if (((outBits[s >>> 5]! >>> (s & 31)) & 1) === 0) {
        n++;
        continue;
      }
      for (let o = firstOut[s]!; o >= 0; o = dl[o]!) {
        const end = ends[o]!;
        const a = n - (end >>> 3) + 1;
        const f = end & 7;
        if (
          ((f & KEY_STARTS_WORD) === 0 || a === 0 || word[a - 1] === 0) &&
          !(
            f & KEY_ONLY_PLACES &&
            hasUpper &&
            (inf[text.charCodeAt(pos[a]!)]! & (INFO_UPPER | INFO_DIGIT)) === 0
          )
        ) {
          if (3 * nHits + 3 > hits.length) {
            const grown = new Int32Array(hits.length * 2);
            grown.set(hits);
            hits = hitBuf = grown;
          }
          hits[3 * nHits] = a;
          hits[3 * nHits + 1] = n;
          hits[3 * nHits + 2] = out[o]!;
          nHits++;
        }
      }
      n++;
    }
    if (nHits === 0) return [];
    // Vietnamese prose has marks on roughly half its syllables; under 2% of letters means no diacritics.
    const plain = marked < letters * 0.02;
    // verify diacritics and capitalisation, build candidate tokens
    const primary: Token[] = [];
    const secondary: Token[] = [];
    let blocks: number[] | null = null;
    for (let h = 0; h < nHits; h++) {
      const a = hits[3 * h]!;
      const k = hits[3 * h + 1]!;
      const key = hits[3 * h + 2]!;
      if (flags[key]! & KEY_ENDS_WORD && k + 1 < n && word[k + 1] === 1) continue;
      const start = pos[a]!;
      const end = pos[k]! + 1;
      // place names are proper nouns: "hòa bình" (peace) is not Hòa Bình
      const capital = !hasUpper || (charInfo(text.charCodeAt(start)) & (INFO_UPPER | INFO_DIGIT)) !== 0;
      const entries = payload[key]!;
      let unified: string | null = null;
      let tok: Token | null = null;
      let isBlock = false;
      for (let x = 0; x < entries.length; x++) {
        const e = entries[x]!;
        if (!agrees(text, a, k, e.exact, plain)) {
          // only the other tone-mark convention can still agree ("Uỷ ban" for "Ủy ban")
          if (unified === null) unified = toneAmbiguous(text, a, k) ? spanCanon(text, a, k) : '';
          if (unified === '' || !canonAgrees(unified, e.exact, plain)) continue;
        }
        if (e.kind === 'block') {
          isBlock = true;
          continue;
        }
        if (e.kind === 'place' && !capital) continue;
        tok ??= { start, end, heads: EMPTY_HEADS, level: null, places: EMPTY_PLACES, capital };
        if (e.kind === 'head' || e.kind === 'fixed') {
          if (tok.heads === EMPTY_HEADS) tok.heads = [e];
          else tok.heads.push(e);
        } else if (e.kind === 'level') tok.level = e;
        else if (tok.places === EMPTY_PLACES) tok.places = [e];
        else tok.places.push(e);
      }
      if (isBlock) (blocks ??= []).push(start, end);
      if (!tok) continue;
      if (tok.heads.length) primary.push(tok);
      if (tok.level || tok.places.length)
        secondary.push(tok.heads.length ? { ...tok, heads: EMPTY_HEADS } : tok);
    }
    const inBlock = (t: Token): boolean => {
      if (blocks === null) return false;
      for (let b = 0; b < blocks.length; b += 2)
        if (t.start < blocks[b + 1]! && blocks[b]! < t.end) return true;
      return false;
    };
    // Longest-leftmost tokens that overlap no block and (for places) no chosen head.
    const select = (list: Token[], taken: Token[] | null): Token[] => {
      list.sort(byStart);
      const chosen: Token[] = [];
      let lastEnd = -1;
      let q = 0;
      for (const t of list) {
        if (t.start < lastEnd) continue;
        if (inBlock(t)) continue;
        if (taken) {
          // taken spans are sorted and disjoint: skip those that end before t starts
          while (q < taken.length && taken[q]!.end <= t.start) q++;
          if (q < taken.length && taken[q]!.start < t.end) continue;
        }
        chosen.push(t);
        lastEnd = t.end;
      }
      return chosen;
    };
    const heads = select(primary, null);
    if (!secondary.length) return heads;
    const rest = select(secondary, heads);
    if (!heads.length) return rest;
    // merge two lists sorted by start (stable: heads first on equal starts, as a stable sort of heads ++ rest)
    const merged: Token[] = new Array<Token>(heads.length + rest.length);
    let x = 0;
    let y = 0;
    let z = 0;
    while (x < heads.length && y < rest.length)
      merged[z++] = rest[y]!.start < heads[x]!.start ? rest[y++]! : heads[x++]!;
    while (x < heads.length) merged[z++] = heads[x++]!;
    while (y < rest.length) merged[z++] = rest[y++]!;
    return merged;
  }

  // ---- text helpers on the scanned text
  /** Up to `count` words before `pos`, nearest last, lower case; stops at punctuation. */
  function wordsBefore(text: string, pos: number, count: number): string[] {
    const out: string[] = [];
    let i = pos - 1;
    while (out.length < count) {
      while (i >= 0 && charInfo(text.charCodeAt(i)) & INFO_SPACE) i--;
      const end = i + 1;
      while (i >= 0 && charInfo(text.charCodeAt(i)) & INFO_WORD) i--;
      if (end === i + 1) break;
      out.push(text.slice(i + 1, end).toLowerCase());
    }
    return out.reverse();
  }
  /** Lower-cased text after `pos` (up to n chars), leading spaces removed. */
  function textAfter(text: string, pos: number, n: number): string {
    return text
      .slice(pos, pos + n)
      .toLowerCase()
      .trimStart();
  }
  /** `s` starts with the word `w`, or with its diacritic-free form `wFolded` written without diacritics. */
  function startsWithWord(s: string, w: string, wFolded: string): boolean {
    const ok = s.startsWith(w) || (s.startsWith(wFolded) && ASCII.test(s.slice(0, w.length)));
    if (!ok) return false;
    const next = s[w.length];
    return next === undefined || !WORD.test(next) || !WORD.test(w[w.length - 1]!);
  }
  /** The first one and two words of `s` (lower case). */
  const leadingWords = (s: string): [string | undefined, string | undefined] => {
    const m = /^([\p{L}\p{N}]+)(?:\s+([\p{L}\p{N}]+))?/u.exec(s);
    return m ? [m[1], m[2] ? `${m[1]} ${m[2]}` : undefined] : [undefined, undefined];
  };

  /** Set per field: most words capitalised (headline style), so capitals say nothing about names. */
  let titleCase = false;
  const isTitleCase = (text: string): boolean => {
    if (text.length > 400) return false; // headlines and leads, not article bodies
    // words are runs of letters (/[\p{L}]+/gu), counted on code units; text with surrogates takes the regex
    let words = 0;
    let caps = 0;
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) return isTitleCaseSlow(text);
      const letter = (LETTER[c] || letterSlow(c)) === 1;
      if (letter && !inWord) {
        words++;
        if (lowerOf(c) !== c) caps++;
      }
      inWord = letter;
    }
    if (words < 4) return false;
    return caps >= words * 0.7;
  };
  const isTitleCaseSlow = (text: string): boolean => {
    const words = text.match(/[\p{L}]+/gu) ?? [];
    if (words.length < 4) return false;
    let caps = 0;
    for (const w of words) if (w[0] !== w[0]!.toLowerCase()) caps++;
    return caps >= words.length * 0.7;
  };
  /** Per UTF-16 unit: 1 = a letter (\p{L}), 2 = not, 0 = not computed yet. */
  const LETTER = new Uint8Array(65536);
  const letterSlow = (c: number): number => (LETTER[c] = /\p{L}/u.test(String.fromCharCode(c)) ? 1 : 2);

  // Gaps between tokens, checked on character codes (no slices): at most 8 characters, and
  //   tight: /^[ \t\u00a0\u2000-\u200d\u202f\u2060\ufeff]{0,3}$/
  //   qualifier: /^\s*[,(\-\u2013\u2014]?\s*$/
  //   coordination: /^\s*(?:,|-|\u2013|&|và|va)\s*$/i
  const GAP_TIGHT = 0;
  const GAP_QUAL = 1;
  const GAP_COORD = 2;
  const gapIs = (text: string, from: number, to: number, kind: number): boolean => {
    if (to < from || to - from > 8) return false;
    if (kind === GAP_TIGHT) {
      if (to - from > 3) return false;
      for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (!(
          c === 0x20 ||
          c === 0x09 ||
          c === 0xa0 ||
          (c >= 0x2000 && c <= 0x200d) ||
          c === 0x202f ||
          c === 0x2060 ||
          c === 0xfeff
        ))
          return false;
      }
      return true;
    }
    let i = from;
    while (i < to && isJsSpace(text.charCodeAt(i))) i++;
    if (kind === GAP_QUAL) {
      const c = text.charCodeAt(i);
      if (i < to && (c === 0x2c || c === 0x28 || c === 0x2d || c === 0x2013 || c === 0x2014)) i++;
    } else {
      if (i >= to) return false;
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x2d || c === 0x2013 || c === 0x26) i++;
      else if ((c === 0x76 || c === 0x56) && i + 1 < to) {
        const d = text.charCodeAt(i + 1);
        if (d === 0xe0 || d === 0xc0 || d === 0x61 || d === 0x41) i += 2;
        else return false;
      } else return false;
    }
    while (i < to && isJsSpace(text.charCodeAt(i))) i++;
    return i === to;
  };

  /** The admin types a name ref can have for a cue. */
  const cueFits = (cue: LevelEntry, r: NameRef): boolean => r.types.some((t) => cue.unitTypes.has(t));

  function parsePlace(
    text: string,
    toks: Token[],
    j: number,
    opts: { bareDistricts: boolean },
  ): PlacePhrase | null {
    const t = toks[j];
    if (!t) return null;
    if (t.level) {
      const nx = toks[j + 1];
      if (
        nx &&
        nx.places.length &&
        nx.heads.length === 0 &&
        gapIs(text, t.end, nx.start, GAP_TIGHT) &&
        nx.capital
      ) {
        const cue = t.level;
        let refs: NameRef[] = [];
        for (const e of nx.places) {
          let fit = (e.byCue ??= new Map()).get(cue);
          if (!fit) e.byCue.set(cue, (fit = e.refs.filter((r) => cueFits(cue, r))));
          refs = refs.length ? refs.concat(fit) : fit;
        }
        const all = nx.places.length === 1 ? nx.places[0]!.refs : nx.places.flatMap((e) => e.refs);
        // the press keeps old type words after upgrades ("huyện Phú Quốc" for the city, same code): any unit of
        // the cue's level when none has the named type
        if (!refs.length && (t.level.level === 'district' || t.level.level === 'commune')) {
          refs = all.filter((r) => r.unit.level === t.level!.level);
        }
        if (refs.length) return { cue: t.level, refs, unknownName: false, lastTok: j + 1, end: nx.end };
      }
      if (t.level.needsName) return null;
      // a capitalised word right after the level word that is not a known name
      const after = text.slice(t.end, t.end + 3);
      const unknownName = (!titleCase && /^[ \u00a0]\p{Lu}/u.test(after)) || /^[ \u00a0]?\d/.test(after);
      return { cue: t.level, refs: null, unknownName, lastTok: j, end: t.end };
    }
    if (t.places.length && t.heads.length === 0 && t.capital) {
      let refs: NameRef[] = [];
      for (const e of t.places) {
        e.provinceRefs ??= e.refs.filter((r) => r.unit.level === 'province');
        e.districtRefs ??= e.refs.filter((r) => r.unit.level === 'district');
        if (e.provinceRefs.length) refs = refs.concat(e.provinceRefs);
        if (opts.bareDistricts && e.bareOk && e.districtRefs.length) refs = refs.concat(e.districtRefs);
      }
      if (refs.length) return { cue: null, refs, unknownName: false, lastTok: j, end: t.end };
    }
    return null;
  }

  const contains = (parent: Unit, child: Unit): boolean => {
    if (parent.level === 'province') return child.period === parent.period && child.province === parent.code;
    if (parent.level === 'district') return child.period === 'pre2025' && child.district === parent.code;
    return false;
  };

  /** Attach qualifiers (", huyện Tân Hiệp, tỉnh Kiên Giang") to an explicit district/commune phrase. */
  function qualify(text: string, toks: Token[], ph: PlacePhrase): void {
    if (!ph.refs || ph.refs.every((r) => r.unit.level === 'province')) return;
    for (let n = 0; n < 3; n++) {
      const q = ph.lastTok + 1;
      const qt = toks[q];
      if (!qt || !gapIs(text, ph.end, qt.start, GAP_QUAL)) return;
      const sub = parsePlace(text, toks, q, { bareDistricts: true });
      if (!sub || !sub.refs) return;
      const subRefs = sub.refs;
      const filtered: NameRef[] = ph.refs!.filter((r) =>
        subRefs.some((s) => s.unit.level !== 'commune' && contains(s.unit, r.unit)),
      );
      if (!filtered.length) return;
      ph.refs = filtered;
      ph.lastTok = sub.lastTok;
      ph.end = sub.end;
      if (text[ph.end] === ')') ph.end++;
    }
  }

  /** Length (from pos) of a historic marker such as " (cũ)" right after pos, or 0. */
  function historicAfter(text: string, pos: number): number {
    let p = pos;
    while (p < pos + 3 && (text[p] === ' ' || text[p] === '\u00a0')) p++;
    const first = text[p]?.toLowerCase();
    if (first === undefined || !historicFirst.has(first)) return 0;
    const raw = text.slice(pos, pos + 30);
    const lead = raw.length - raw.trimStart().length;
    const s = raw.toLowerCase().trimStart();
    for (const [m, mf] of historicMarkers) {
      if (startsWithWord(s, m, mf)) return lead + m.length;
    }
    return 0;
  }

  /**
   * "Sở Y tế hai tỉnh An Giang và Cà Mau" → one mention per named province; "UBND hai huyện" → the two
   * districts named earlier in the article. null when the plural cannot be spelled out.
   */
  function distributive(
    text: string,
    toks: Token[],
    i: number,
    field: Field,
    order: number,
    head: HeadEntry,
    evidence: Evidence[],
  ): RawMention[] | null {
    const t = toks[i]!;
    const j = i + 1;
    const first = toks[j];
    if (!first || first.heads.length || first.start - t.end > 16) return null;
    const between = text.slice(t.end, first.start).trim().toLowerCase();
    const count = countWords.get(between) ?? (inSet(pluralAfter, between) ? 0 : -1);
    if (count < 0) return null;
    const allowed = (level: Level): boolean => level === 'province' || head.type.lowerLevels;
    const make = (ph: PlacePhrase, end: number): RawMention => ({
      field,
      start: t.start,
      end,
      order,
      head,
      phrase: ph,
      historic: false,
    });
    // names listed after the plural
    const phrases: PlacePhrase[] = [];
    let k = j;
    for (let guard = 0; guard < 6; guard++) {
      const ph = parsePlace(text, toks, k, { bareDistricts: false });
      if (!ph?.refs || !ph.refs.every((r) => allowed(r.unit.level))) break;
      phrases.push(ph);
      const nx = toks[ph.lastTok + 1];
      if (!nx || !gapIs(text, ph.end, nx.start, GAP_COORD)) break;
      k = ph.lastTok + 1;
    }
    if (phrases.length >= 2) {
      const end = phrases[phrases.length - 1]!.end;
      return phrases.map((ph) => make(ph, end));
    }
    // "hai huyện" with no names: the units of that level named earlier, if there are exactly that many
    if (count >= 2 && first.level && phrases.length === 0) {
      const cue = first.level;
      if (!allowed(cue.level === 'city' ? 'district' : (cue.level as Level))) return null;
      const seen = new Map<string, NameRef>();
      for (const ev of evidence) {
        if (ev.cue !== cue.level || ev.refs.length !== 1) continue;
        const r = ev.refs[0]!;
        if (cueFits(cue, r)) seen.set(`${r.unit.period}:${r.unit.level}:${r.unit.code}`, r);
      }
      if (seen.size !== count) return null;
      const end = first.end;
      return [...seen.values()].map((r) =>
        make({ cue, refs: [r], unknownName: false, lastTok: j, end }, end),
      );
    }
    return null;
  }

  /** Parse the mention that starts at head token i; null when it is not an agency mention. */
  function parseHead(
    text: string,
    toks: Token[],
    i: number,
    field: Field,
    order: number,
    ctx: { evidence: Evidence[]; prev: RawMention | null },
  ): RawMention | RawMention[] | 'plural' | null {
    const t = toks[i]!;
    const head = t.heads.find((h) => h.kind === 'fixed') ?? t.heads[0]!;
    // outlet and organisation names: "Báo Công an …", "Công ty …"
    const before = wordsBefore(text, t.start, 3);
    const w1 = before[before.length - 1];
    const w2 = before.length >= 2 ? `${before[before.length - 2]} ${w1}` : undefined;
    if (inSet(blockedAfter, w2)) return null;
    if (inSet(blockedAfter, w1) && !inSet(blockedExceptions, before[before.length - 2])) return null;
    if (head.kind === 'fixed') {
      return {
        field,
        start: t.start,
        end: t.end,
        order,
        head,
        phrase: null,
        historic: historicAfter(text, t.end) > 0,
      };
    }
    // document symbols ("Quyết định 123/QĐ-UBND"): a generic head glued to a preceding code
    const prevChar = text[t.start - 1];
    if (head.type.bare !== true && (prevChar === '-' || prevChar === '/')) {
      const prevTok = toks[i - 1];
      const coordinated = prevTok && prevTok.heads.length > 0 && prevTok.end === t.start - 1;
      if (!coordinated) return null;
    }
    if (inSet(pluralBefore, w1)) return 'plural';

    let phrase: PlacePhrase | null = null;
    const nx = toks[i + 1];
    if (nx && gapIs(text, t.end, nx.start, GAP_TIGHT) && nx.heads.length === 0)
      phrase = parsePlace(text, toks, i + 1, { bareDistricts: false });
    if (phrase) qualify(text, toks, phrase);
    if (!phrase && nx && nx.heads.length && gapIs(text, t.end, nx.start, GAP_COORD)) {
      // coordination: "Sở Y tế và Sở GD&ĐT tỉnh An Giang", "HĐND-UBND tỉnh"
      const nn = toks[i + 2];
      if (nn && gapIs(text, nx.end, nn.start, GAP_TIGHT)) {
        const shared = parsePlace(text, toks, i + 2, { bareDistricts: false });
        // a province-level Sở does not take the commune of its neighbour ("Sở Xây dựng và UBND đặc khu X")
        const fits =
          shared &&
          (head.type.lowerLevels ||
            (shared.refs
              ? shared.refs.some((r) => r.unit.level === 'province')
              : shared.cue!.level === 'province' || shared.cue!.level === 'city'));
        if (shared && fits) {
          qualify(text, toks, shared);
          phrase = { ...shared, lastTok: i, end: t.end };
        }
      }
    }
    if (!phrase) {
      // "VKSND cùng cấp": the level of the agency named just before
      const [s1, s2] = leadingWords(textAfter(text, t.end, 24));
      if ((inSet(sameLevel, s1) || inSet(sameLevel, s2)) && ctx.prev) {
        const p = ctx.prev;
        const lvl = p.phrase?.refs ? p.phrase.refs[0]!.unit.level : (p.phrase?.cue?.level ?? 'province');
        if (lvl !== 'province' && lvl !== 'city') return null;
        phrase = { cue: provinceCue, refs: null, unknownName: false, lastTok: i, end: t.end };
      }
    }
    if (head.levelOnly && !phrase?.cue) return null;
    if (!phrase || (!phrase.refs && !phrase.unknownName)) {
      const [a1, a2] = leadingWords(textAfter(text, phrase ? phrase.end : t.end, 24));
      if (inSet(pluralAfter, a1) || inSet(pluralAfter, a2)) {
        return distributive(text, toks, i, field, order, head, ctx.evidence) ?? 'plural';
      }
    }
    const end = phrase && phrase.lastTok > i ? phrase.end : t.end;
    const hist = historicAfter(text, end);
    return {
      field,
      start: t.start,
      end: hist && phrase?.refs ? end + hist : end,
      order,
      head,
      phrase,
      historic: hist > 0,
    };
  }

  /** Is the word right before `pos` capitalised without being the first word of a sentence? */
  function capitalisedWordBefore(text: string, pos: number): boolean {
    let j = pos - 1;
    while (j >= 0 && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0xa0)) j--;
    if (j === pos - 1 || j < 0 || !(charInfo(text.charCodeAt(j)) & INFO_WORD)) return false;
    let w = j;
    while (w > 0 && charInfo(text.charCodeAt(w - 1)) & INFO_WORD) w--;
    if (!(charInfo(text.charCodeAt(w)) & INFO_UPPER)) return false;
    let b = w - 1;
    while (b >= 0 && isJsSpace(text.charCodeAt(b))) b--;
    return b >= 0 && !SENTENCE_BOUNDARY.has(text.charCodeAt(b));
  }
  /** Characters after which a capital starts a sentence or a quotation: [.!?:;"“”'‘’([–—-] */
  const SENTENCE_BOUNDARY = new Set(Array.from('.!?:;"“”\'‘’([–—-', (ch) => ch.charCodeAt(0)));

  /** Context evidence from the place tokens of one field. */
  function collectEvidence(text: string, toks: Token[], weight: number, out: Evidence[]): void {
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.level) {
        const ph = parsePlace(text, toks, i, { bareDistricts: false });
        if (ph?.refs) {
          qualify(text, toks, ph);
          out.push({ refs: ph.refs, weight, kind: 'text', cue: ph.cue!.level });
          i = ph.lastTok;
        }
        continue;
      }
      if (!t.places.length || !t.capital || t.heads.length) continue;
      const prev = toks[i - 1];
      const attached = prev && (prev.heads.length || prev.level) && gapIs(text, prev.end, t.start, GAP_TIGHT);
      // part of a longer proper name ("ông Nguyễn Khánh Hòa", "Báo An Giang")? A capitalised word right before,
      // unless it is capitalised only because it starts the sentence ("Tại An Giang, …").
      if (!attached && !titleCase && capitalisedWordBefore(text, t.start)) continue;
      // a weak name counts after a locative ("ở Hà Nam") or as a headline prefix ("Hà Nam: …")
      let marked: boolean | null = null; // computed only for weak names
      for (const e of t.places) {
        if (!attached && e.weak) {
          if (marked === null) {
            const before = wordsBefore(text, t.start, 2);
            marked =
              inSet(locatives, before[before.length - 1]) ||
              inSet(locatives, before.join(' ')) ||
              (text.slice(0, t.start).trim() === '' &&
                /^\s*[:\-\u2013\u2014,]/.test(text.slice(t.end, t.end + 3)));
          }
          if (!marked) continue;
        }
        const prov = (e.provinceRefs ??= e.refs.filter((r) => r.unit.level === 'province'));
        if (prov.length) {
          out.push({ refs: prov, weight, kind: 'text', cue: null });
          continue;
        }
        if (!e.bareOk) continue;
        const dists = (e.districtRefs ??= e.refs.filter((r) => r.unit.level === 'district'));
        if (dists.length && dists.every((r) => r.unit.province === dists[0]!.unit.province)) {
          out.push({ refs: dists, weight: weight * 0.5, kind: 'text', cue: null });
        }
      }
    }
  }

  /** Dateline: "(AG) - …", "ANGIANG - …", "Rạch Giá, 23/11 – …" or the extractor's value. */
  function datelineRefs(article: LinkInput): NameRef[] {
    let raw = article.dateline?.trim() ?? '';
    if (!raw) {
      const lead = (article.sapo || article.body || '').slice(0, 120);
      const m =
        /^\s*\(([^()]{1,30})\)\s*[-\u2013\u2014:]/u.exec(lead) ??
        /^\s*([^\d,()\-\u2013\u2014:]{2,40}?)\s*,\s*\d{1,2}\/\d{1,2}(?:\/\d{2,4})?\s*[-\u2013\u2014:(]/u.exec(
          lead,
        ) ??
        /^\s*([\p{Lu}][\p{Lu}\s.]{1,30}?)\s*[-\u2013\u2014]\s/u.exec(lead);
      raw = m?.[1]?.trim() ?? '';
    }
    if (!raw) return [];
    const byCode = datelineCodes.get(raw.replace(/\s+/g, ''));
    const name = byCode ?? raw;
    return datelineNames.get(compact(name)) ?? [];
  }

  // ------------------------------------------------------------------ resolution helpers

  const provincesOf = (refs: NameRef[], period: Period): string[] => {
    const direct = refs.filter((r) => r.unit.period === period);
    const set = new Set<string>();
    if (direct.length) for (const r of direct) set.add(r.unit.province);
    else {
      for (const r of refs) {
        if (period === '2025' && r.unit.successorProvince) set.add(r.unit.successorProvince);
        if (period === 'pre2025') for (const p of r.unit.fromProvinces ?? []) set.add(p);
      }
    }
    return [...set];
  };

  const agencyIdFor = (u: Unit, slug: string | 'ubnd'): string => {
    if (u.level === 'province') return `${u.period}-${u.code}-${slug}`;
    if (u.level === 'district') return `pre2025-d${u.code}-ubnd`;
    return `${u.period}-c${u.code}-ubnd`;
  };

  const validOn = (r: NameRef, date: string | null, cue: CueLevel | null): boolean => {
    if (!date) return true;
    const vf = r.validityCue && r.validityCue !== cue ? undefined : r.validFrom;
    const vt = r.validityCue && r.validityCue !== cue ? undefined : r.validTo;
    if (vf && date < vf) return false;
    if (vt && date > vt) return false;
    if (r.unit.validFrom && date < r.unit.validFrom) return false;
    if (r.unit.validTo && date > r.unit.validTo) return false;
    return true;
  };

  function link(article: LinkInput): LinkResult {
    const date = localDate(article.publishedAt);
    let P0: Period = date && date < REFORM_DATE ? 'pre2025' : '2025';
    const undated = !date;

    const fields: Array<[Field, string]> = [];
    if (article.title) fields.push(['title', article.title]);
    if (article.sapo) fields.push(['sapo', article.sapo]);
    if (article.body) fields.push(['body', article.body]);

    const mentions: RawMention[] = [];
    const unresolved: Unresolved[] = [];
    const evidence: Evidence[] = [];
    const maps = new Map<Field, NormalizedText | null>();
    const originals = new Map<Field, string>();
    let order = 0;
    for (const [field, original] of fields) {
      originals.set(field, original);
      let text = original;
      let norm: NormalizedText | null = null;
      if (original.normalize('NFC') !== original) {
        norm = normalizeWithMap(original);
        text = norm.text;
      }
      maps.set(field, norm);
      const toks = tokenize(text);
      titleCase = isTitleCase(text);
      collectEvidence(text, toks, field === 'body' ? 1 : 1.5, evidence);
      let prev: RawMention | null = null;
      for (let i = 0; i < toks.length; i++) {
        if (!toks[i]!.heads.length) continue;
        const got = parseHead(text, toks, i, field, order++, { evidence, prev });
        if (!got || got === 'plural') continue;
        const list = Array.isArray(got) ? got : [got];
        mentions.push(...list);
        prev = list[list.length - 1]!;
        const last = Math.max(...list.map((m) => m.phrase?.lastTok ?? i));
        if (last > i) i = last;
      }
      // a credited source ("Theo Báo Kon Tum"): its home province is context, like a dateline
      // credits stand at the start or the end of a field
      const creditText = text.length > 600 ? `${text.slice(0, 300)}\n${text.slice(-300)}` : text;
      creditRe.lastIndex = 0;
      for (let m = creditRe.exec(creditText); m; m = creditRe.exec(creditText)) {
        for (const r of datelineNames.get(compact(m[1]!)) ?? []) {
          if (r.unit.level === 'province')
            evidence.push({ refs: [r], weight: 1.5, kind: 'dateline', cue: null });
        }
      }
    }
    for (const r of datelineRefs(article))
      evidence.push({ refs: [r], weight: 2, kind: 'dateline', cue: null });

    // No date: names that exist in one period only decide ("huyện", Kiên Giang, Sở TN&MT → pre2025;
    // đặc khu, An Giang 91's communes → 2025); a tie keeps the current period.
    if (!date) {
      const votes = { pre2025: 0, '2025': 0 };
      const vote = (refs: NameRef[]): void => {
        const ps = new Set(refs.map((r) => r.unit.period));
        if (ps.size === 1) votes[[...ps][0]!]++;
      };
      for (const m of mentions) {
        if (m.phrase?.refs) vote(m.phrase.refs);
        if (m.head.kind === 'head' && m.head.type.periods.length === 1) votes[m.head.type.periods[0]!]++;
      }
      for (const ev of evidence) if (ev.cue) vote(ev.refs);
      if (votes.pre2025 > votes['2025']) P0 = 'pre2025';
    }

    const toOriginal = (
      field: Field,
      start: number,
      end: number,
    ): { start: number; end: number; text: string } => {
      const norm = maps.get(field);
      const orig = originals.get(field)!;
      if (!norm) return { start, end, text: orig.slice(start, end) };
      const span = toOriginalSpan(norm, start, end);
      return { start: span.start, end: span.end, text: orig.slice(span.start, span.end) };
    };

    // ---- province scores per period (cached)
    const scoreCache = new Map<Period, Map<string, { text: number; dateline: number; outlet: number }>>();
    const scores = (period: Period): Map<string, { text: number; dateline: number; outlet: number }> => {
      let sc = scoreCache.get(period);
      if (sc) return sc;
      sc = new Map();
      const bump = (code: string, k: 'text' | 'dateline' | 'outlet', w: number): void => {
        let e = sc!.get(code);
        if (!e) sc!.set(code, (e = { text: 0, dateline: 0, outlet: 0 }));
        e[k] += w;
      };
      // A place name found in several provinces says nothing about which one is meant: only names that point
      // to one province count (otherwise "xã Tân Hội" would vote for every province that has one).
      for (const ev of evidence) {
        const ps = provincesOf(ev.refs, period);
        if (ps.length === 1) bump(ps[0]!, ev.kind, ev.weight);
      }
      const op = article.outletProvince;
      if (op) {
        let ps: string[] = [];
        if (op.period === period) ps = [op.code];
        else if (op.period === 'pre2025') ps = [provSuccessor.get(op.code) ?? ''].filter(Boolean);
        else ps = reg.province('2025', op.code)?.predecessors ?? [];
        for (const p of ps) bump(p, 'outlet', 0.5 / ps.length);
      }
      scoreCache.set(period, sc);
      return sc;
    };
    type ProvinceChoice = { code: string; confidence: number } | { ambiguous: string[] } | null;
    // chooseProvince(period) without `among` depends only on scores(period): memoized alongside it
    const choiceCache = new Map<Period, ProvinceChoice>();
    const chooseProvince = (period: Period, among?: Set<string>): ProvinceChoice => {
      if (!among) {
        if (!choiceCache.has(period)) choiceCache.set(period, chooseProvinceIn(period));
        return choiceCache.get(period)!;
      }
      return chooseProvinceIn(period, among);
    };
    const chooseProvinceIn = (period: Period, among?: Set<string>): ProvinceChoice => {
      const sc = scores(period);
      const list = [...sc.entries()]
        .filter(([c]) => !among || among.has(c))
        .map(([c, v]) => [c, v.text + v.dateline + v.outlet, v] as const)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      if (!list.length || list[0]![1] <= 0) return null;
      const [code, s1, v] = list[0]!;
      const s2 = list[1]?.[1] ?? 0;
      if (s1 < 2 * s2) return { ambiguous: list.filter((x) => x[1] * 2 > s1).map((x) => x[0]) };
      const confidence = v.text >= 1 ? 0.8 : v.dateline > 0 ? 0.75 : v.text > 0 ? 0.7 : 0.6;
      return { code, confidence };
    };

    // explicit mentions first (they also serve as coreference anchors)
    const explicitByType = new Map<string, Set<string>>();
    const results: Array<{ m: RawMention; r: Resolved }> = [];
    const unresolvedOf = (m: RawMention, reason: UnresolvedReason, candidates?: string[]): void => {
      const o = toOriginal(m.field, m.start, m.end);
      const u: Unresolved = { text: o.text, field: m.field, start: o.start, end: o.end, reason };
      if (candidates?.length) u.candidates = candidates;
      unresolved.push(u);
    };
    const adjust = (c: number, cross: boolean): number =>
      Math.max(0.05, Math.min(0.99, c - (undated ? 0.1 : 0) - (cross ? 0.05 : 0)));

    const lowerOk = (m: RawMention): boolean => m.head.kind === 'head' && m.head.type.lowerLevels;
    const slugOf = (m: RawMention): string => (m.head.kind === 'head' ? m.head.type.slug : m.head.type);

    const resolveExplicit = (
      m: RawMention,
    ): Resolved | UnresolvedReason | [UnresolvedReason, string[]] | null => {
      const ph = m.phrase!;
      const head = m.head as HeadEntry;
      const cue = ph.cue?.level ?? null;
      let refs = ph.refs!.filter((r) => (r.unit.level === 'province' ? true : lowerOk(m)));
      if (!refs.length) return null; // "Công an huyện X": not an agency of the registry
      // party words: "Thành ủy" names a centrally-run city's committee
      if (head.party === 'thanh') refs = refs.filter((r) => r.unit.level === 'province');
      const pref: Period = m.historic ? 'pre2025' : P0;
      const cands = new Map<string, { r: NameRef; period: Period }>();
      let missing = false;
      for (const r of refs) {
        const u = r.unit;
        if (u.level === 'province' && !typeAvailable(head.type, u.period)) continue;
        const id = agencyIdFor(u, head.type.slug);
        if (!reg.agencies.has(id)) {
          missing = true;
          continue;
        }
        if (!cands.has(id)) cands.set(id, { r, period: u.period });
      }
      if (!cands.size)
        return missing
          ? ['agency-not-in-registry', [...new Set(refs.map((r) => agencyIdFor(r.unit, head.type.slug)))]]
          : null;
      let pool = [...cands.entries()].filter(([, c]) => c.period === pref);
      let cross = false;
      let early = false;
      if (!pool.length) {
        pool = [...cands.entries()];
        cross = true;
        // a pre-2025 article naming a unit that exists only after the reform: plans, or a coincidence
        early = pref === 'pre2025' && !!date && date < '2025-01-01';
      }
      if (early) return ['unknown-unit', pool.map(([id]) => id)];
      const dated = pool.filter(([, c]) => validOn(c.r, date, cue));
      if (dated.length) pool = dated;
      if (pool.length === 1) return { id: pool[0]![0], confidence: adjust(0.95, cross) };
      // several units with this name: context decides
      const period = pool[0]![1].period;
      const provs = new Set(pool.map(([, c]) => c.r.unit.province));
      let choice: ProvinceChoice =
        provs.size > 1 ? chooseProvince(period, provs) : { code: [...provs][0]!, confidence: 0.8 };
      if (choice && 'code' in choice) {
        const inProv = pool.filter(([, c]) => c.r.unit.province === (choice as { code: string }).code);
        if (inProv.length === 1)
          return { id: inProv[0]![0], confidence: adjust(Math.min(0.85, choice.confidence + 0.05), cross) };
        // same name twice in one province: a district named in the article decides
        const ds = districtEvidence(period, (choice as { code: string }).code, null);
        const inDist = inProv.filter(([, c]) => c.r.unit.district && ds.has(c.r.unit.district));
        if (inDist.length === 1) return { id: inDist[0]![0], confidence: adjust(0.75, cross) };
        choice = { ambiguous: [(choice as { code: string }).code] };
      }
      const level = pool[0]![1].r.unit.level;
      const reason: UnresolvedReason =
        level === 'commune'
          ? 'ambiguous-commune'
          : level === 'district'
            ? 'ambiguous-district'
            : 'ambiguous-province';
      return [reason, pool.map(([id]) => id)];
    };

    /** Districts (pre2025) named with a level word in the article, optionally within one province. */
    const districtEvidence = (
      period: Period,
      province: string | null,
      types: Set<string> | null,
    ): Set<string> => {
      const out = new Set<string>();
      for (const ev of evidence) {
        if (ev.cue !== 'district' && ev.cue !== 'city') continue;
        for (const r of ev.refs) {
          const u = r.unit;
          if (u.level !== 'district') continue;
          if (types && !r.types.some((t) => types.has(t))) continue;
          if (province && (period === 'pre2025' ? u.province : u.successorProvince) !== province) continue;
          out.add(u.code);
        }
      }
      return out;
    };
    const communeEvidence = (
      period: Period,
      province: string | null,
      types: Set<string>,
    ): Map<string, Unit> => {
      const out = new Map<string, Unit>();
      for (const ev of evidence) {
        if (ev.cue !== 'commune') continue;
        for (const r of ev.refs) {
          const u = r.unit;
          if (u.level !== 'commune' || u.period !== period || !r.types.some((t) => types.has(t))) continue;
          if (province && u.province !== province) continue;
          out.set(u.code, u);
        }
      }
      return out;
    };

    const resolveImplicit = (
      m: RawMention,
    ): Resolved | UnresolvedReason | [UnresolvedReason, string[]] | null => {
      const head = m.head as HeadEntry;
      const t = head.type;
      const cue = m.phrase?.cue ?? null;
      if (m.phrase?.unknownName) return 'unknown-unit';
      if (!cue && t.bare !== true) return t.bare === 'unresolved' ? 'level-unspecified' : null;
      const level = cue?.level ?? 'province';
      if ((level === 'district' || level === 'commune') && !t.lowerLevels) return null;
      let period: Period = m.historic ? 'pre2025' : P0;
      let cross = false;
      if (!typeAvailable(t, period)) {
        period = period === 'pre2025' ? '2025' : 'pre2025';
        cross = true;
      }
      if (level === 'province' || level === 'city') {
        const co = explicitByType.get(`${t.slug}|${period}`);
        let choice: ProvinceChoice;
        if (co && co.size === 1) {
          const id = [...co][0]!;
          const p = reg.agency(id)!;
          choice = { code: p.province, confidence: 0.9 };
        } else
          choice = chooseProvince(
            period,
            co && co.size > 1 ? new Set([...co].map((id) => reg.agency(id)!.province)) : undefined,
          );
        if (!choice)
          return level === 'city' && t.lowerLevels ? implicitDistrict(m, period, cue) : 'no-province-context';
        if ('ambiguous' in choice) return ['ambiguous-province', [...choice.ambiguous]];
        const prov = reg.province(period, choice.code)!;
        const city = prov.type !== 'tỉnh';
        if (level === 'city' && !city)
          return t.lowerLevels ? implicitDistrict(m, period, cue, choice.code) : null;
        if (head.party === 'thanh' && !city && !prov.history?.some((h) => h.type !== 'tỉnh')) return null;
        const id = `${period}-${choice.code}-${t.slug}`;
        if (!reg.agencies.has(id)) return ['agency-not-in-registry', [id]];
        return { id, confidence: adjust(choice.confidence, cross) };
      }
      if (level === 'district') return implicitDistrict(m, period, cue);
      // commune
      const provChoice = chooseProvince(period);
      const prov = provChoice && 'code' in provChoice ? provChoice.code : null;
      const found = communeEvidence(period, prov, cue!.unitTypes);
      if (found.size === 1) {
        const u = [...found.values()][0]!;
        return { id: agencyIdFor(u, 'ubnd'), confidence: adjust(0.75, cross) };
      }
      if (found.size > 1)
        return ['ambiguous-commune', [...found.values()].map((u) => agencyIdFor(u, 'ubnd'))];
      return 'no-commune-context';
    };

    const implicitDistrict = (
      m: RawMention,
      period: Period,
      cue: LevelEntry | null,
      province?: string,
    ): Resolved | UnresolvedReason | [UnresolvedReason, string[]] => {
      const provChoice = province ? { code: province } : chooseProvince(period);
      const prov = provChoice && 'code' in provChoice ? provChoice.code : null;
      const ds = districtEvidence(period, prov, cue ? cue.unitTypes : null);
      if (ds.size === 1) {
        const code = [...ds][0]!;
        return {
          id: `pre2025-d${code}-ubnd`,
          confidence: adjust(period === 'pre2025' ? 0.75 : 0.65, period !== 'pre2025'),
        };
      }
      if (ds.size > 1) return ['ambiguous-district', [...ds].map((c) => `pre2025-d${c}-ubnd`)];
      return period === '2025' && !m.historic ? 'district-level-abolished' : 'no-district-context';
    };

    const resolveFixed = (m: RawMention): Resolved | null => {
      const f = m.head as FixedEntry;
      const id = `${f.period}-${f.province}-${f.type}`;
      return reg.agencies.has(id) ? { id, confidence: adjust(0.95, f.period !== P0) } : null;
    };

    const handle = (
      m: RawMention,
      r: Resolved | UnresolvedReason | [UnresolvedReason, string[]] | null,
    ): void => {
      if (r === null) return;
      if (typeof r === 'string') unresolvedOf(m, r);
      else if (Array.isArray(r)) unresolvedOf(m, r[0], r[1]);
      else results.push({ m, r });
    };

    // fixed heads with the same phrase in both periods: prefer the article's period
    for (const m of mentions) {
      if (m.head.kind !== 'fixed') continue;
      const f = m.head;
      if (f.period !== P0) {
        const alt = payloadFixedAlt(f, P0);
        if (alt) m.head = alt;
      }
    }
    const explicit = mentions.filter((m) => m.head.kind === 'fixed' || m.phrase?.refs);
    const implicit = mentions.filter((m) => !(m.head.kind === 'fixed' || m.phrase?.refs));
    for (const m of explicit) {
      const r = m.head.kind === 'fixed' ? resolveFixed(m) : resolveExplicit(m);
      handle(m, r);
      if (r && typeof r === 'object' && !Array.isArray(r)) {
        const a = reg.agency(r.id)!;
        if (a.level === 'province') {
          const k = `${slugOf(m)}|${a.period}`;
          let s = explicitByType.get(k);
          if (!s) explicitByType.set(k, (s = new Set()));
          s.add(r.id);
        }
        // an explicit agency is context for the rest
        const u = a.level === 'province' ? units.get(unitKey(a.period, 'province', a.province)) : undefined;
        if (u && m.head.kind === 'fixed')
          evidence.push({ refs: [{ unit: u, types: [u.type] }], weight: 1, kind: 'text', cue: null });
      }
    }
    scoreCache.clear();
    choiceCache.clear();
    for (const m of implicit) handle(m, resolveImplicit(m));

    // ---- assemble tags
    const byId = new Map<
      string,
      {
        agency: Agency;
        mentions: Array<{ m: RawMention; start: number; end: number; text: string }>;
        conf: number;
      }
    >();
    for (const { m, r } of results) {
      const a = reg.agency(r.id)!;
      let e = byId.get(r.id);
      if (!e) byId.set(r.id, (e = { agency: a, mentions: [], conf: 0 }));
      const o = toOriginal(m.field, m.start, m.end);
      e.mentions.push({ m, ...o });
      e.conf = Math.max(e.conf, r.confidence);
    }
    const body = article.body ?? '';
    const paraEnd = (() => {
      const i = body.search(/\n\s*\n|\n/);
      return i < 0 ? body.length : i;
    })();
    const firstSentenceEnd = (() => {
      const para = body.slice(0, paraEnd);
      const m = /[.!?…](\s|$)/.exec(para);
      return m ? m.index + 1 : paraEnd;
    })();
    const tags: Array<AgencyTag & { _first: number }> = [];
    for (const e of byId.values()) {
      const ms = e.mentions.sort((x, y) => x.m.order - y.m.order);
      const inHead = ms.some((x) => x.m.field === 'title' || x.m.field === 'sapo');
      const bodyMs = ms.filter((x) => x.m.field === 'body');
      const subject = bodyMs.some(
        (x) => x.start < firstSentenceEnd || (x.start < paraEnd && clauseSubject(body, x.start)),
      );
      const inFirstPara = bodyMs.some((x) => x.start < paraEnd);
      let prominence: AgencyTag['prominence'];
      if (inHead || bodyMs.length >= 3 || subject) prominence = 'primary';
      else if (ms.length === 1 && !inFirstPara) prominence = 'passing';
      else prominence = 'secondary';
      const a = e.agency;
      tags.push({
        id: a.id,
        name: a.level === 'province' ? reg.nameAt(a, date) : a.fullName,
        type: a.type,
        level: a.level,
        province: a.province,
        provinceName: a.provinceName,
        validFrom: a.validFrom,
        validTo: a.validTo,
        successors: a.successors,
        mentions: ms.map((x) => ({ field: x.m.field, start: x.start, end: x.end, text: x.text })),
        prominence,
        confidence: Math.round(e.conf * 100) / 100,
        _first: ms[0]!.m.order,
      });
    }
    const rank = { primary: 0, secondary: 1, passing: 2 } as const;
    tags.sort(
      (x, y) =>
        rank[x.prominence] - rank[y.prominence] ||
        y.mentions.length - x.mentions.length ||
        x._first - y._first,
    );
    const agencies: AgencyTag[] = tags.map(({ _first: _f, ...t }) => t);
    const fieldRank = { title: 0, sapo: 1, body: 2 } as const;
    unresolved.sort((x, y) => fieldRank[x.field] - fieldRank[y.field] || x.start - y.start);
    return { agencies, unresolved };
  }

  /**
   * Is the mention at `start` the subject of a clause of the lead (first two sentences)? At most one word
   * between the sentence start and the agency, none after a comma, not counting titles ("Phó Chủ tịch UBND xã
   * … cho biết", "Trả lời phóng viên, lãnh đạo UBND huyện …", "Sở Y tế cho biết").
   */
  function clauseSubject(body: string, start: number): boolean {
    if ((body.slice(0, start).match(/[.!?…](?=\s)/g) ?? []).length > 1) return false;
    let i = start - 1;
    while (i >= 0 && !/[.!?;:,\n]/.test(body[i]!)) i--;
    const afterComma = i >= 0 && body[i] === ',';
    let prefix = body
      .slice(i + 1, start)
      .normalize('NFC')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();
    for (let guard = 0; guard < 4 && prefix; guard++) {
      const t = subjectTitles.find(
        ([w, wf]) =>
          prefix === w ||
          prefix.endsWith(` ${w}`) ||
          (ASCII.test(prefix) && (prefix === wf || prefix.endsWith(` ${wf}`))),
      );
      if (!t) break;
      prefix = prefix.slice(0, prefix.length - t[0].length).trim();
    }
    return (prefix ? prefix.split(' ').length : 0) <= (afterComma ? 0 : 1);
  }

  const fixedByKey = new Map<string, FixedEntry>();
  for (const entries of payload)
    for (const e of entries) if (e.kind === 'fixed') fixedByKey.set(`${e.exact}|${e.period}`, e);
  function payloadFixedAlt(f: FixedEntry, period: Period): FixedEntry | undefined {
    return fixedByKey.get(`${f.exact}|${period}`);
  }

  const buildMs = performance.now() - t0;
  return { link, stats: { keys: keys.length, states: ac.stateCount, alphabet: ac.alphabetSize, buildMs } };
}
