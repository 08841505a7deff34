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
import type { ArticleRef, Case } from './schema.ts';

export const AGENCY_STATE_SEPARATOR = '|';
export const agencyState = (agencyId: string, state: string) => `${agencyId}${AGENCY_STATE_SEPARATOR}${state}`;

/** The article's entries with this agency's case set to `state` (or removed when null). */
export function withCaseState(entries: readonly string[], agencyId: string, state: string | null): string[] {
  const prefix = `${agencyId}${AGENCY_STATE_SEPARATOR}`;
  const kept = entries.filter((e) => !e.startsWith(prefix));
  return [...kept, ...(state ? [agencyState(agencyId, state)] : [])].sort();
}

export const statesOf = (entries: readonly string[]) => [...new Set(entries.map((e) => e.slice(e.lastIndexOf(AGENCY_STATE_SEPARATOR) + 1)))].sort();

type Ref = Pick<ArticleRef, 'id' | 'publishedAt'>;

/** An article's state fields read in real time (GET), with what optimistic concurrency needs; null when not there. */
async function readStates(store: Store, index: string, id: string) {
  const res = await store.client.get<{ caseAgencyStates?: string[] }>({ index, id, _source_includes: ['caseAgencyStates'] }).catch((err: unknown) => {
    if (err instanceof errors.ResponseError && err.statusCode === 404) return null;
    throw err;
  });
  return res?.found ? { index, entries: res._source?.caseAgencyStates ?? [], seqNo: res._seq_no!, primaryTerm: res._primary_term! } : null;
}

/**
 * Articles live in the month index of their publication date (store/articles.ts), read there in real time,
 * so an article indexed moments ago by the same ingest is found without refreshing the index. An article
 * kept in another month (re-dated) is looked up by id, once for all of them.
 */
function locator(store: Store, refs: Ref[]) {
  const guess = new Map(refs.map((r) => [r.id, r.publishedAt ? store.names.monthly('articles', r.publishedAt) : null]));
  let searched: Promise<Map<string, string>> | null = null;
  const search = () =>
    (searched ??= store.client
      .search({ index: store.names.alias('articles'), query: { ids: { values: refs.map((r) => r.id) } }, _source: false, size: refs.length, ignore_unavailable: true, allow_no_indices: true })
      .then((res) => new Map(res.hits.hits.map((h) => [h._id!, h._index]))));
  return async (id: string) => {
    const first = guess.get(id);
    const hit = first ? await readStates(store, first, id) : null;
    if (hit) return hit;
    const index = (await search()).get(id);
    return index && index !== first ? readStates(store, index, id) : null;
  };
}

/**
 * Write the case's current state onto its articles (and remove it from articles no longer in the case).
 * The case is the record; the articles' copy only serves search, so a failure other than Elasticsearch
 * being unreachable does not fail the case change (the next change of the case writes it again).
 */
export async function syncCaseStateToArticles(store: Store, c: Pick<Case, 'agencyId' | 'state' | 'articles'>, removed: Ref[] = []): Promise<void> {
  try {
    await writeStates(store, c, removed);
  } catch (err) {
    if (isEsUnreachable(err)) throw err;
  }
}

async function writeStates(store: Store, c: Pick<Case, 'agencyId' | 'state' | 'articles'>, removed: Ref[]): Promise<void> {
  const targets = [...removed.map((r) => ({ ref: r, state: null })), ...c.articles.map((r) => ({ ref: r, state: c.state }))];
  const read = locator(store, targets.map((t) => t.ref));
  for (const { ref, state } of targets) {
    for (let attempt = 1; ; attempt++) {
      const current = await read(ref.id);
      if (!current) break; // not indexed (yet): the next change of the case writes it
      const after = withCaseState(current.entries, c.agencyId, state);
      if (after.join('\n') === [...current.entries].sort().join('\n')) break;
      try {
        await store.client.update({ index: current.index, id: ref.id, doc: { caseAgencyStates: after, caseStates: statesOf(after) }, if_seq_no: current.seqNo, if_primary_term: current.primaryTerm });
        break;
      } catch (err) {
        // Another case of the same article (another agency) wrote in between: read again and merge.
        if (!(err instanceof errors.ResponseError && err.statusCode === 409) || attempt >= 20) throw err;
      }
    }
  }
}
