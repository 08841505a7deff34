/** Read what a digest needs from the indices: the period's articles in scope, their flags, open cases. */
import { errors } from '@elastic/elasticsearch';
import { loadRegistry } from '../../pipeline/agencies/registry/load.ts';
import { defaultCaseContext } from '../../rules/cases/context.ts';
import { overdueStatus } from '../../rules/cases/deadlines.ts';
import type { Case } from '../../rules/cases/schema.ts';
import { loadWorkflow, StateCode } from '../../rules/cases/workflow.ts';
import type { Store } from '../../store/es.ts';
import { itemsFor, searchArticles } from '../content.ts';
import type { Directory } from '../directory/store.ts';
import { caseStateLabel } from '../labels.ts';
import { buildDigest, digestPeriod, type CaseRow, type Digest, type DigestScope } from './model.ts';

export interface DigestRequest {
  scope: DigestScope;
  /** YYYY-MM-DD: the digest's day; the period is the 24 h ending at `time` that day. */
  date: string;
  time?: string;
  directory?: Directory;
  now: Date;
}

/** Legacy spellings of a finished case; the workflow's own terminal states are added at read time. */
const LEGACY_CLOSED = ['closed', 'done', 'resolved', 'dismissed', 'da-xu-ly'];

function closedStates(): Set<string> {
  return new Set([...LEGACY_CLOSED, ...loadWorkflow().data.states.filter((s) => s.terminal).map((s) => s.code)]);
}

type CaseSource = Partial<Pick<Case, 'id' | 'agencyId' | 'state' | 'stateLabel' | 'deadline' | 'outletDeadline' | 'correction' | 'title'>>;

/** The deadline running now and whether it passed, as the cases board computes it; a code the workflow does not know has none. */
function runningDeadline(c: CaseSource, now: Date): Pick<CaseRow, 'deadline' | 'overdue'> {
  const state = StateCode.safeParse(c.state);
  if (!state.success) return { deadline: c.deadline ?? null, overdue: false };
  const ctx = defaultCaseContext();
  const dates = { state: state.data, deadline: c.deadline ?? null, outletDeadline: c.outletDeadline ?? null, correction: c.correction ?? null };
  const overdue = overdueStatus(dates, now, ctx);
  const outletTurn = !ctx.workflow.state(state.data).agencyActing && ctx.workflow.state(state.data).outletActing;
  return outletTurn ? { deadline: dates.outletDeadline, overdue: overdue.outlet } : { deadline: dates.deadline, overdue: overdue.agency };
}

async function openCases(store: Store, scope: DigestScope, now: Date): Promise<CaseRow[]> {
  try {
    const res = await store.client.search<CaseSource>({
      index: store.names.alias('cases'),
      query: scope.agencyId ? { term: { agencyId: scope.agencyId } } : { bool: { should: [{ term: { province: scope.province } }, { prefix: { agencyId: `2025-${scope.province}-` } }] } },
      _source: ['id', 'agencyId', 'state', 'stateLabel', 'deadline', 'outletDeadline', 'correction', 'title'],
      size: 500,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const closed = closedStates();
    return res.hits.hits
      .map((h): CaseRow => {
        const state = h._source?.state ?? null;
        return {
          id: h._source?.id ?? h._id!,
          agencyId: h._source?.agencyId ?? null,
          state,
          stateLabel: caseStateLabel(state, h._source?.stateLabel),
          ...runningDeadline(h._source ?? {}, now),
          title: h._source?.title ?? null,
        };
      })
      .filter((c) => !c.state || !closed.has(c.state))
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
  return buildDigest({ scope, orgName, date: req.date, from, to, items, agencyNames, cases: await openCases(store, scope, req.now), generatedAt: req.now.toISOString() });
}
