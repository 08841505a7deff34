/**
 * The delivery log in the `alerts` index. An alert is written `pending` (op create, so a re-run never
 * duplicates it) BEFORE anything is sent, and marked `sent` after; whatever is still pending after a crash
 * is retried on the next run, with the same SMTP Message-ID / webhook Idempotency-Key so receivers can drop
 * the one duplicate a crash between "sent" and "marked" can cause.
 */
import type { BulkWriter } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';
import { LEVEL_RANK } from './labels.ts';
import { alertedKey, type AlertDoc } from './plan.ts';

const SOURCE_LIMIT = 10_000;

export async function writePending(store: Store, writer: BulkWriter, alerts: AlertDoc[]): Promise<{ created: number; existing: number }> {
  if (alerts.length === 0) return { created: 0, existing: 0 };
  const index = store.names.alias('alerts');
  const res = await writer.write(alerts.map((a) => ({ index, id: a.id, mode: 'create' as const, doc: { ...a } })));
  if (res.rejected.length > 0) throw new Error(`alerts: ${res.rejected.length} rejected: ${res.rejected[0]!.reason}`);
  // The next run must see them (search is near-real-time).
  await store.client.indices.refresh({ index });
  return { created: res.created, existing: res.unchanged };
}

/** Highest level already alerted (any status) per subscription × story × channel, for the given stories. */
export async function alertedLevels(store: Store, storyKeys: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < storyKeys.length; i += 1000) {
    const res = await store.client.search<Pick<AlertDoc, 'subscriptionId' | 'storyId' | 'channel' | 'level'>>({
      index: store.names.alias('alerts'),
      query: { terms: { storyId: storyKeys.slice(i, i + 1000) } },
      _source: ['subscriptionId', 'storyId', 'channel', 'level'],
      size: SOURCE_LIMIT,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    for (const h of res.hits.hits) {
      const a = h._source!;
      const key = alertedKey(a.subscriptionId, a.storyId, a.channel);
      out.set(key, Math.max(out.get(key) ?? -1, LEVEL_RANK[a.level]));
    }
  }
  return out;
}

async function findAlerts(store: Store, query: object, sort: object[] = [{ dueAt: 'asc' }]): Promise<AlertDoc[]> {
  const res = await store.client.search<AlertDoc>({
    index: store.names.alias('alerts'),
    query: query as never,
    sort: sort as never,
    size: SOURCE_LIMIT,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return res.hits.hits.map((h) => h._source!);
}

/** Pending alerts whose time has come (batched ones wait for their hour). */
export const dueAlerts = (store: Store, now: Date) =>
  findAlerts(store, { bool: { filter: [{ term: { status: 'pending' } }, { range: { dueAt: { lte: now.toISOString() } } }] } });

/** Alerts given up after every retry: what an operator must look at. */
export const deadLetters = (store: Store) => findAlerts(store, { term: { status: 'dead' } }, [{ updatedAt: 'desc' }]);

export const alertsOf = (store: Store, query: object = { match_all: {} }) => findAlerts(store, query, [{ createdAt: 'asc' }]);

async function patch(store: Store, ids: string[], doc: Partial<AlertDoc>): Promise<void> {
  if (ids.length === 0) return;
  const index = store.names.alias('alerts');
  const res = await store.client.bulk({ operations: ids.flatMap((id) => [{ update: { _index: index, _id: id } }, { doc }]), refresh: 'wait_for' });
  if (res.errors) {
    const bad = res.items.find((i) => i.update?.error);
    throw new Error(`alerts: update failed: ${bad?.update?.error?.reason ?? 'unknown'}`);
  }
}

export const markSent = (store: Store, ids: string[], attempts: number, now: Date) =>
  patch(store, ids, { status: 'sent', sentAt: now.toISOString(), updatedAt: now.toISOString(), attempts, lastError: null });

export const markDead = (store: Store, ids: string[], attempts: number, error: string, now: Date) =>
  patch(store, ids, { status: 'dead', attempts, lastError: error, updatedAt: now.toISOString() });

/** Put dead letters back in the queue (after the receiver was fixed). */
export const requeue = (store: Store, ids: string[], now: Date) =>
  patch(store, ids, { status: 'pending', attempts: 0, dueAt: now.toISOString(), updatedAt: now.toISOString() });
