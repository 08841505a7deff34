/**
 * Lexicon evidence of one article: leftmost-longest syllable matching, then negation, prevention,
 * denial and modifiers, then aggregation per category (see README.md for the rules).
 */
import type { Field } from '../../model/records.ts';
import type { Entry, Lexicon, TrieNode, TrieRoot } from './lexicon.ts';
import type { CategoryCode } from './schema.ts';
import type { Doc } from './text.ts';

export interface Hit {
  entry: Entry;
  /** Token index range [from, to). */
  from: number;
  to: number;
  field: Field;
  sentence: number;
  clause: number;
  /** The cue (negation or prevention) that cancelled this hit. */
  cancelledBy?: Hit;
  /** The denial pattern that weakened this hit. */
  deniedBy?: Hit;
  /** Final weighted contribution (after field weight, modifiers, denial; 0 when cancelled). */
  value: number;
  /** Modifier applied, if any. */
  modifier?: number;
}

export interface TermEvidence {
  phrase: string;
  count: number;
  fields: Field[];
  value: number;
  strong: boolean;
  denied: boolean;
}

export interface CategoryEvidence {
  code: CategoryCode;
  label: string;
  polarity: 'negative' | 'positive';
  score: number;
  terms: TermEvidence[];
  modifiers: string[];
}

export interface Evidence {
  hits: Hit[];
  aux: Hit[];
  /** Sorted by score, highest first. */
  categories: CategoryEvidence[];
  /** Σ negative categories + criticismWeight × negative tone words: drives the level. */
  severity: number;
  /** Negative / positive polarity mass: drives the tone. */
  negative: number;
  positive: number;
  strongHead: Hit[];
  strongBody: Hit[];
  cancelled: Hit[];
  denials: Hit[];
  denied: Hit[];
}

/** Leftmost-longest scan of the doc with one trie. */
export function scan(doc: Doc, root: TrieRoot): Hit[] {
  const { tokens, accented } = doc;
  const hits: Hit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i]!;
    let node: TrieNode | null | undefined = first.fid < root.first.length ? root.first[first.fid] : null;
    if (!node || first.inMention) {
      i++;
      continue;
    }
    const acc = accented[first.sentence] ?? true;
    let exact = '';
    let bestEnd = -1;
    let best: Entry[] = [];
    for (let j = i; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (j > i) {
        if (t.inMention || t.clause !== first.clause) break;
        node = node.next.get(t.fid);
        if (!node) break;
      }
      exact = j === i ? t.exact : `${exact} ${t.exact}`;
      if (node.entries.length > 0) {
        const ok = node.entries.filter((e) => (acc ? e.exact === exact : e.syllables > 1));
        if (ok.length > 0) {
          bestEnd = j;
          best = ok;
        }
      }
    }
    if (bestEnd < 0) {
      i++;
      continue;
    }
    for (const entry of best) {
      if (entry.kind === 'ignore') continue;
      hits.push({
        entry,
        from: i,
        to: bestEnd + 1,
        field: first.field,
        sentence: first.sentence,
        clause: first.clause,
        value: 0,
      });
    }
    i = bestEnd + 1;
  }
  return hits;
}

export function collectEvidence(doc: Doc, lex: Lexicon): Evidence {
  const hits = scan(doc, lex.main);
  const aux = scan(doc, lex.aux);
  const { fieldWeights, repeatBonus, repeatCap, denial } = lex.cues;

  // Negation and prevention: the last cue of the clause, within its window.
  let cue: Hit | undefined;
  for (const h of hits) {
    const k = h.entry.kind;
    if (k === 'neg' || k === 'prev') {
      cue = h;
      continue;
    }
    if (k !== 'cat' && k !== 'tone') continue;
    if (cue && cue.clause === h.clause && h.from - cue.to <= cue.entry.window && h.entry.negatable)
      h.cancelledBy = cue;
  }

  // Denials: their sentence and the one before; in the title or sapo, the whole article.
  const denials = hits.filter((h) => h.entry.kind === 'denial' && !h.cancelledBy);
  const deniedSentence = new Map<number, Hit>();
  let deniedAll: Hit | undefined;
  for (const d of denials) {
    if (d.field !== 'body') deniedAll ??= d;
    deniedSentence.set(d.sentence, d);
    if (!deniedSentence.has(d.sentence - 1)) deniedSentence.set(d.sentence - 1, d);
  }

  // Modifiers present per sentence, and in the title.
  const modsBySentence = new Map<number, number[]>();
  const titleMods = new Set<number>();
  for (const a of aux) {
    if (a.entry.kind !== 'mod') continue;
    if (a.field === 'title') titleMods.add(a.entry.modifier!);
    const list = modsBySentence.get(a.sentence) ?? [];
    list.push(a.entry.modifier!);
    modsBySentence.set(a.sentence, list);
  }

  const cancelled: Hit[] = [];
  const denied: Hit[] = [];
  const strongHead: Hit[] = [];
  const strongBody: Hit[] = [];
  let toneNeg = 0;
  let tonePos = 0;
  type Acc = {
    info: CategoryEvidence;
    terms: Map<string, { values: number[]; fields: Set<Field>; strong: boolean; denied: boolean }>;
    mods: Set<string>;
  };
  const byCat = new Map<CategoryCode, Acc>();
  const accFor = (code: CategoryCode): Acc => {
    let a = byCat.get(code);
    if (!a) {
      const info = lex.categories.get(code)!;
      a = {
        info: { code, label: info.label, polarity: info.polarity, score: 0, terms: [], modifiers: [] },
        terms: new Map(),
        mods: new Set(),
      };
      byCat.set(code, a);
    }
    return a;
  };

  for (const h of hits) {
    const e = h.entry;
    if (e.kind !== 'cat' && e.kind !== 'tone' && e.kind !== 'denial') continue;
    const fw = fieldWeights[h.field];
    if (h.cancelledBy) {
      cancelled.push(h);
      // "chưa hoàn thành", "chưa kịp thời": a cancelled positive word is a weak negative one.
      if (e.polarity > 0) toneNeg += 0.5 * e.weight * fw;
      continue;
    }
    if (e.kind === 'tone') {
      h.value = e.weight * fw;
      if (e.polarity > 0) tonePos += h.value;
      else toneNeg += h.value;
      continue;
    }
    let w = e.weight * fw;
    let strong = e.strong;
    if (strong && e.strongIf !== undefined) {
      strong = titleMods.has(e.strongIf) || (modsBySentence.get(h.sentence) ?? []).includes(e.strongIf);
    }
    const code = e.category!;
    if (e.kind === 'cat' && e.polarity < 0 && code !== denial.category) {
      const d = deniedAll ?? deniedSentence.get(h.sentence);
      if (d) {
        h.deniedBy = d;
        w *= denial.factor;
        strong = false;
        denied.push(h);
      }
      let factor = 1;
      for (const mi of modsBySentence.get(h.sentence) ?? []) {
        const m = lex.modifiers[mi]!;
        if (m.categories.has(code) && m.factor > factor) {
          factor = m.factor;
          h.modifier = mi;
        }
      }
      w *= factor;
    }
    h.value = w;
    if (strong) (h.field === 'body' ? strongBody : strongHead).push(h);
    const acc = accFor(code);
    if (h.modifier !== undefined) acc.mods.add(lex.modifiers[h.modifier]!.label);
    let t = acc.terms.get(e.phrase);
    if (!t) {
      t = { values: [], fields: new Set(), strong: false, denied: false };
      acc.terms.set(e.phrase, t);
    }
    t.values.push(w);
    t.fields.add(h.field);
    t.strong ||= strong;
    t.denied ||= h.deniedBy !== undefined;
  }

  const categories: CategoryEvidence[] = [];
  for (const acc of byCat.values()) {
    for (const [phrase, t] of acc.terms) {
      const best = Math.max(...t.values);
      const value = best * (1 + repeatBonus * Math.min(t.values.length - 1, repeatCap));
      acc.info.terms.push({
        phrase,
        count: t.values.length,
        fields: (['title', 'sapo', 'body'] as Field[]).filter((f) => t.fields.has(f)),
        value,
        strong: t.strong,
        denied: t.denied,
      });
      acc.info.score += value;
    }
    acc.info.terms.sort((a, b) => b.value - a.value || a.phrase.localeCompare(b.phrase));
    acc.info.modifiers = [...acc.mods].sort();
    categories.push(acc.info);
  }
  categories.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));

  let negCats = 0;
  let posCats = 0;
  for (const c of categories) {
    if (c.polarity === 'negative') negCats += c.score;
    else posCats += c.score;
  }
  return {
    hits,
    aux,
    categories,
    severity: negCats + lex.tone.criticismWeight * toneNeg,
    negative: negCats + toneNeg,
    positive: posCats + tonePos,
    strongHead,
    strongBody,
    cancelled,
    denials,
    denied,
  };
}
