/**
 * NĐ 244/2026 annual report metrics that cases can pre-fill (Art. 10, research note §2): statements made on
 * time out of cases with the 24 h deadline, and written replies or correction requests out of cases of
 * false information. A case closed as "không cần xử lý" (e.g. the article was accurate) counts in neither.
 */
import { DateTime } from 'luxon';
import type { Store } from '../../store/es.ts';
import { toVietnamTime, VIETNAM_ZONE } from '../calendar/deadlines.ts';
import { defaultCaseContext, type CaseContext } from './context.ts';
import { earliestDeadline } from './deadlines.ts';
import { casesIndex } from './repo.ts';
import { Case } from './schema.ts';

export interface Nd244Counts {
  agencyId: string;
  /** Statements made by the 24 h deadline / cases with that deadline. */
  statementsOnTime: number;
  statementCases: number;
  /** Written replies or correction requests sent / cases of false information. */
  writtenReplies: number;
  falseInfoCases: number;
}

export interface Period {
  /** Inclusive local dates, YYYY-MM-DD (the NĐ 244 period is 15/12 to 14/12). */
  from: string;
  to: string;
}

const ms = (iso: string) => toVietnamTime(iso).toMillis();

/** Pure: counts per agency for the cases opened in the period. */
export function countNd244(cases: Case[], period: Period, ctx: CaseContext): Nd244Counts[] {
  const { statement24hRules, falseInfoRules } = ctx.workflow.data.metrics;
  const from = DateTime.fromISO(period.from, { zone: VIETNAM_ZONE }).startOf('day').toMillis();
  const to = DateTime.fromISO(period.to, { zone: VIETNAM_ZONE }).endOf('day').toMillis();
  const rows = new Map<string, Nd244Counts>();
  for (const c of cases) {
    const opened = ms(c.createdAt);
    if (opened < from || opened > to || c.state === 'khong-can-xu-ly') continue;
    const row = rows.get(c.agencyId) ?? { agencyId: c.agencyId, statementsOnTime: 0, statementCases: 0, writtenReplies: 0, falseInfoCases: 0 };
    const statementFlags = c.flags.filter((f) => statement24hRules.includes(f.ruleId));
    if (statementFlags.length) {
      row.statementCases++;
      const due = earliestDeadline(statementFlags);
      if (c.respondedAt && (due === null || ms(c.respondedAt) <= ms(due))) row.statementsOnTime++;
    }
    if (c.flags.some((f) => falseInfoRules.includes(f.ruleId))) {
      row.falseInfoCases++;
      if (c.requestSentAt) row.writtenReplies++;
    }
    rows.set(c.agencyId, row);
  }
  return [...rows.values()].filter((r) => r.statementCases || r.falseInfoCases).sort((a, b) => a.agencyId.localeCompare(b.agencyId));
}

export async function nd244Report(store: Store, period: Period & { agencyId?: string }, ctx: CaseContext = defaultCaseContext()): Promise<Nd244Counts[]> {
  const filter: object[] = [{ range: { createdAt: { gte: `${period.from}T00:00:00+07:00`, lte: `${period.to}T23:59:59+07:00` } } }];
  if (period.agencyId) filter.push({ term: { agencyId: period.agencyId } });
  const res = await store.client.search<unknown>({ index: casesIndex(store), size: 10_000, query: { bool: { filter } } });
  return countNd244(res.hits.hits.map((h) => Case.parse(h._source)), period, ctx);
}
