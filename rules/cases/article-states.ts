/**
 * The state of each article's cases, kept on the article itself so search can filter and count by it
 * ("case state" facet): `caseAgencyStates` holds `agency|state` for every case that contains the article
 * (one case per agency and story, and an article belongs to one story, so at most one entry per agency),
 * `caseStates` the states alone. Agency users are shown only their own entry.
 *
 * Elasticsearch's minimal distribution has no scripting, so each article is updated read-modify-write with
 * optimistic concurrency; a case change touches only the few articles of that case.
 */
import { errors } from '@elastic/elasticsearch';
import type { Store } from '../../store/es.ts';
import { isEsUnreachable } from '../../store/spool.ts';
import type { Case } from './schema.ts';

export const AGENCY_STATE_SEPARATOR = '|';
export const agencyState = (agencyId: string, state: string) => `${agencyId}${AGENCY_STATE_SEPARATOR}${state}`;

/** The article's entries with this agency's case set to `state` (or removed when null). */
export function withCaseState(entries: readonly string[], agencyId: string, state: string | null): string[] {
  const prefix = `${agencyId}${AGENCY_STATE_SEPARATOR}`;
  const kept = entries.filter((e) => !e.startsWith(prefix));
  return [...kept, ...(state ? [agencyState(agencyId, state)] : [])].sort();
}

export const statesOf = (entries: readonly string[]) => [...new Set(entries.map((e) => e.slice(e.lastIndexOf(AGENCY_STATE_SEPARATOR) + 1)))].sort();

/** Where each article lives (monthly indices); articles indexed moments ago become visible after a refresh. */
async function locate(store: Store, ids: string[]): Promise<Map<string, string>> {
  const alias = store.names.alias('articles');
  const find = async () => {
    const res = await store.client.search({ index: alias, query: { ids: { values: ids } }, _source: false, size: ids.length, ignore_unavailable: true, allow_no_indices: true });
    return new Map(res.hits.hits.map((h) => [h._id!, h._index]));
  };
  let found = await find();
  if (found.size < ids.length) {
    await store.client.indices.refresh({ index: alias, ignore_unavailable: true, allow_no_indices: true });
    found = await find();
  }
  return found;
}

/**
 * Write the case's current state onto its articles (and remove it from articles no longer in the case).
 * The case is the record; the articles' copy only serves search, so a failure other than Elasticsearch
 * being unreachable does not fail the case change (the next change of the case writes it again).
 */
export async function syncCaseStateToArticles(store: Store, c: Pick<Case, 'agencyId' | 'state' | 'articleIds'>, removedArticleIds: string[] = []): Promise<void> {
  try {
    await writeStates(store, c, removedArticleIds);
  } catch (err) {
    if (isEsUnreachable(err)) throw err;
  }
}

async function writeStates(store: Store, c: Pick<Case, 'agencyId' | 'state' | 'articleIds'>, removedArticleIds: string[] = []): Promise<void> {
  const targets = new Map<string, string | null>([...removedArticleIds.map((id) => [id, null] as const), ...c.articleIds.map((id) => [id, c.state] as const)]);
  if (targets.size === 0) return;
  const where = await locate(store, [...targets.keys()]);
  for (const [id, state] of targets) {
    const index = where.get(id);
    if (!index) continue; // not indexed (yet): the next change of the case writes it
    for (let attempt = 1; ; attempt++) {
      const res = await store.client.get<{ caseAgencyStates?: string[] }>({ index, id, _source_includes: ['caseAgencyStates'] }).catch((err: unknown) => {
        if (err instanceof errors.ResponseError && err.statusCode === 404) return null;
        throw err;
      });
      if (!res?.found) break;
      const before = res._source?.caseAgencyStates ?? [];
      const after = withCaseState(before, c.agencyId, state);
      if (after.join('\n') === before.slice().sort().join('\n')) break;
      try {
        await store.client.update({ index, id, doc: { caseAgencyStates: after, caseStates: statesOf(after) }, if_seq_no: res._seq_no!, if_primary_term: res._primary_term! });
        break;
      } catch (err) {
        // Another case of the same article (another agency) wrote in between: read again and merge.
        if (!(err instanceof errors.ResponseError && err.statusCode === 409) || attempt >= 20) throw err;
      }
    }
  }
}
