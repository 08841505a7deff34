/**
 * zod schema of the rule files (rules/default/*.yaml).
 *
 * A file:
 *   scope:   (optional) a condition every rule of the file must also meet, e.g. "not a passing mention"
 *   rules:   a list of rules
 * A rule:
 *   id, title, enabled, when (a condition), then (the action), basis (legal grounding per regime)
 * A condition is an object with exactly one key:
 *   all: [conditions] | any: [conditions] | not: condition
 *   agency:      { id, type, level, province: [glob…], prominence: [primary|secondary|passing], confidenceMin }
 *   sensitivity: { level: […], levelMin, categories: [any of], categoriesAll: […], tone: [toward the agency], scoreMin }
 *   outlet:      { level: […], kind: […], id: [glob…], sameProvinceAsAgency: bool }
 *   story:       { outletsMin, articleCountMin }  (false when the article carries no story information)
 *   text:        { patterns: […], match: folded|exact, fields: [title|sapo|body] }
 *   published:   { from: YYYY-MM-DD, to: YYYY-MM-DD }  (local dates, inclusive)
 *   regime:      [regime ids]
 *   duplicate:   true|false  (the article republishes another one we have)
 * Globs accept `*` for any run of characters ("so-*").
 */
import { z } from 'zod';
import { CategoryCode } from '../../pipeline/sensitivity/schema.ts';
import { Confidence, IsoDate } from '../calendar/schema.ts';

export const FlagKind = z.enum(['needs_response', 'correction_review', 'escalate']);
export type FlagKind = z.infer<typeof FlagKind>;

const Level = z.enum(['normal', 'sensitive', 'hot']);
const ToneE = z.enum(['negative', 'neutral', 'positive']);
const Prominence = z.enum(['primary', 'secondary', 'passing']);
const FieldE = z.enum(['title', 'sapo', 'body']);
const Globs = z.array(z.string().min(1)).min(1);

const nonEmpty = <T extends object>(o: T) => Object.keys(o).length > 0;

export const AgencyCond = z
  .strictObject({
    id: Globs.optional(),
    type: Globs.optional(),
    level: Globs.optional(),
    province: Globs.optional(),
    prominence: z.array(Prominence).min(1).optional(),
    confidenceMin: z.number().min(0).max(1).optional(),
  })
  .refine(nonEmpty, 'agency condition is empty');
export type AgencyCond = z.infer<typeof AgencyCond>;

export const SensitivityCond = z
  .strictObject({
    level: z.array(Level).min(1).optional(),
    levelMin: Level.optional(),
    /** Category codes of the sensitivity stage (pipeline/sensitivity/schema.ts), so typos fail at load. */
    categories: z.array(CategoryCode).min(1).optional(),
    categoriesAll: z.array(CategoryCode).min(1).optional(),
    tone: z.array(ToneE).min(1).optional(),
    scoreMin: z.number().optional(),
  })
  .refine(nonEmpty, 'sensitivity condition is empty');
export type SensitivityCond = z.infer<typeof SensitivityCond>;

export const OutletCond = z
  .strictObject({
    level: Globs.optional(),
    kind: Globs.optional(),
    id: Globs.optional(),
    sameProvinceAsAgency: z.boolean().optional(),
  })
  .refine(nonEmpty, 'outlet condition is empty');
export type OutletCond = z.infer<typeof OutletCond>;

export const StoryCond = z
  .strictObject({
    outletsMin: z.number().int().positive().optional(),
    articleCountMin: z.number().int().positive().optional(),
  })
  .refine(nonEmpty, 'story condition is empty');
export type StoryCond = z.infer<typeof StoryCond>;

export const TextCond = z.strictObject({
  patterns: z.array(z.string().trim().min(1)).min(1),
  /** folded: case- and diacritic-insensitive; exact: diacritics must match (case and tone placement ignored). */
  match: z.enum(['folded', 'exact']).default('folded'),
  fields: z.array(FieldE).min(1).default(['title', 'sapo', 'body']),
});
export type TextCond = z.infer<typeof TextCond>;

export const PublishedCond = z
  .strictObject({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine(nonEmpty, 'published condition is empty');
export type PublishedCond = z.infer<typeof PublishedCond>;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { agency: AgencyCond }
  | { sensitivity: SensitivityCond }
  | { outlet: OutletCond }
  | { story: StoryCond }
  | { text: TextCond }
  | { published: PublishedCond }
  | { regime: string[] }
  | { duplicate: boolean };

const leafSchemas: Record<string, z.ZodType> = {
  agency: AgencyCond,
  sensitivity: SensitivityCond,
  outlet: OutletCond,
  story: StoryCond,
  text: TextCond,
  published: PublishedCond,
  regime: z.array(z.string().min(1)).min(1),
  duplicate: z.boolean(),
};
const CONDITION_KEYS = ['all', 'any', 'not', ...Object.keys(leafSchemas)];

/** A condition: dispatched on its single key so that errors say which key is wrong and where. */
export const Condition: z.ZodType<Condition> = z.unknown().transform((value, ctx): Condition => {
  const fail = (message: string, path: PropertyKey[] = []) => {
    ctx.addIssue({ code: 'custom', message, path });
    return z.NEVER;
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(`a condition must be an object with one of: ${CONDITION_KEYS.join(', ')}`);
  const keys = Object.keys(value);
  if (keys.length !== 1)
    return fail(
      `a condition must have exactly one key (${CONDITION_KEYS.join(', ')}), got ${keys.join(', ') || 'none'}`,
    );
  const key = keys[0]!;
  const inner = (value as Record<string, unknown>)[key];
  const forward = (err: z.ZodError, prefix: PropertyKey[]) => {
    for (const iss of err.issues) {
      const extra = iss.code === 'unrecognized_keys' ? `: ${iss.keys.join(', ')}` : '';
      ctx.addIssue({ code: 'custom', message: iss.message + extra, path: [...prefix, ...iss.path] });
    }
  };
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(inner) || inner.length === 0)
      return fail(`${key} needs a non-empty list of conditions`, [key]);
    const out: Condition[] = [];
    let ok = true;
    inner.forEach((c, i) => {
      const r = Condition.safeParse(c);
      if (r.success) out.push(r.data);
      else {
        ok = false;
        forward(r.error, [key, i]);
      }
    });
    if (!ok) return z.NEVER;
    return (key === 'all' ? { all: out } : { any: out }) as Condition;
  }
  if (key === 'not') {
    const r = Condition.safeParse(inner);
    if (!r.success) {
      forward(r.error, ['not']);
      return z.NEVER;
    }
    return { not: r.data };
  }
  const schema = leafSchemas[key];
  if (!schema)
    return fail(`unknown condition "${key}"; expected one of: ${CONDITION_KEYS.join(', ')}`, [key]);
  const r = schema.safeParse(inner);
  if (!r.success) {
    forward(r.error, [key]);
    return z.NEVER;
  }
  return { [key]: r.data } as Condition;
});

export const PRIORITY_NAMES = { high: 1, medium: 2, low: 3 } as const;
export const Priority = z
  .union([z.literal(1), z.literal(2), z.literal(3), z.enum(['high', 'medium', 'low'])], {
    error: 'priority is 1, 2, 3 or high, medium, low (1 = high)',
  })
  .transform((p) => (typeof p === 'number' ? p : PRIORITY_NAMES[p]));

/** Placeholders an explanation may use. */
export const TEMPLATE_VARS = [
  'agency', // agency name
  'article', // article title
  'outlet', // outlet name or id
  'level', // sensitivity level in Vietnamese
  'deadline', // "17:00 ngày 15/02/2024" or "không có hạn cố định"
  'period', // "24 giờ", "15 ngày làm việc", …
  'startsFrom', // what starts the clock, per law
  'citation', // the parameter's legal citation
  'regime', // regime name
] as const;

export const Explanation = z
  .string()
  .min(1)
  .superRefine((s, ctx) => {
    for (const m of s.matchAll(/\{([^{}]*)\}/g)) {
      if (!(TEMPLATE_VARS as readonly string[]).includes(m[1]!))
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder {${m[1]}}; allowed: ${TEMPLATE_VARS.join(', ')}`,
        });
    }
  });

export const DeadlineSpec = z.strictObject({
  /** Id of a parameter defined in every regime of rules/legal/regimes.yaml. */
  param: z.string().regex(/^[a-z0-9-]+$/),
  /** published: the article's publication time (default); detected: when the monitor fetched it. */
  from: z.enum(['published', 'detected']).default('published'),
});
export type DeadlineSpec = z.infer<typeof DeadlineSpec>;

export const Action = z.strictObject({
  kind: FlagKind,
  priority: Priority,
  deadline: DeadlineSpec.nullable().default(null),
  explanation: Explanation,
});
export type Action = z.infer<typeof Action>;

export const Basis = z.strictObject({
  /** Regime the citation belongs to; omit when it holds for every regime. */
  regime: z.string().optional(),
  citation: z.string().min(1),
  confidence: Confidence,
  note: z.string().optional(),
});

export const Rule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'rule ids are lower-case slugs'),
  title: z.string().min(1),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  when: Condition,
  then: Action,
  basis: z.array(Basis).min(1, 'every rule cites its legal or documentary basis'),
});
export type Rule = z.infer<typeof Rule>;

export const RuleFile = z.strictObject({
  scope: Condition.optional(),
  rules: z.array(Rule).min(1),
});
export type RuleFile = z.infer<typeof RuleFile>;

/** A rule as loaded: its file scope folded into `when`, and where it came from. */
export interface LoadedRule extends Omit<Rule, 'then'> {
  then: Omit<Action, 'priority'> & { priority: 1 | 2 | 3 };
  file: string;
  line: number;
}

export interface RuleSet {
  rules: LoadedRule[];
}
