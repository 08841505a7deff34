/**
 * The Flag record: one rule's verdict on one agency in one article. To move to model/records.ts later.
 */
import { compositeId } from '../../lib/ids.ts';
import { z } from 'zod';
import { IsoDateTime } from '../../model/records.ts';
import { FlagKind } from './schema.ts';

export { FlagKind };

export const Flag = z.object({
  /** sha256 hex of `articleId|agencyId|ruleId`: the same verdict always has the same id (idempotent upserts). */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  articleId: z.string().min(1),
  agencyId: z.string().min(1),
  ruleId: z.string().min(1),
  kind: FlagKind,
  /** 1 = highest. */
  priority: z.number().int().min(1).max(3),
  /** ISO 8601 with +07:00, or null when the law sets no fixed time limit. */
  deadline: IsoDateTime.nullable(),
  /** Regime id of the article's publication date; null before the first modelled regime. */
  regime: z.string().nullable(),
  /** Vietnamese: what the agency must do and why, the matched signals, the deadline and its legal basis. */
  reasons: z.array(z.string().min(1)).min(1),
  createdAt: IsoDateTime.optional(),
});
export type Flag = z.infer<typeof Flag>;

/** The `rules check` JSONL line. */
export const FlagLine = Flag.pick({
  articleId: true,
  agencyId: true,
  ruleId: true,
  kind: true,
  priority: true,
  deadline: true,
  regime: true,
  reasons: true,
});
export type FlagLine = z.infer<typeof FlagLine>;

export function flagId(articleId: string, agencyId: string, ruleId: string): string {
  return compositeId(articleId, agencyId, ruleId);
}

export function toFlagLine(f: Flag): FlagLine {
  return {
    articleId: f.articleId,
    agencyId: f.agencyId,
    ruleId: f.ruleId,
    kind: f.kind,
    priority: f.priority,
    deadline: f.deadline,
    regime: f.regime,
    reasons: f.reasons,
  };
}
