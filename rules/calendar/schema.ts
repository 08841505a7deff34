/** zod schema of rules/calendar/holidays.yaml (see the comments at the top of that file). */
import { z } from 'zod';

export const Confidence = z.enum(['H', 'M', 'L']);
export type Confidence = z.infer<typeof Confidence>;

/** A calendar date `YYYY-MM-DD` that exists. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const dt = new Date(Date.UTC(y, m - 1, d));
    return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
  }, 'no such date');

/** `MM-DD`, solar or lunar. */
export const MonthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30|31)$/, 'expected MM-DD');

const Side = z.enum(['before', 'after']);

export const StatutoryHoliday = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    /** Gregorian month-day. */
    solar: MonthDay.optional(),
    /** Vietnamese lunar month-day (non-leap month). */
    lunar: MonthDay.optional(),
    /**
     * fixed: the day itself (compensated on the next working day when it falls on a weekend);
     * tet-weekdays: `days` consecutive working days ending on the last weekday not later than lunar day
     *   `endBy` of month 1 (the pattern of every Prime Minister's Tết decision 2016–2026);
     * adjacent-day: the day before or after holiday `adjacentTo`, chosen by the weekday of that holiday.
     */
    policy: z.enum(['fixed', 'tet-weekdays', 'adjacent-day']).default('fixed'),
    days: z.number().int().positive().optional(),
    endBy: z.number().int().min(1).max(10).optional(),
    adjacentTo: z.string().optional(),
    adjacentChoice: z
      .strictObject({ mon: Side, tue: Side, wed: Side, thu: Side, fri: Side, sat: Side, sun: Side })
      .optional(),
    fromYear: z.number().int(),
    toYear: z.number().int().nullable().default(null),
    /** Years after this one are estimates until the government's decision for that year is entered. */
    estimatedAfter: z.number().int().nullable().default(null),
    basis: z.string().min(1),
    confidence: Confidence,
  })
  .superRefine((h, ctx) => {
    if (h.policy === 'tet-weekdays') {
      if (!h.lunar)
        ctx.addIssue({ code: 'custom', path: ['lunar'], message: 'tet-weekdays needs a lunar date' });
      if (!h.days) ctx.addIssue({ code: 'custom', path: ['days'], message: 'tet-weekdays needs days' });
      if (!h.endBy) ctx.addIssue({ code: 'custom', path: ['endBy'], message: 'tet-weekdays needs endBy' });
    } else if (h.policy === 'adjacent-day') {
      if (!h.adjacentTo || !h.adjacentChoice)
        ctx.addIssue({
          code: 'custom',
          path: ['policy'],
          message: 'adjacent-day needs adjacentTo and adjacentChoice',
        });
    } else if (!!h.solar === !!h.lunar) {
      ctx.addIssue({ code: 'custom', path: ['solar'], message: 'give exactly one of solar or lunar' });
    }
  });
export type StatutoryHoliday = z.infer<typeof StatutoryHoliday>;

/** A government decision for civil servants: swapped days (hoán đổi), extra days off, cancelled days. */
export const Decision = z
  .strictObject({
    id: z.string().min(1),
    title: z.string().min(1),
    /** Extra non-working days (e.g. the weekday swapped out). */
    off: z.array(IsoDate).default([]),
    /** Weekend days made working days (làm bù). */
    work: z.array(IsoDate).default([]),
    /** Generated days that are in fact working days (when a decision differs from the generated estimate). */
    cancel: z.array(IsoDate).default([]),
    appliesTo: z.string().default('cán bộ, công chức, viên chức (nghỉ hằng tuần thứ Bảy, Chủ nhật)'),
    source: z.string().min(1),
    confidence: Confidence,
  })
  .refine(
    (d) => d.off.length + d.work.length + d.cancel.length > 0,
    'a decision must change at least one day',
  );
export type Decision = z.infer<typeof Decision>;

export const GeneratedDay = z.strictObject({
  date: IsoDate,
  kind: z.enum(['holiday', 'tet', 'compensatory']),
  holiday: z.string(),
  name: z.string(),
  estimated: z.boolean().default(false),
});
export type GeneratedDay = z.infer<typeof GeneratedDay>;

export const GeneratedYear = z.strictObject({
  year: z.number().int(),
  lunarNewYear: IsoDate,
  days: z.array(GeneratedDay),
});
export type GeneratedYear = z.infer<typeof GeneratedYear>;

export const HolidaysFile = z.strictObject({
  version: z.literal(1),
  timeZone: z.string(),
  /** ISO weekdays that are weekly rest days (6 = Saturday, 7 = Sunday). */
  weekend: z.array(z.number().int().min(1).max(7)).min(1),
  weekendBasis: z.string(),
  compensation: z.strictObject({
    rule: z.literal('next-working-day'),
    basis: z.string(),
    confidence: Confidence,
  }),
  statutory: z.array(StatutoryHoliday).min(1),
  decisions: z.array(Decision).default([]),
  /** Announced but not yet in force: listed for the record, never applied. */
  pending: z
    .array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        note: z.string(),
        source: z.string(),
        confidence: Confidence,
      }),
    )
    .default([]),
  generated: z
    .strictObject({
      command: z.string(),
      from: z.number().int(),
      to: z.number().int(),
      years: z.array(GeneratedYear),
    })
    .nullable()
    .default(null),
});
export type HolidaysFile = z.infer<typeof HolidaysFile>;
