/** What an alert or a digest says about each article, read back from the indices. */
import type { SensitivityLevel, Tone } from '../model/records.ts';
import type { Store } from '../store/es.ts';

export interface ItemFlag {
  agencyId: string;
  kind: string;
  deadline: string | null;
  reasons: string[];
}

export interface Item {
  articleId: string;
  storyId: string | null;
  outlet: string;
  publishedAt: string | null;
  title: string;
  url: string;
  sapo: string | null;
  agencies: Array<{ id: string; name: string; prominence: string }>;
  level: SensitivityLevel;
  tone: Tone;
  reasons: string[];
  flags: ItemFlag[];
  /** Articles of the same story (copies and follow-ups), this one included. */
  copies: number;
  isCopy: boolean;
}

interface ArticleSource {
  id: string;
  storyId?: string | null;
  outletName?: string | null;
  sourceId?: string;
  publishedAt?: string | null;
  fetchedAt?: string;
  title?: string | null;
  canonicalUrl?: string;
  url?: string;
  sapo?: string | null;
  agencies?: Array<{ id: string; name: string; prominence: string }>;
  sensitivity?: { level?: SensitivityLevel; tone?: Tone; reasons?: string[] } | null;
  duplicateOf?: string | null;
}

const ITEM_FIELDS = ['id', 'storyId', 'outletName', 'sourceId', 'publishedAt', 'fetchedAt', 'title', 'canonicalUrl', 'url', 'sapo', 'agencies.id', 'agencies.name', 'agencies.prominence', 'sensitivity.level', 'sensitivity.tone', 'sensitivity.reasons', 'duplicateOf'];

export function toItem(a: ArticleSource, flags: ItemFlag[], copies: number): Item {
  return {
    articleId: a.id,
    storyId: a.storyId ?? null,
    outlet: a.outletName || a.sourceId || new URL(a.canonicalUrl ?? a.url ?? 'http://unknown').hostname,
    publishedAt: a.publishedAt ?? a.fetchedAt ?? null,
    title: a.title ?? '(không có tiêu đề)',
    url: a.canonicalUrl ?? a.url ?? '',
    sapo: a.sapo ?? null,
    agencies: (a.agencies ?? []).map((g) => ({ id: g.id, name: g.name, prominence: g.prominence })),
    level: a.sensitivity?.level ?? 'normal',
    tone: a.sensitivity?.tone ?? 'neutral',
    reasons: a.sensitivity?.reasons ?? [],
    flags,
    copies: Math.max(1, copies),
    isCopy: Boolean(a.duplicateOf),
  };
}

export async function flagsOf(store: Store, articleIds: string[]): Promise<Map<string, ItemFlag[]>> {
  const out = new Map<string, ItemFlag[]>();
  for (let i = 0; i < articleIds.length; i += 1000) {
    const res = await store.client.search<ItemFlag & { articleId: string }>({
      index: store.names.alias('flags'),
      query: { terms: { articleId: articleIds.slice(i, i + 1000) } },
      _source: ['articleId', 'agencyId', 'kind', 'deadline', 'reasons'],
      size: 10_000,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    for (const h of res.hits.hits) {
      const f = h._source!;
      const list = out.get(f.articleId) ?? [];
      list.push({ agencyId: f.agencyId, kind: f.kind, deadline: f.deadline ?? null, reasons: Array.isArray(f.reasons) ? f.reasons : [String(f.reasons)] });
      out.set(f.articleId, list);
    }
  }
  return out;
}

/** Number of indexed articles per story (copies and follow-ups). */
export async function storySizes(store: Store, storyIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (storyIds.length === 0) return out;
  const res = await store.client.search({
    index: store.names.alias('articles'),
    size: 0,
    query: { terms: { storyId: storyIds } },
    aggs: { s: { terms: { field: 'storyId', size: storyIds.length } } },
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  const buckets = (res.aggregations?.s as { buckets?: Array<{ key: string; doc_count: number }> } | undefined)?.buckets ?? [];
  for (const b of buckets) out.set(b.key, b.doc_count);
  return out;
}

/** Items for the given articles (in the given order), with their flags and story sizes. */
export async function loadItems(store: Store, articleIds: string[]): Promise<Item[]> {
  const sources = await searchArticles(store, { ids: { values: articleIds } }, articleIds.length);
  const byId = new Map(sources.map((s) => [s.id, s]));
  return itemsFor(store, articleIds.map((id) => byId.get(id)).filter((a): a is ArticleSource => a !== undefined));
}

export async function itemsFor(store: Store, sources: ArticleSource[]): Promise<Item[]> {
  const flags = await flagsOf(store, sources.map((s) => s.id));
  const sizes = await storySizes(store, [...new Set(sources.map((s) => s.storyId).filter((x): x is string => Boolean(x)))]);
  return sources.map((a) => toItem(a, flags.get(a.id) ?? [], a.storyId ? (sizes.get(a.storyId) ?? 1) : 1));
}

export async function searchArticles(store: Store, query: object, max = 10_000): Promise<ArticleSource[]> {
  const out: ArticleSource[] = [];
  let after: unknown[] | undefined;
  while (out.length < max) {
    const size = Math.min(2000, max - out.length);
    const res = await store.client.search<ArticleSource>({
      index: store.names.alias('articles'),
      query: query as never,
      _source: ITEM_FIELDS,
      sort: [{ publishedAt: { order: 'asc', missing: '_last' } }, { id: 'asc' }],
      size,
      ignore_unavailable: true,
      allow_no_indices: true,
      ...(after ? { search_after: after as never } : {}),
    });
    for (const h of res.hits.hits) out.push({ ...h._source!, id: h._id! });
    if (res.hits.hits.length < size) break;
    after = res.hits.hits.at(-1)!.sort as unknown[];
  }
  return out;
}
