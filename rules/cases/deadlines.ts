/**
 * Case deadlines: the agency's (earliest flag deadline) and the outlet's (legal correction deadline once
 * a request is sent), and overdue detection against an injected `now`.
 */
import { addHours, formatIso, isOverdue, toVietnamTime } from '../calendar/deadlines.ts';
import { computeDeadline, regimeFor } from '../legal/regimes.ts';
import type { CaseContext } from './context.ts';
import type { ArticleRef, Case, CaseFlag } from './schema.ts';

const ms = (iso: string) => toVietnamTime(iso).toMillis();

/** The earliest non-null deadline, or null when no flag has a fixed time limit. */
export function earliestDeadline(flags: Pick<CaseFlag, 'deadline'>[]): string | null {
  let best: string | null = null;
  for (const f of flags) if (f.deadline && (best === null || ms(f.deadline) < ms(best))) best = f.deadline;
  return best;
}

export interface OutletDeadline {
  deadline: string | null;
  regime: string | null;
  /** Per channel, for the letter and the UI: "Báo điện tử: ngay (…citation)". */
  channels: Array<{ channel: string; label: string; unit: string; deadline: string | null; citation: string }>;
}

/**
 * When the outlet of `article` must publish the correction requested at `sentAt`, under the regime in force
 * on the article's date (the request itself may come later). "Ngay" (immediately) gets the configured grace;
 * "next issue" has no computable date. The earliest channel deadline binds.
 */
export function outletDeadlineFor(article: Pick<ArticleRef, 'outletKind' | 'publishedAt'>, sentAt: string, ctx: CaseContext): OutletDeadline {
  const regime = regimeFor(article.publishedAt ?? sentAt, ctx.regimes) ?? regimeFor(sentAt, ctx.regimes);
  if (!regime || !article.outletKind) return { deadline: null, regime: regime?.id ?? null, channels: [] };
  const grace = ctx.workflow.data.outlet.immediateGraceHours;
  const channels = (regime.outletCorrection.kinds[article.outletKind] ?? []).map((id) => {
    const c = regime.outletCorrection.channels[id]!;
    const deadline = c.unit === 'immediately' ? addHours(sentAt, grace) : computeDeadline(c, sentAt, ctx.calendar, ctx.regimes.computation);
    return { channel: id, label: c.label, unit: c.unit, deadline, citation: c.citation };
  });
  return { deadline: earliestDeadline(channels), regime: regime.id, channels };
}

export interface OverdueStatus {
  /** The agency has not acted (spoken, sent a request, closed) and its deadline passed. */
  agency: boolean;
  /** A correction was requested, the outlet's deadline passed and no correction was found. */
  outlet: boolean;
}

export function overdueStatus(c: Pick<Case, 'state' | 'deadline' | 'outletDeadline' | 'correction'>, now: Date | string, ctx: CaseContext): OverdueStatus {
  const state = ctx.workflow.state(c.state);
  return {
    agency: state.agencyActing && isOverdue(c.deadline, now),
    outlet: state.outletActing && c.correction === null && isOverdue(c.outletDeadline, now),
  };
}

export const isoNow = (d: Date) => formatIso(toVietnamTime(d));
