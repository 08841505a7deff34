/**
 * Alias templates → alias strings. The registry stores agency types with their heads and abbreviation
 * templates once (lexicon.json); the variants are generated here, at load time, for both the linker (which
 * matches heads and place names separately and combines them) and `Registry.aliases(id)` (the full strings).
 */
import type { LexType, Lexicon } from './schema.ts';

/** "Sở TN{&}MT" → Sở TN&MT, Sở TN-MT, Sở TNMT, Sở TN & MT, Sở TN - MT, Sở TN và MT. */
export function expandAbbr(template: string, joiners: Lexicon['abbrJoiners']): string[] {
  let out = [''];
  const parts = template.split(/(\{&\}|\{-\})/);
  for (const part of parts) {
    if (part === '{&}' || part === '{-}') {
      const js = joiners[part === '{&}' ? '&' : '-'];
      out = out.flatMap((prefix) => js.map((j) => prefix + j));
    } else {
      out = out.map((prefix) => prefix + part);
    }
  }
  return [...new Set(out.map((s) => s.replace(/\s+/g, ' ').trim()))];
}

export type PartyKind = 'tinh' | 'thanh';
export interface HeadPhrase {
  phrase: string;
  /** For party-named types: which word the phrase used (Tỉnh ủy / Thành ủy). */
  party?: PartyKind;
  /** Symbol form ("STNMT"). */
  symbol?: boolean;
}

export const PARTY_WORDS: Record<PartyKind, string> = { tinh: 'Tỉnh ủy', thanh: 'Thành ủy' };

/** Every head phrase of a type: heads, expanded abbreviations and symbols, with {party} substituted. */
export function headPhrases(t: LexType, joiners: Lexicon['abbrJoiners']): HeadPhrase[] {
  const out: HeadPhrase[] = [];
  const seen = new Set<string>();
  const push = (h: HeadPhrase): void => {
    const k = `${h.phrase}|${h.party ?? ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(h);
    }
  };
  const templates = [...t.heads, ...t.abbr.flatMap((a) => expandAbbr(a, joiners))];
  for (const tpl of templates) {
    if (tpl.includes('{party}')) {
      for (const party of ['tinh', 'thanh'] as const)
        push({ phrase: tpl.replace('{party}', PARTY_WORDS[party]), party });
    } else {
      push({ phrase: tpl });
    }
  }
  for (const s of t.symbols) push({ phrase: s, symbol: true });
  return out;
}
