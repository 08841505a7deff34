/**
 * Tone toward one tagged agency, from the sentences that mention it plus the article's overall tone.
 *
 * - Every polar hit (category term, tone word, denial, cancelled positive word) in a sentence with a
 *   mention counts: fully in the mention's own clause, half in the other clauses of that sentence,
 *   except clauses that mention another agency (they speak about that one: "Sở A được khen, còn xã B
 *   bị phê bình").
 * - A mention followed within `agentWindow` syllables (same clause) by an agent action ("khởi tố",
 *   "kiểm tra", "cho biết", "hỗ trợ"…) makes the agency the actor: the incidents (negative category terms)
 *   of that sentence are not held against it, and the overall tone counts only 30 %. Evaluative tone
 *   words still count ("UBND xã chậm trễ…", "Công an được khen ngợi…").
 * - local = Σ / (|Σ| + 1); value = local + agencyOverall · overall; thresholds ±agencyTheta.
 * An agency whose mentions cannot be located gets the overall tone.
 */
import type { Tone } from '../../model/records.ts';
import type { Analysis } from './analysis.ts';
import type { Hit } from './evidence.ts';
import type { Lexicon } from './lexicon.ts';
import type { ToneCombine } from './schema.ts';

function polarValue(h: Hit): number {
  const e = h.entry;
  if (h.cancelledBy) return e.polarity > 0 ? -0.5 * e.weight : 0;
  if (e.kind === 'cat' || e.kind === 'tone') return e.polarity * h.value;
  if (e.kind === 'denial') return -0.5 * h.value;
  return 0;
}

export interface AgencyToneDetail {
  tone: Tone;
  value: number;
  local: number;
  agent: boolean;
}

export function agencyTone(
  lex: Lexicon,
  a: Analysis,
  ranges: Array<[number, number]>,
  overall: number,
  overallTone: Tone,
  p: ToneCombine,
  /** Clauses that mention any tagged agency. */
  mentionClauses: Set<number> = new Set(),
): AgencyToneDetail {
  if (ranges.length === 0) return { tone: overallTone, value: overall, local: 0, agent: false };
  const { tokens } = a.doc;
  const window = lex.tone.agentWindow;
  // Per sentence: clauses with a mention, and whether every mention there is an actor.
  const sentences = new Map<number, { clauses: Set<number>; agentAll: boolean }>();
  let agentEverywhere = true;
  for (const [from, to] of ranges) {
    const t = tokens[from]!;
    const isAgent = a.evidence.aux.some(
      (h) => h.entry.kind === 'agent' && h.clause === t.clause && h.from >= to && h.from - to <= window,
    );
    agentEverywhere &&= isAgent;
    const s = sentences.get(t.sentence) ?? { clauses: new Set<number>(), agentAll: true };
    s.clauses.add(t.clause);
    s.agentAll &&= isAgent;
    sentences.set(t.sentence, s);
  }
  let sum = 0;
  for (const h of a.evidence.hits) {
    const s = sentences.get(h.sentence);
    if (!s) continue;
    const e = h.entry;
    if (s.agentAll && !h.cancelledBy && (e.kind === 'cat' || e.kind === 'denial') && e.polarity < 0) continue;
    const own = s.clauses.has(h.clause);
    if (!own && mentionClauses.has(h.clause)) continue;
    sum += polarValue(h) * (own ? 1 : 0.5);
  }
  const local = sum / (Math.abs(sum) + 1);
  const value = local + p.agencyOverall * (agentEverywhere ? 0.3 : 1) * overall;
  const tone: Tone = value <= -p.agencyTheta ? 'negative' : value >= p.agencyTheta ? 'positive' : 'neutral';
  return { tone, value, local, agent: agentEverywhere };
}
