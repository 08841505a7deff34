import { collectEvidence, type Evidence } from '../../../pipeline/sensitivity/evidence.ts';
import { loadLexicon, type Lexicon } from '../../../pipeline/sensitivity/lexicon.ts';
import { prepareDoc } from '../../../pipeline/sensitivity/text.ts';

let cached: Lexicon | null = null;
export function lexicon(): Lexicon {
  cached ??= loadLexicon();
  return cached;
}

export function evidence(title: string, body = '', sapo?: string): Evidence {
  const lex = lexicon();
  return collectEvidence(prepareDoc({ title, body, sapo }, { clauseBreakers: lex.clauseBreakers }), lex);
}

/** Phrases of the category hits that count (not cancelled). */
export function fired(ev: Evidence): string[] {
  return ev.hits.filter((h) => h.entry.kind === 'cat' && !h.cancelledBy).map((h) => h.entry.phrase);
}

export function cancelled(ev: Evidence): string[] {
  return ev.cancelled.map((h) => h.entry.phrase);
}

/** A mention of `text` in `field` at its first occurrence in `value`. */
export function mention(field: 'title' | 'sapo' | 'body', value: string, text: string, nth = 0) {
  let start = -1;
  for (let k = 0; k <= nth; k++) start = value.indexOf(text, start + 1);
  if (start < 0) throw new Error(`"${text}" not in "${value}"`);
  return { field, start, end: start + text.length, text };
}
