/**
 * Subscriptions: every agency of the directory gets a default one (articles tagged with it); saved searches
 * add folded full-text queries and filters. Stored in the `subscriptions` index.
 */
import { z } from 'zod';
import { sha256Hex } from '../lib/ids.ts';
import { SensitivityLevel } from '../model/records.ts';
import type { BulkWriter } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';
import { textQuery, type Query } from '../store/search.ts';
import { AlertMode, Channel, availableChannels, type DirectoryEntry } from './directory/schema.ts';

export const SubscriptionFilters = z
  .object({
    agencyIds: z.array(z.string().min(1)).optional(),
    provinces: z.array(z.string().min(1)).optional(),
    levels: z.array(SensitivityLevel).optional(),
    categories: z.array(z.string().min(1)).optional(),
    /** Source ids or outlet names. */
    outlets: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type SubscriptionFilters = z.infer<typeof SubscriptionFilters>;

export const Subscription = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    /** The agency that receives the alerts (its directory entry gives addresses and webhook). */
    agencyId: z.string().min(1),
    ownerId: z.string().min(1),
    /** Free text, folded like store/search.ts textQuery; null: filters only. */
    query: z.string().min(1).nullable().default(null),
    filters: SubscriptionFilters.default({}),
    channels: z.array(Channel).min(1),
    mode: AlertMode,
    active: z.boolean().default(true),
    isDefault: z.boolean().default(false),
    lastCheckedAt: z.string().nullable().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type Subscription = z.infer<typeof Subscription>;

/** What a user gives to create a saved search. */
export const SavedSearchInput = Subscription.pick({ name: true, agencyId: true, query: true, filters: true, channels: true, mode: true }).extend({
  ownerId: z.string().min(1).optional(),
});
export type SavedSearchInput = z.input<typeof SavedSearchInput>;

export const defaultSubscriptionId = (agencyId: string) => `default:${agencyId}`;

export function defaultSubscription(entry: DirectoryEntry, now: Date): Subscription | null {
  const channels = availableChannels(entry);
  if (channels.length === 0) return null;
  const at = now.toISOString();
  return {
    id: defaultSubscriptionId(entry.id),
    name: `Tin liên quan đến ${entry.name}`,
    agencyId: entry.id,
    ownerId: entry.id,
    query: null,
    filters: { agencyIds: [entry.id] },
    channels,
    mode: entry.defaultMode,
    active: true,
    isDefault: true,
    createdAt: at,
    updatedAt: at,
  };
}

/** Saved-search ids are derived from their content so re-saving the same search is idempotent. */
export function savedSearch(input: SavedSearchInput, now: Date): Subscription {
  const s = SavedSearchInput.parse(input);
  const id = `search:${sha256Hex(JSON.stringify([s.agencyId, s.query, s.filters, s.mode])).slice(0, 24)}`;
  const at = now.toISOString();
  return Subscription.parse({ ...s, id, ownerId: s.ownerId ?? s.agencyId, isDefault: false, active: true, createdAt: at, updatedAt: at });
}

/** The ES filter clauses of a subscription (keyword terms only, so they can also be evaluated in Node). */
export function filterClauses(f: SubscriptionFilters): Query[] {
  const out: Query[] = [];
  if (f.agencyIds?.length) out.push({ terms: { agencyIds: f.agencyIds } });
  if (f.provinces?.length) out.push({ terms: { provinces: f.provinces } });
  if (f.levels?.length) out.push({ terms: { 'sensitivity.level': f.levels } });
  if (f.categories?.length) out.push({ terms: { 'sensitivity.categories': f.categories } });
  if (f.outlets?.length) out.push({ bool: { should: [{ terms: { sourceId: f.outlets } }, { terms: { outletName: f.outlets } }], minimum_should_match: 1 } });
  return out;
}

/** The query a subscription runs against one batch: its text and filters, restricted to the batch's ids. */
export function subscriptionQuery(sub: Subscription, ids: string[]): Query {
  const filter: Query[] = [{ ids: { values: ids } }, ...filterClauses(sub.filters)];
  return { bool: { filter, ...(sub.query ? { must: [textQuery(sub.query)] } : {}) } };
}

export async function saveSubscriptions(store: Store, writer: BulkWriter, subs: Subscription[]): Promise<void> {
  const index = store.names.alias('subscriptions');
  const res = await writer.write(subs.map((s) => ({ index, id: s.id, mode: 'index' as const, doc: s })));
  if (res.rejected.length > 0) throw new Error(`subscriptions: ${res.rejected.length} rejected: ${res.rejected[0]!.reason}`);
  await store.client.indices.refresh({ index });
}

/**
 * Default subscriptions for every reachable agency of the directory. An existing default keeps its
 * `active` flag and createdAt (an agency that switched alerts off stays off).
 */
export async function ensureDefaultSubscriptions(store: Store, writer: BulkWriter, directory: Iterable<DirectoryEntry>, now: Date): Promise<number> {
  const existing = new Map((await loadSubscriptions(store, { activeOnly: false })).map((s) => [s.id, s]));
  const subs: Subscription[] = [];
  for (const entry of directory) {
    const sub = defaultSubscription(entry, now);
    if (!sub) continue;
    const old = existing.get(sub.id);
    subs.push(old ? { ...sub, active: old.active, createdAt: old.createdAt, lastCheckedAt: old.lastCheckedAt ?? null } : sub);
  }
  if (subs.length > 0) await saveSubscriptions(store, writer, subs);
  return subs.length;
}

/** All subscriptions, paged with search_after on the id so 10k+ load in a few requests. */
export async function loadSubscriptions(store: Store, opts: { activeOnly?: boolean } = {}): Promise<Subscription[]> {
  const out: Subscription[] = [];
  let after: string[] | undefined;
  for (;;) {
    const res = await store.client.search<Subscription>({
      index: store.names.alias('subscriptions'),
      query: opts.activeOnly === false ? { match_all: {} } : { term: { active: true } },
      sort: [{ id: 'asc' }],
      size: 5000,
      ignore_unavailable: true,
      allow_no_indices: true,
      ...(after ? { search_after: after } : {}),
    });
    for (const h of res.hits.hits) out.push(Subscription.parse(h._source));
    if (res.hits.hits.length < 5000) return out;
    after = res.hits.hits.at(-1)!.sort as string[];
  }
}
