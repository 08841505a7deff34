/** Reads behind the article and case pages, every one restricted to what the principal may see. */
import type { Article } from '../model/records.ts';
import type { Flag } from '../rules/engine/flag.ts';
import { getCase } from '../rules/cases/repo.ts';
import type { Case } from '../rules/cases/schema.ts';
import type { Store } from '../store/es.ts';
import type { Versioned } from '../store/occ.ts';
import { canSee, scopeFilter, type Principal } from './auth/principal.ts';

export type StoredArticle = Article & { outletName?: string | null; flagKinds?: string[] };

/** An article the principal may see, or null (unknown and out-of-scope look the same: no existence leak). */
export async function getArticle(store: Store, p: Principal, id: string): Promise<StoredArticle | null> {
  const res = await store.client.search<StoredArticle>({
    index: store.names.alias('articles'),
    query: { bool: { filter: [{ ids: { values: [id] } }, ...scopeFilter(p, 'agencyIds')] } },
    size: 1,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return res.hits.hits[0]?._source ?? null;
}

export async function flagsOfArticle(store: Store, p: Principal, articleId: string): Promise<Flag[]> {
  const res = await store.client.search<Flag>({
    index: store.names.alias('flags'),
    query: { bool: { filter: [{ term: { articleId } }, ...scopeFilter(p, 'agencyId')] } },
    sort: [{ priority: 'asc' }, { deadline: { order: 'asc', missing: '_last' } }],
    size: 100,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return res.hits.hits.map((h) => h._source!);
}

/** Cases of the article, and of its story: a republished copy leads to the case opened on the original. */
export async function casesOfArticle(store: Store, p: Principal, articleId: string, storyId?: string | null): Promise<Case[]> {
  const match = [{ term: { articleIds: articleId } }, ...(storyId ? [{ term: { storyId } }] : [])];
  const res = await store.client.search<Case>({
    index: store.names.alias('cases'),
    query: { bool: { filter: [{ bool: { should: match, minimum_should_match: 1 } }, ...scopeFilter(p, 'agencyId')] } },
    size: 50,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return res.hits.hits.map((h) => h._source!);
}

export async function storySiblings(store: Store, p: Principal, a: StoredArticle) {
  if (!a.storyId) return [];
  const res = await store.client.search<StoredArticle>({
    index: store.names.alias('articles'),
    query: { bool: { filter: [{ term: { storyId: a.storyId } }, ...scopeFilter(p, 'agencyIds')], must_not: [{ ids: { values: [a.id] } }] } },
    _source: ['id', 'title', 'url', 'sourceId', 'outletName', 'publishedAt', 'duplicateOf'],
    sort: [{ publishedAt: { order: 'asc', missing: '_last' } }],
    size: 50,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return res.hits.hits.map((h) => h._source!);
}

/** A case the principal may see (agency users: their own agency's only). */
export async function getVisibleCase(store: Store, p: Principal, id: string): Promise<Versioned<Case> | null> {
  if (!/^[0-9a-f]{64}$/.test(id)) return null;
  const c = await getCase(store, id);
  return c && canSee(p, c.doc.agencyId) ? c : null;
}
