/**
 * Match saved searches against a batch of newly indexed articles without the percolator (the minimal
 * distribution has none): filters-only subscriptions (every default one) are evaluated in Node on the
 * batch's keyword fields; text subscriptions run as one `msearch` per chunk, each query restricted to the
 * batch by an `ids` filter, so the cost grows with the batch, not with the index.
 */
import type { estypes } from '@elastic/elasticsearch';
import { compositeId } from '../lib/ids.ts';
import type { SensitivityLevel, Tone } from '../model/records.ts';
import type { BulkWriter } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';
import { textQuery } from '../store/search.ts';
import type { Subscription, SubscriptionFilters } from './subscriptions.ts';

/** The fields matching and alert planning need from each batch article. */
export interface BatchDoc {
  id: string;
  storyId: string | null;
  agencyIds: string[];
  provinces: string[];
  level: SensitivityLevel;
  tone: Tone;
  categories: string[];
  sourceId: string;
  outletName: string | null;
  duplicateOf: string | null;
  publishedAt: string | null;
  flagKinds: string[];
}

export interface Match {
  subscriptionId: string;
  agencyId: string;
  articleId: string;
  storyId: string | null;
  level: SensitivityLevel;
}

export const matchId = (subscriptionId: string, articleId: string) => compositeId(subscriptionId, articleId);

const BATCH_FIELDS = ['id', 'storyId', 'agencyIds', 'provinces', 'sensitivity.level', 'sensitivity.tone', 'sensitivity.categories', 'sourceId', 'outletName', 'duplicateOf', 'publishedAt', 'flagKinds'];

interface RawBatchDoc {
  id: string;
  storyId?: string | null;
  agencyIds?: string[];
  provinces?: string[];
  sensitivity?: { level?: SensitivityLevel; tone?: Tone; categories?: string[] } | null;
  sourceId?: string;
  outletName?: string | null;
  duplicateOf?: string | null;
  publishedAt?: string | null;
  flagKinds?: string[];
}

export function toBatchDoc(s: RawBatchDoc): BatchDoc {
  return {
    id: s.id,
    storyId: s.storyId ?? null,
    agencyIds: s.agencyIds ?? [],
    provinces: s.provinces ?? [],
    level: s.sensitivity?.level ?? 'normal',
    tone: s.sensitivity?.tone ?? 'neutral',
    categories: s.sensitivity?.categories ?? [],
    sourceId: s.sourceId ?? '',
    outletName: s.outletName ?? null,
    duplicateOf: s.duplicateOf ?? null,
    publishedAt: s.publishedAt ?? null,
    flagKinds: s.flagKinds ?? [],
  };
}

/** Read the batch's keyword fields once (one request per 5,000 ids). */
export async function fetchBatch(store: Store, ids: string[]): Promise<BatchDoc[]> {
  const out: BatchDoc[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const slice = ids.slice(i, i + 5000);
    const res = await store.client.search<RawBatchDoc>({
      index: store.names.alias('articles'),
      query: { ids: { values: slice } },
      _source: BATCH_FIELDS,
      size: slice.length,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    for (const h of res.hits.hits) out.push(toBatchDoc({ ...h._source!, id: h._id! }));
  }
  return out;
}

const anyOf = (wanted: string[] | undefined, have: Array<string | null>) => !wanted?.length || have.some((h) => h !== null && wanted.includes(h));

/** Same semantics as filterClauses() in ES: every given filter must hit (terms = any of the values). */
export function passesFilters(f: SubscriptionFilters, d: BatchDoc): boolean {
  return (
    anyOf(f.agencyIds, d.agencyIds) &&
    anyOf(f.provinces, d.provinces) &&
    anyOf(f.levels, [d.level]) &&
    anyOf(f.categories, d.categories) &&
    anyOf(f.outlets, [d.sourceId, d.outletName])
  );
}

export interface MatchOptions {
  /** Searches per msearch request. */
  chunkSize?: number;
  /** msearch requests in flight. */
  concurrency?: number;
}

/**
 * Keyword → batch articles, so each subscription only checks the articles sharing its most selective
 * filter value instead of the whole batch (10k subscriptions × a 2,000-article batch would be 20M checks).
 */
function batchIndex(batch: BatchDoc[]): (f: SubscriptionFilters) => BatchDoc[] {
  const maps = { agencyIds: new Map<string, BatchDoc[]>(), provinces: new Map<string, BatchDoc[]>(), outlets: new Map<string, BatchDoc[]>() };
  const add = (m: Map<string, BatchDoc[]>, k: string | null, d: BatchDoc) => {
    if (k === null) return;
    const list = m.get(k);
    if (list) {
      if (list.at(-1) !== d) list.push(d);
    } else m.set(k, [d]);
  };
  for (const d of batch) {
    for (const a of d.agencyIds) add(maps.agencyIds, a, d);
    for (const p of d.provinces) add(maps.provinces, p, d);
    add(maps.outlets, d.sourceId, d);
    add(maps.outlets, d.outletName, d);
  }
  const union = (m: Map<string, BatchDoc[]>, keys: string[]) => (keys.length === 1 ? (m.get(keys[0]!) ?? []) : [...new Set(keys.flatMap((k) => m.get(k) ?? []))]);
  return (f) => {
    if (f.agencyIds?.length) return union(maps.agencyIds, f.agencyIds);
    if (f.outlets?.length) return union(maps.outlets, f.outlets);
    if (f.provinces?.length) return union(maps.provinces, f.provinces);
    return batch;
  };
}

function toMatch(sub: Subscription, d: BatchDoc): Match {
  return { subscriptionId: sub.id, agencyId: sub.agencyId, articleId: d.id, storyId: d.storyId, level: d.level };
}

/**
 * Every (subscription, article) pair of the batch that matches. Text subscriptions are grouped by their
 * query text: one named clause per distinct text, up to `chunkSize` clauses per search of an msearch, each
 * search restricted to the batch by one ids filter; `matched_queries` says which texts each article hit,
 * and each subscription's keyword filters are then applied in Node (same semantics as filterClauses).
 * Sending the batch's ids once per chunk instead of once per subscription is what keeps 10k subscriptions fast.
 */
export async function matchBatch(store: Store, subs: Subscription[], batch: BatchDoc[], opts: MatchOptions = {}): Promise<Match[]> {
  const chunkSize = opts.chunkSize ?? 200;
  const concurrency = opts.concurrency ?? 4;
  const matches: Match[] = [];
  // text → subscriptions with that text and the batch articles passing their filters
  const byText = new Map<string, Array<{ sub: Subscription; candidates: Set<string> }>>();
  const narrow = batchIndex(batch);
  for (const sub of subs) {
    if (!sub.active) continue;
    const candidates = narrow(sub.filters).filter((d) => passesFilters(sub.filters, d));
    if (candidates.length === 0) continue;
    if (!sub.query) {
      for (const d of candidates) matches.push(toMatch(sub, d));
      continue;
    }
    const list = byText.get(sub.query) ?? [];
    list.push({ sub, candidates: new Set(candidates.map((d) => d.id)) });
    byText.set(sub.query, list);
  }
  const texts = [...byText.keys()];
  const chunks: string[][] = [];
  for (let i = 0; i < texts.length; i += chunkSize) chunks.push(texts.slice(i, i + chunkSize));
  const byId = new Map(batch.map((d) => [d.id, d]));
  const index = store.names.alias('articles');
  const runChunks = async (group: string[][]) => {
    const body: estypes.MsearchRequestItem[] = group.flatMap((chunk) => {
      const ids = new Set<string>();
      for (const t of chunk) for (const { candidates } of byText.get(t)!) for (const id of candidates) ids.add(id);
      return [
        { index, ignore_unavailable: true, allow_no_indices: true },
        {
          query: { bool: { filter: [{ ids: { values: [...ids] } }], should: chunk.map((t, i) => ({ ...textQueryNamed(t, `q${i}`) })), minimum_should_match: 1 } },
          size: ids.size,
          _source: false,
          track_total_hits: false,
        },
      ];
    });
    const res = await store.client.msearch({ searches: body });
    res.responses.forEach((r, c) => {
      const chunk = group[c]!;
      if ('error' in r) throw new Error(`saved searches: msearch failed: ${r.error.reason ?? r.error.type}`);
      for (const h of r.hits.hits) {
        const d = byId.get(h._id!);
        if (!d) continue;
        for (const name of h.matched_queries ? (Array.isArray(h.matched_queries) ? h.matched_queries : Object.keys(h.matched_queries)) : []) {
          const text = chunk[Number(name.slice(1))];
          for (const { sub, candidates } of (text !== undefined && byText.get(text)) || []) if (candidates.has(d.id)) matches.push(toMatch(sub, d));
        }
      }
    });
  };
  // A few chunks per msearch request, a few requests in flight.
  const perRequest = 5;
  const requests: string[][][] = [];
  for (let i = 0; i < chunks.length; i += perRequest) requests.push(chunks.slice(i, i + perRequest));
  for (let i = 0; i < requests.length; i += concurrency) await Promise.all(requests.slice(i, i + concurrency).map(runChunks));
  return matches;
}

/** textQuery (store/search.ts) wrapped so `matched_queries` reports it under `name`. */
function textQueryNamed(text: string, name: string) {
  return { bool: { must: [textQuery(text)], _name: name } };
}

/** Record matches with deterministic ids: first write wins, a re-run of the same batch changes nothing. */
export async function recordMatches(store: Store, writer: BulkWriter, matches: Match[], now: Date): Promise<number> {
  if (matches.length === 0) return 0;
  const index = store.names.alias('matches');
  // Ids are hashed only here: computing them while matching cost more than the matching itself.
  const res = await writer.write(
    matches.map((m) => {
      const id = matchId(m.subscriptionId, m.articleId);
      return { index, id, mode: 'create' as const, doc: { id, ...m, matchedAt: now.toISOString() } };
    }),
  );
  if (res.rejected.length > 0) throw new Error(`matches: ${res.rejected.length} rejected: ${res.rejected[0]!.reason}`);
  return res.created;
}
