import { loadRegistry } from '../../pipeline/agencies/registry/load.ts';
/** Read what a digest needs from the indices: the period's articles in scope, their flags, open cases. */
import { errors } from '@elastic/elasticsearch';
import type { Store } from '../../store/es.ts';
import { itemsFor, searchArticles } from '../content.ts';
import type { Directory } from '../directory/store.ts';
import { buildDigest, digestPeriod, type CaseRow, type Digest, type DigestScope } from './model.ts';

export interface DigestRequest {
  scope: DigestScope;
  /** YYYY-MM-DD: the digest's day; the period is the 24 h ending at `time` that day. */
  date: string;
  time?: string;
  directory?: Directory;
  now: Date;
}

/** States a case leaves the annex in (the cases helper may use either spelling). */
const CLOSED = new Set(['closed', 'done', 'resolved', 'dismissed', 'da-xu-ly', 'dong']);

async function openCases(store: Store, scope: DigestScope): Promise<CaseRow[]> {
  try {
    const res = await store.client.search<Partial<CaseRow> & { province?: string }>({
      index: store.names.alias('cases'),
      query: scope.agencyId ? { term: { agencyId: scope.agencyId } } : { bool: { should: [{ term: { province: scope.province } }, { prefix: { agencyId: `2025-${scope.province}-` } }] } },
      _source: ['id', 'agencyId', 'state', 'deadline', 'title'],
      size: 500,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return res.hits.hits
      .map((h) => ({ id: h._source?.id ?? h._id!, agencyId: h._source?.agencyId ?? null, state: h._source?.state ?? null, deadline: h._source?.deadline ?? null, title: h._source?.title ?? null }))
      .filter((c) => !c.state || !CLOSED.has(c.state))
      .sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
  } catch (err) {
    // No cases index yet (another part of the system creates it): the annex is simply empty.
    if (err instanceof errors.ResponseError && err.statusCode === 404) return [];
    throw err;
  }
}

export async function collectDigest(store: Store, req: DigestRequest): Promise<Digest> {
  const { from, to } = digestPeriod(req.date, req.time);
  const { scope } = req;
  const sources = await searchArticles(store, {
    bool: {
      filter: [{ range: { publishedAt: { gte: from, lt: to } } }, scope.agencyId ? { term: { agencyIds: scope.agencyId } } : { term: { provinces: scope.province } }],
    },
  });
  const items = await itemsFor(store, sources);
  const agencyNames = new Map<string, string>();
  for (const i of items) for (const a of i.agencies) agencyNames.set(a.id, a.name);
  for (const [id, e] of req.directory ?? []) agencyNames.set(id, e.name);
  // Names come from the agency registry, so the header is right even on a day without articles.
  const registry = loadRegistry();
  const ubnd = registry.agency(`2025-${scope.province}-ubnd-tinh`)?.name;
  const orgName = scope.agencyId
    ? (agencyNames.get(scope.agencyId) ?? registry.agency(scope.agencyId)?.name ?? scope.agencyId)
    : (ubnd ?? `Ủy ban nhân dân tỉnh (mã ${scope.province})`);
  return buildDigest({ scope, orgName, date: req.date, from, to, items, agencyNames, cases: await openCases(store, scope), generatedAt: req.now.toISOString() });
}
