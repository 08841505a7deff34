/** Listing cases and the overdue sweep. */
import type { estypes } from '@elastic/elasticsearch';
import type { Store } from '../../store/es.ts';
import { defaultCaseContext, type CaseContext } from './context.ts';
import { isoNow, overdueStatus, type OverdueStatus } from './deadlines.ts';
import { appendHistory, SYSTEM_ACTOR } from './ops.ts';
import { casesIndex, mutateCase, type WriteOptions } from './repo.ts';
import { Case, type Clock } from './schema.ts';
import type { StateCode } from './workflow.ts';

export interface CaseFilter {
  agencyId?: string | undefined;
  state?: StateCode | undefined;
  /** Only cases overdue for the agency or for the outlet at `now`. */
  overdue?: boolean | undefined;
  limit?: number | undefined;
}

/** The Elasticsearch form of "overdue at now": the same test as overdueStatus, so lists and counts agree. */
export function overdueQuery(now: Date, ctx: CaseContext): estypes.QueryDslQueryContainer {
  const at = isoNow(now);
  const agencyStates = ctx.workflow.data.states.filter((s) => s.agencyActing).map((s) => s.code);
  const outletStates = ctx.workflow.data.states.filter((s) => s.outletActing).map((s) => s.code);
  return {
    bool: {
      minimum_should_match: 1,
      should: [
        { bool: { filter: [{ terms: { state: agencyStates } }, { range: { deadline: { lt: at } } }] } },
        {
          bool: {
            filter: [{ terms: { state: outletStates } }, { range: { outletDeadline: { lt: at } } }],
            must_not: [{ exists: { field: 'correction.articleId' } }],
          },
        },
      ],
    },
  };
}

export async function listCases(store: Store, filter: CaseFilter, clock: Clock, ctx: CaseContext = defaultCaseContext()): Promise<Array<Case & { overdue: OverdueStatus }>> {
  const must: estypes.QueryDslQueryContainer[] = [];
  if (filter.agencyId) must.push({ term: { agencyId: filter.agencyId } });
  if (filter.state) must.push({ term: { state: filter.state } });
  const now = clock();
  if (filter.overdue) must.push(overdueQuery(now, ctx));
  const res = await store.client.search<unknown>({
    index: casesIndex(store),
    size: filter.limit ?? 500,
    query: { bool: { filter: must } },
    sort: [{ priority: 'asc' }, { deadline: { order: 'asc', missing: '_last' } }, { createdAt: 'desc' }],
  });
  return res.hits.hits.map((h) => {
    const c = Case.parse(h._source);
    return { ...c, overdue: overdueStatus(c, now, ctx) };
  });
}

/**
 * Mark cases whose outlet deadline passed without a correction (`outletOverdueAt` plus a history entry),
 * once per request. Returns the ids marked now.
 */
export async function sweepOutletOverdue(store: Store, clock: Clock, ctx: CaseContext = defaultCaseContext(), opts: WriteOptions = {}): Promise<string[]> {
  const now = clock();
  const res = await store.client.search<unknown>({
    index: casesIndex(store),
    size: 1000,
    query: { bool: { filter: [overdueQuery(now, ctx), { terms: { state: ctx.workflow.data.states.filter((s) => s.outletActing).map((s) => s.code) } }], must_not: [{ exists: { field: 'outletOverdueAt' } }] } },
  });
  const marked = new Set<string>();
  for (const hit of res.hits.hits) {
    const id = hit._id!;
    await mutateCase(
      store,
      id,
      (c) => {
        if (c.outletOverdueAt || !overdueStatus(c, now, ctx).outlet) return c;
        marked.add(id);
        const next = appendHistory(c, { by: SYSTEM_ACTOR, action: 'bao-qua-han-cai-chinh', note: `Quá hạn cải chính của cơ quan báo chí (hạn ${c.outletDeadline})` }, now);
        return { ...next, outletOverdueAt: isoNow(now) };
      },
      opts,
    );
  }
  return [...marked];
}
