/** zod schema of rules/legal/regimes.yaml. */
import { z } from 'zod';
import { Confidence, IsoDate, MonthDay } from '../calendar/schema.ts';

export const DeadlineUnit = z.enum([
  'hours', // exact hours from the trigger
  'calendar_days', // ngày (BLDS counting)
  'working_days', // ngày làm việc
  'immediately', // ngay
  'promptly', // kịp thời: a duty to act without a fixed number of hours
  'none', // no time limit set by law
  'next_issue', // số báo / kỳ phát hành kế tiếp
  'per_other_law', // governed by another law (e.g. complaints and denunciations)
  'annual_date', // a yearly calendar date (`date`: MM-DD, inclusive)
]);
export type DeadlineUnit = z.infer<typeof DeadlineUnit>;

const NEEDS_VALUE: ReadonlySet<DeadlineUnit> = new Set(['hours', 'calendar_days', 'working_days']);

const deadlineFields = {
  unit: DeadlineUnit,
  value: z.number().positive().optional(),
  date: MonthDay.optional(),
  citation: z.string().min(1),
  confidence: Confidence,
  note: z.string().optional(),
};

function checkValue(
  p: { unit: DeadlineUnit; value?: number | undefined; date?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (NEEDS_VALUE.has(p.unit) && p.value === undefined)
    ctx.addIssue({ code: 'custom', path: ['value'], message: `unit ${p.unit} needs a value` });
  if (!NEEDS_VALUE.has(p.unit) && p.value !== undefined)
    ctx.addIssue({ code: 'custom', path: ['value'], message: `unit ${p.unit} takes no value` });
  if (
    (p.unit === 'working_days' || p.unit === 'calendar_days') &&
    p.value !== undefined &&
    !Number.isInteger(p.value)
  )
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'days must be a whole number' });
  if (p.unit === 'annual_date' && !p.date)
    ctx.addIssue({ code: 'custom', path: ['date'], message: 'annual_date needs date: MM-DD' });
}

/** One deadline of one regime. The same parameter id exists in every regime so rules follow the date. */
export const DeadlineParam = z
  .strictObject({
    label: z.string().min(1),
    actor: z.string().min(1),
    startsFrom: z.string().min(1),
    ...deadlineFields,
  })
  .superRefine(checkValue);
export type DeadlineParam = z.infer<typeof DeadlineParam>;

export const CorrectionChannel = z
  .strictObject({
    label: z.string().min(1),
    ...deadlineFields,
    /** Minimum days a correction stays online (e-press); null when the text is not known. */
    keepOnlineDays: z.number().int().nonnegative().nullable().optional(),
  })
  .superRefine(checkValue);
export type CorrectionChannel = z.infer<typeof CorrectionChannel>;

export const LegalBasis = z.strictObject({
  id: z.string().min(1),
  short: z.string().min(1),
  /** Full citation as written in an administrative letter ("Căn cứ …"). */
  text: z.string().min(1),
  effectiveFrom: IsoDate.nullable(),
  confidence: Confidence,
  note: z.string().optional(),
});
export type LegalBasis = z.infer<typeof LegalBasis>;

export const Regime = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  effectiveFrom: IsoDate,
  effectiveTo: IsoDate.nullable(),
  legalBases: z.array(LegalBasis).min(1),
  parameters: z.record(z.string().regex(/^[a-z0-9-]+$/), DeadlineParam),
  outletCorrection: z.strictObject({
    startsFrom: z.string().min(1),
    channels: z.record(z.string(), CorrectionChannel),
    /** Outlet kind (as in the source registry) → the channels whose timetable applies. */
    kinds: z.record(z.string(), z.array(z.string())),
  }),
});
export type Regime = z.infer<typeof Regime>;

export const RegimesFile = z
  .strictObject({
    version: z.literal(1),
    timeZone: z.literal('Asia/Ho_Chi_Minh'),
    computation: z.strictObject({
      excludeStartDay: z.literal(true),
      endOfDay: z.string().regex(/^\d{2}:\d{2}:\d{2}$/),
      rollForwardCalendarDays: z.boolean(),
      basis: z.string().min(1),
      confidence: Confidence,
    }),
    regimes: z.array(Regime).min(1),
  })
  .superRefine((f, ctx) => {
    const first = f.regimes[0]!;
    const ids = Object.keys(first.parameters).sort();
    f.regimes.forEach((r, i) => {
      const mine = Object.keys(r.parameters);
      for (const id of ids)
        if (!mine.includes(id))
          ctx.addIssue({
            code: 'custom',
            path: ['regimes', i, 'parameters'],
            message: `missing parameter ${id} (defined in ${first.id})`,
          });
      for (const id of mine)
        if (!ids.includes(id))
          ctx.addIssue({
            code: 'custom',
            path: ['regimes', i, 'parameters', id],
            message: `parameter ${id} is not in ${first.id}`,
          });
      for (const [kind, chans] of Object.entries(r.outletCorrection.kinds))
        chans.forEach((c, j) => {
          if (!(c in r.outletCorrection.channels))
            ctx.addIssue({
              code: 'custom',
              path: ['regimes', i, 'outletCorrection', 'kinds', kind, j],
              message: `unknown channel ${c}`,
            });
        });
      if (r.effectiveTo !== null && r.effectiveTo < r.effectiveFrom)
        ctx.addIssue({
          code: 'custom',
          path: ['regimes', i, 'effectiveTo'],
          message: 'effectiveTo before effectiveFrom',
        });
      const next = f.regimes[i + 1];
      if (next && (r.effectiveTo === null || r.effectiveTo >= next.effectiveFrom))
        ctx.addIssue({
          code: 'custom',
          path: ['regimes', i + 1, 'effectiveFrom'],
          message: `overlaps ${r.id}; list regimes in date order without overlap`,
        });
    });
  });
export type RegimesFile = z.infer<typeof RegimesFile>;
