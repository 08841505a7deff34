import type { Store } from '../../store/es.ts';
import { lagSeconds } from './metrics.ts';

/**
 * Publication → delivered alert, in seconds, for the alerts sent since `since`: one figure per article an
 * alert carried (a batched alert carries several; each waited its own time).
 */
export async function alertLags(store: Store, since: Date): Promise<number[]> {
  const sent = await store.client.search<{ articleIds: string[]; sentAt: string }>({
    index: store.names.alias('alerts'),
    size: 1000,
    query: { bool: { filter: [{ term: { status: 'sent' } }, { range: { sentAt: { gte: since.toISOString() } } }] } },
    _source: ['articleIds', 'sentAt'],
  });
  const pairs = sent.hits.hits.flatMap((h) => h._source!.articleIds.map((id) => ({ id, sentAt: h._source!.sentAt })));
  if (pairs.length === 0) return [];
  const ids = [...new Set(pairs.map((p) => p.id))];
  const articles = await store.client.search<{ publishedAt: string | null }>({
    index: store.names.alias('articles'),
    size: ids.length,
    query: { ids: { values: ids } },
    _source: ['publishedAt'],
  });
  const published = new Map(articles.hits.hits.map((h) => [h._id!, h._source!.publishedAt]));
  return pairs.map((p) => lagSeconds(published.get(p.id), new Date(p.sentAt))).filter((x): x is number => x !== null);
}
