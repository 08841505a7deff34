import type { Article } from '../model/records.ts';
import { fold } from '../pipeline/normalize/vi-text.ts';
import type { BulkResult, BulkWriter, WriteOp } from './bulk-writer.ts';
import type { Store } from './es.ts';
import { isEsUnreachable } from './spool.ts';

/** Tag of article writes (a spool replay finds them by it). */
export const ARTICLE_TAG = 'article';

const FOLDED_FIELDS = ['title', 'sapo', 'body'] as const;

/**
 * The indexed form of an article: the record plus the folded copies the standard analyzer searches
 * diacritic-insensitively, and flat keyword fields for facets.
 */
export function toArticleDoc(article: Article, now: Date = new Date()): Record<string, unknown> {
  const doc: Record<string, unknown> = { ...article, indexedAt: now.toISOString() };
  for (const field of FOLDED_FIELDS) {
    const value = article[field];
    doc[`${field}_folded`] = value ? fold(value) : null;
  }
  doc.agencyIds = [...new Set(article.agencies.map((a) => a.id))];
  doc.primaryAgencyIds = [...new Set(article.agencies.filter((a) => a.prominence === 'primary').map((a) => a.id))];
  doc.provinces = [...new Set(article.agencies.map((a) => a.province).filter((p): p is string => Boolean(p)))];
  doc.isCopy = article.duplicateOf !== null;
  return doc;
}

/**
 * Where each id already lives. An article whose publication date changed between crawls (e.g. a date
 * found on a later fetch) stays in the month index it was first written to, so it is never duplicated.
 */
async function existingIndices(store: Store, ids: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (ids.length === 0) return found;
  const res = await store.client.search({
    index: store.names.alias('articles'),
    query: { ids: { values: ids } },
    _source: false,
    size: ids.length,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  for (const hit of res.hits.hits) found.set(hit._id!, hit._index);
  return found;
}

/**
 * Idempotent upsert of articles into their monthly indices (same canonical URL → same document). When
 * Elasticsearch is unreachable and the writer has a spool, the writes are spooled with the month index
 * computed from the date; a replay re-resolves it (`resolveArticleWrites`) so nothing is duplicated.
 */
export async function indexArticles(
  store: Store,
  writer: BulkWriter,
  articles: Article[],
  now: Date = new Date(),
): Promise<BulkResult> {
  let where = new Map<string, string>();
  if (!writer.spool?.isDown) {
    try {
      where = await existingIndices(
        store,
        articles.map((a) => a.id),
      );
    } catch (err) {
      if (!writer.spool || !isEsUnreachable(err)) throw err;
      writer.spool.markDown(err);
    }
  }
  const ops: WriteOp[] = articles.map((article) => ({
    index: where.get(article.id) ?? store.names.monthly('articles', article.publishedAt ?? article.fetchedAt),
    id: article.id,
    doc: toArticleDoc(article, now),
    mode: 'upsert',
    tag: ARTICLE_TAG,
  }));
  return writer.write(ops);
}

/**
 * Spooled article writes made ready for a replay: each goes to the index its id already lives in (the
 * month index was guessed while Elasticsearch was away), and `indexedAt` becomes the replay time, the
 * moment it really became searchable (the alert cursor follows `indexedAt`).
 */
export async function resolveArticleWrites(store: Store, ops: WriteOp[], now: Date): Promise<WriteOp[]> {
  const ids = ops.filter((op) => op.tag === ARTICLE_TAG).map((op) => op.id);
  const where = await existingIndices(store, ids);
  return ops.map((op) => (op.tag === ARTICLE_TAG ? { ...op, index: where.get(op.id) ?? op.index, doc: { ...op.doc, indexedAt: now.toISOString() } } : op));
}
