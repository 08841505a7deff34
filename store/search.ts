import type { estypes } from '@elastic/elasticsearch';
import { fold, toneVariants } from '../pipeline/normalize/vi-text.ts';
import type { Store } from './es.ts';

export type Query = estypes.QueryDslQueryContainer;

export interface TextFieldWeights {
  /** Field name; `<field>_folded` must exist next to it. */
  field: string;
  boost: number;
}

export const ARTICLE_TEXT_FIELDS: TextFieldWeights[] = [
  { field: 'title', boost: 3 },
  { field: 'sapo', boost: 2 },
  { field: 'body', boost: 1 },
];

/**
 * Full-text query over Vietnamese fields. The query is NFC'd and folded in Node exactly like the
 * documents were, so text typed without diacritics finds text with them; the exact (diacritics) fields
 * score higher, so a query typed with diacritics ranks the exact document first. Both tone-mark
 * conventions are tried on the exact fields ("Ủy"/"Uỷ").
 */
export function textQuery(
  text: string,
  opts: { fields?: TextFieldWeights[]; phrase?: boolean; operator?: 'and' | 'or' } = {},
): Query {
  const fields = opts.fields ?? ARTICLE_TEXT_FIELDS;
  const operator = opts.operator ?? 'and';
  const folded = fold(text).replace(/\s+/g, ' ').trim();
  const exactForms = toneVariants(text.trim());
  const hasDiacritics = exactForms.some((f) => f.toLowerCase() !== folded);
  const should: Query[] = [];
  for (const { field, boost } of fields) {
    if (opts.phrase) {
      should.push({ match_phrase: { [`${field}_folded`]: { query: folded, boost } } });
    } else {
      should.push({ match: { [`${field}_folded`]: { query: folded, operator, boost } } });
      should.push({ match_phrase: { [`${field}_folded`]: { query: folded, boost: boost * 0.5 } } });
    }
    if (hasDiacritics) {
      for (const form of exactForms) {
        should.push(
          opts.phrase
            ? { match_phrase: { [field]: { query: form, boost: boost * 3 } } }
            : { match: { [field]: { query: form, operator, boost: boost * 2 } } },
        );
      }
    }
  }
  // The folded clauses define what matches; the exact clauses only add score.
  const foldedClauses = should.filter((q) => JSON.stringify(q).includes('_folded'));
  return {
    bool: {
      must: [{ bool: { should: foldedClauses, minimum_should_match: 1 } }],
      should: should.filter((q) => !foldedClauses.includes(q)),
    },
  };
}

export interface SearchPage<T> {
  total: number;
  hits: Array<{ id: string; index: string; score: number | null; source: T; highlight?: Record<string, string[]> }>;
  aggregations?: Record<string, unknown>;
}

/** Thin typed wrapper used by later stages (rules backtests, digest, web). */
export async function searchIndex<T>(
  store: Store,
  indexName: string,
  request: Omit<estypes.SearchRequest, 'index'>,
): Promise<SearchPage<T>> {
  const res = await store.client.search<T>({
    index: store.names.alias(indexName),
    track_total_hits: true,
    ignore_unavailable: true,
    allow_no_indices: true,
    ...request,
  });
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  return {
    total,
    hits: res.hits.hits.map((h) => ({
      id: h._id!,
      index: h._index,
      score: h._score ?? null,
      source: h._source as T,
      ...(h.highlight ? { highlight: h.highlight } : {}),
    })),
    ...(res.aggregations ? { aggregations: res.aggregations as Record<string, unknown> } : {}),
  };
}
