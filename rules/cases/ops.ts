/**
 * Pure case operations: each takes the current case and returns the next one (or the same object when
 * nothing changes, so callers can skip the write). Used inside optimistic read-modify-write loops, so they
 * must not do I/O and must give the same result when re-applied to a newer document.
 */
import type { CaseContext } from './context.ts';
import { earliestDeadline, isoNow, outletDeadlineFor } from './deadlines.ts';
import { caseId, type ArticleRef, type Case, type CaseFlag, type Correction, type FlagForCase, type HistoryEntry } from './schema.ts';
import { InvalidTransitionError, type StateCode } from './workflow.ts';

export const SYSTEM_ACTOR = 'he-thong';

const uniq = (xs: string[]) => [...new Set(xs)];

function articleRefOf(flag: FlagForCase): ArticleRef {
  return flag.article ?? { id: flag.articleId, url: '', title: null, outletId: null, outletName: null, outletKind: null, publishedAt: null };
}

const storyKey = (flag: FlagForCase) => flag.storyId ?? `article:${flag.articleId}`;

export function caseIdForFlag(flag: FlagForCase): string {
  return caseId(flag.agencyId, storyKey(flag));
}

export function newCase(flag: FlagForCase, now: Date, ctx: CaseContext): Case {
  const at = isoNow(now);
  const article = articleRefOf(flag);
  const f: CaseFlag = { id: flag.id, articleId: flag.articleId, ruleId: flag.ruleId, kind: flag.kind, priority: flag.priority, deadline: flag.deadline, regime: flag.regime };
  return {
    id: caseIdForFlag(flag),
    agencyId: flag.agencyId,
    province: flag.province ?? null,
    storyId: storyKey(flag),
    title: article.title,
    state: 'moi',
    stateLabel: ctx.workflow.label('moi'),
    assignee: null,
    flagIds: [flag.id],
    flagKinds: [flag.kind],
    ruleIds: [flag.ruleId],
    flags: [f],
    articleIds: [flag.articleId],
    articles: [article],
    priority: flag.priority,
    deadline: flag.deadline,
    outletDeadline: null,
    regime: flag.regime,
    closedReason: null,
    notes: [],
    history: [{ at, by: SYSTEM_ACTOR, action: 'mo-vu-viec', to: 'moi', note: `Mở vụ việc từ cảnh báo ${flag.ruleId}` }],
    letters: [],
    evidence: [],
    correction: null,
    respondedAt: null,
    requestSentAt: null,
    outletOverdueAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** Join a flag to its case; a flag already on the case changes nothing (idempotent re-ingest). */
export function addFlag(c: Case, flag: FlagForCase, now: Date): Case {
  if (c.flagIds.includes(flag.id)) return c;
  const at = isoNow(now);
  const f: CaseFlag = { id: flag.id, articleId: flag.articleId, ruleId: flag.ruleId, kind: flag.kind, priority: flag.priority, deadline: flag.deadline, regime: flag.regime };
  const flags = [...c.flags, f];
  const newArticle = !c.articleIds.includes(flag.articleId);
  return {
    ...c,
    flagIds: [...c.flagIds, flag.id],
    flagKinds: uniq([...c.flagKinds, flag.kind]),
    ruleIds: uniq([...c.ruleIds, flag.ruleId]),
    flags,
    articleIds: newArticle ? [...c.articleIds, flag.articleId] : c.articleIds,
    articles: newArticle ? [...c.articles, articleRefOf(flag)] : c.articles,
    priority: Math.min(c.priority, flag.priority),
    deadline: earliestDeadline(flags),
    regime: c.regime ?? flag.regime,
    history: [...c.history, { at, by: SYSTEM_ACTOR, action: 'them-canh-bao', note: `Thêm cảnh báo ${flag.ruleId} (bài ${flag.articleId.slice(0, 12)})` }],
    updatedAt: at,
  };
}

export interface TransitionInput {
  to: StateCode;
  by: string;
  note?: string | null | undefined;
  /** For a correction request: which flagged article it is about (default: the first one). */
  articleId?: string | undefined;
  /** When the request was sent or the statement made, if not now. */
  at?: string | undefined;
}

export function transition(c: Case, input: TransitionInput, now: Date, ctx: CaseContext): Case {
  const t = ctx.workflow.transition(c.state, input.to, input.note);
  const at = input.at ?? isoNow(now);
  const entry: HistoryEntry = { at: isoNow(now), by: input.by, action: t.action, from: c.state, to: input.to, ...(input.note ? { note: input.note } : {}) };
  const next: Case = { ...c, state: input.to, stateLabel: ctx.workflow.label(input.to), history: [...c.history, entry], updatedAt: isoNow(now) };
  if (input.to === 'da-phat-ngon' && !c.respondedAt) next.respondedAt = at;
  if (input.to === 'da-gui-de-nghi-cai-chinh') {
    const article = input.articleId ? c.articles.find((a) => a.id === input.articleId) : c.articles[0];
    if (!article) throw new InvalidTransitionError(`article ${input.articleId} is not in case ${c.id}`);
    next.requestSentAt = at;
    next.outletDeadline = outletDeadlineFor(article, at, ctx).deadline;
    next.outletOverdueAt = null;
  }
  if (ctx.workflow.state(input.to).terminal) next.closedReason = input.note ?? c.closedReason;
  if (input.to === 'dang-xu-ly' && ctx.workflow.state(c.state).terminal) next.closedReason = null;
  return next;
}

export function addNote(c: Case, by: string, text: string, now: Date): Case {
  const at = isoNow(now);
  return { ...c, notes: [...c.notes, { at, by, text }], history: [...c.history, { at, by, action: 'ghi-chu', note: text }], updatedAt: at };
}

export function assign(c: Case, by: string, assignee: string | null, now: Date): Case {
  if (c.assignee === assignee) return c;
  const at = isoNow(now);
  return { ...c, assignee, history: [...c.history, { at, by, action: 'phan-cong', note: assignee ? `Giao cho ${assignee}` : 'Bỏ phân công' }], updatedAt: at };
}

/** Link the outlet's correction; moves the case to bao-da-cai-chinh when the workflow allows it. */
export function linkCorrection(c: Case, correction: Correction, now: Date, ctx: CaseContext): Case {
  if (c.correction?.articleId === correction.articleId) return c;
  const linked: Case = { ...c, correction };
  const note = `Báo đăng cải chính/phản hồi: ${correction.title ?? correction.articleId}${correction.url ? ` (${correction.url})` : ''}`;
  if (ctx.workflow.allowedFrom(c.state).includes('bao-da-cai-chinh')) {
    return transition(linked, { to: 'bao-da-cai-chinh', by: SYSTEM_ACTOR, note }, now, ctx);
  }
  // Already closed or past it: keep the link and say so, without changing the state.
  const at = isoNow(now);
  return { ...linked, history: [...c.history, { at, by: SYSTEM_ACTOR, action: 'phat-hien-cai-chinh', note }], updatedAt: at };
}

export function appendHistory(c: Case, entry: Omit<HistoryEntry, 'at'>, now: Date): Case {
  const at = isoNow(now);
  return { ...c, history: [...c.history, { ...entry, at }], updatedAt: at };
}
