/** The Case record (index `cases`): one agency × one story, followed from `moi` to its end. */
import { compositeId } from '../../lib/ids.ts';
import { z } from 'zod';
import { IsoDateTime } from '../../model/records.ts';
import { Flag } from '../engine/flag.ts';
import { StateCode } from './workflow.ts';

export const HistoryEntry = z.object({
  at: IsoDateTime,
  by: z.string().min(1),
  action: z.string().min(1),
  from: StateCode.optional(),
  to: StateCode.optional(),
  note: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const Note = z.object({ at: IsoDateTime, by: z.string().min(1), text: z.string().min(1) });
export type Note = z.infer<typeof Note>;

/** What a case needs to know about a flagged article (letters, evidence, follow-up) without reading `articles`. */
export const ArticleRef = z.object({
  id: z.string().min(1),
  url: z.string().min(1),
  title: z.string().nullable(),
  outletId: z.string().nullable(),
  outletName: z.string().nullable(),
  outletKind: z.string().nullable(),
  publishedAt: IsoDateTime.nullable(),
});
export type ArticleRef = z.infer<typeof ArticleRef>;

export const CaseFlag = Flag.pick({ id: true, articleId: true, ruleId: true, kind: true, priority: true, deadline: true, regime: true });
export type CaseFlag = z.infer<typeof CaseFlag>;

export const EvidenceFiles = z.object({ html: z.string().nullable(), text: z.string().nullable(), png: z.string().nullable(), pdf: z.string().nullable(), diff: z.string().nullable() });

/** One look at a flagged article: the snapshot taken when the case opened, or a later re-check. */
export const EvidenceEntry = z.object({
  articleId: z.string(),
  url: z.string(),
  kind: z.enum(['snapshot', 'recheck']),
  at: IsoDateTime,
  /** HTTP status; null when the site could not be reached. */
  status: z.number().int().nullable(),
  outcome: z.enum(['captured', 'unchanged', 'edited', 'removed', 'unreachable']),
  /** sha256 of the fetched HTML bytes and of the extracted text (title, sapo, body). */
  htmlSha256: z.string().nullable(),
  textSha256: z.string().nullable(),
  title: z.string().nullable(),
  /** Paths relative to the storage dir. */
  files: EvidenceFiles,
  error: z.string().nullable().default(null),
});
export type EvidenceEntry = z.infer<typeof EvidenceEntry>;

export const LetterRecord = z.object({ at: IsoDateTime, by: z.string(), number: z.string(), format: z.enum(['docx', 'pdf']), file: z.string().nullable() });
export type LetterRecord = z.infer<typeof LetterRecord>;

export const Correction = z.object({
  articleId: z.string().min(1),
  detectedAt: IsoDateTime,
  url: z.string().nullable(),
  title: z.string().nullable(),
  /** Which flagged article it corrects and how the reference was recognised. */
  correctsArticleId: z.string().min(1),
  matchedBy: z.enum(['url', 'title-quoted', 'title-similar']),
});
export type Correction = z.infer<typeof Correction>;

export const Case = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  agencyId: z.string().min(1),
  province: z.string().nullable(),
  storyId: z.string().min(1),
  title: z.string().nullable(),
  state: StateCode,
  stateLabel: z.string(),
  assignee: z.string().nullable(),
  flagIds: z.array(z.string()),
  flagKinds: z.array(z.string()),
  ruleIds: z.array(z.string()),
  flags: z.array(CaseFlag),
  articleIds: z.array(z.string()),
  articles: z.array(ArticleRef),
  /** 1 = highest: the best priority among the flags. */
  priority: z.number().int().min(1).max(3),
  /** The agency's deadline: the earliest flag deadline (null when no flag has a fixed time limit). */
  deadline: IsoDateTime.nullable(),
  /** The outlet's legal deadline to publish the correction, set when the request is sent. */
  outletDeadline: IsoDateTime.nullable(),
  regime: z.string().nullable(),
  closedReason: z.string().nullable(),
  notes: z.array(Note),
  history: z.array(HistoryEntry),
  letters: z.array(LetterRecord),
  evidence: z.array(EvidenceEntry),
  correction: Correction.nullable(),
  /** First statement to the press (moved to da-phat-ngon), for the NĐ 244 "on time" metric. */
  respondedAt: IsoDateTime.nullable(),
  requestSentAt: IsoDateTime.nullable(),
  /** Set by the overdue sweep when the outlet's deadline passed without a correction. */
  outletOverdueAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Case = z.infer<typeof Case>;

/** Deterministic: the same agency and story always map to the same case, so opening is idempotent. */
export function caseId(agencyId: string, storyId: string): string {
  return compositeId(agencyId, storyId);
}

/** A flag as the ingest path hands it to the case workflow: the flag plus its story and article. */
export const FlagForCase = Flag.extend({
  /** Null when the article joined no story: the article itself then stands for the story. */
  storyId: z.string().nullable(),
  province: z.string().nullable().optional(),
  article: ArticleRef.optional(),
});
export type FlagForCase = z.input<typeof FlagForCase>;

export type Clock = () => Date;
