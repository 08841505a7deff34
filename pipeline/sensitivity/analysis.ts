/**
 * One article prepared for scoring: tokens (with agency mentions masked), lexicon evidence and
 * classifier features. Shared by the scorer and by training, so both see exactly the same inputs.
 */
import type { Field, Mention } from '../../model/records.ts';
import { collectEvidence, type Evidence } from './evidence.ts';
import type { Lexicon } from './lexicon.ts';
import { extractFeatures, type Features } from './nb.ts';
import { prepareDoc, tokensInSpan, type Doc } from './text.ts';

export interface AgencyInput {
  id: string;
  mentions: Mention[];
}

export interface ScoreInput {
  title: string;
  sapo?: string | null;
  body?: string | null;
  agencies?: AgencyInput[];
}

export interface Analysis {
  doc: Doc;
  evidence: Evidence;
  /** Classifier features (training only; the scorer uses the faster fastLogScores). */
  features: Features | null;
  /** Per agency id, the token ranges of its mentions that could be located. */
  mentionRanges: Map<string, Array<[number, number]>>;
}

/**
 * Locate a mention in its field. Offsets are offsets in the original field string (what the agency
 * tagger reports); if the text there does not match, the nearest occurrence of the mention text is used.
 */
function locate(fieldText: string, m: Mention): [number, number] | null {
  if (m.end <= fieldText.length && m.start < m.end) {
    const at = fieldText.slice(m.start, m.end);
    if (at === m.text || at.normalize('NFC') === m.text.normalize('NFC') || m.text === '')
      return [m.start, m.end];
  }
  if (!m.text) return null;
  let best = -1;
  for (let i = fieldText.indexOf(m.text); i >= 0; i = fieldText.indexOf(m.text, i + 1)) {
    if (best < 0 || Math.abs(i - m.start) < Math.abs(best - m.start)) best = i;
  }
  return best >= 0 ? [best, best + m.text.length] : null;
}

export function analyze(lex: Lexicon, input: ScoreInput, opts: { features?: boolean } = {}): Analysis {
  const doc = prepareDoc(input, { clauseBreakers: lex.clauseBreakers });
  const mentionRanges = new Map<string, Array<[number, number]>>();
  const texts: Record<Field, string> = {
    title: input.title ?? '',
    sapo: input.sapo ?? '',
    body: input.body ?? '',
  };
  for (const a of input.agencies ?? []) {
    const ranges: Array<[number, number]> = [];
    for (const m of a.mentions) {
      const span = locate(texts[m.field], m);
      if (!span) continue;
      const [from, to] = tokensInSpan(doc, m.field, span[0], span[1]);
      if (to <= from) continue;
      for (let i = from; i < to; i++) doc.tokens[i]!.inMention = true;
      ranges.push([from, to]);
    }
    mentionRanges.set(a.id, ranges);
  }
  return {
    doc,
    evidence: collectEvidence(doc, lex),
    features: opts.features ? extractFeatures(doc, lex.cues.fieldWeights) : null,
    mentionRanges,
  };
}
