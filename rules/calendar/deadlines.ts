/**
 * Deadline arithmetic in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
 *
 * Counting follows the Civil Code's rules on time limits (Bộ luật Dân sự 2015, Arts. 147–148), which apply
 * where the press law sets a period without its own counting rule (the parameters are in
 * rules/legal/regimes.yaml → `computation`, so they can be changed without touching code):
 *
 * - hours: the period runs from the exact moment of the trigger (Art. 147.1) — `addHours`; weekends and
 *   holidays do not stop it (a spokesperson's 24 hours run through a Sunday).
 * - days: the day of the trigger is not counted; counting starts the next day (Art. 147.2), and the period
 *   ends at the end of its last day (Art. 148.1, 148.6: 24:00, written 23:59:59) — `addCalendarDays`.
 *   When a calendar is given and the last day is a weekly rest day or a holiday, the period ends at the
 *   end of the next working day (Art. 148.5).
 * - working days: the day of the trigger is not counted; each following working day (not a weekend day,
 *   not a holiday or compensatory day, and counting a Saturday made a working day by a swap) counts one;
 *   the period ends at the end of the n-th working day — `addWorkingDays`.
 *
 * Start on a non-working day or after office hours: because the trigger day itself is never counted, the
 * time of day does not matter — a letter received on Friday at 08:00, Friday at 22:00 or on Saturday all
 * start counting on the first working day after that date (normally the Monday). Office hours therefore
 * never shift a deadline; `endOfDay` can be set to an office closing time (e.g. "17:00:00") by an agency
 * that wants internal deadlines stricter than the law's.
 */
import { DateTime } from 'luxon';
import { addDays } from './dates.ts';
import type { WorkCalendar } from './calendar.ts';

export const VIETNAM_ZONE = 'Asia/Ho_Chi_Minh';

export type DateInput = string | Date | DateTime;

export interface CountingOptions {
  /** Local time at which a day-based period ends, "HH:mm:ss". Default 23:59:59 (BLDS 2015 Art. 148.6). */
  endOfDay?: string;
  /** Calendar-day periods ending on a non-working day move to the next working day (BLDS Art. 148.5). */
  rollForward?: boolean;
}

/** Parse any accepted input into a DateTime in Vietnam time; throws on an invalid or offset-less string. */
export function toVietnamTime(input: DateInput): DateTime {
  let dt: DateTime;
  if (DateTime.isDateTime(input)) dt = input;
  else if (input instanceof Date) dt = DateTime.fromJSDate(input);
  else {
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(input)) throw new Error(`date-time without offset: ${input}`);
    dt = DateTime.fromISO(input, { setZone: true });
  }
  if (!dt.isValid) throw new Error(`invalid date-time: ${String(input)} (${dt.invalidExplanation ?? ''})`);
  return dt.setZone(VIETNAM_ZONE);
}

/** ISO 8601 with the +07:00 offset and no milliseconds when they are zero. */
export function formatIso(dt: DateTime): string {
  return dt.setZone(VIETNAM_ZONE).toISO({ suppressMilliseconds: true })!;
}

/** The local calendar date (YYYY-MM-DD) of an instant, in Vietnam. */
export function localDate(input: DateInput): string {
  return toVietnamTime(input).toISODate()!;
}

function endOf(date: string, endOfDay = '23:59:59'): string {
  const dt = DateTime.fromISO(`${date}T${endOfDay}`, { zone: VIETNAM_ZONE });
  if (!dt.isValid) throw new Error(`bad endOfDay ${endOfDay}`);
  return formatIso(dt);
}

function nextWorkingDay(date: string, calendar: WorkCalendar): string {
  let d = date;
  for (let i = 0; !calendar.isWorkingDay(d); i++) {
    if (i > 60) throw new Error(`no working day within 60 days after ${date}`);
    d = addDays(d, 1);
  }
  return d;
}

export function addHours(from: DateInput, n: number): string {
  return formatIso(toVietnamTime(from).plus({ hours: n }));
}

export function addCalendarDays(
  from: DateInput,
  n: number,
  calendar?: WorkCalendar,
  opts: CountingOptions = {},
): string {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`calendar days must be a non-negative integer, got ${n}`);
  let last = addDays(localDate(from), n);
  if (calendar && opts.rollForward !== false) last = nextWorkingDay(last, calendar);
  return endOf(last, opts.endOfDay);
}

export function addWorkingDays(
  from: DateInput,
  n: number,
  calendar: WorkCalendar,
  opts: CountingOptions = {},
): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a non-negative integer, got ${n}`);
  let d = localDate(from);
  if (n === 0) return endOf(nextWorkingDay(d, calendar), opts.endOfDay);
  let counted = 0;
  for (let guard = 0; counted < n; guard++) {
    if (guard > n * 7 + 60) throw new Error(`could not count ${n} working days from ${d}`);
    d = addDays(d, 1);
    if (calendar.isWorkingDay(d)) counted++;
  }
  return endOf(d, opts.endOfDay);
}

/** True when `now` is strictly after the deadline; a null deadline (no fixed time limit) is never overdue. */
export function isOverdue(deadline: DateInput | null | undefined, now: DateInput): boolean {
  if (deadline === null || deadline === undefined) return false;
  return toVietnamTime(now).toMillis() > toVietnamTime(deadline).toMillis();
}

/** "08:30 ngày 15/02/2024", or "hết ngày 15/02/2024" at 23:59:59 — the way a Vietnamese letter writes a deadline. */
export function viDateTime(input: DateInput): string {
  const dt = toVietnamTime(input);
  if (dt.toFormat('HH:mm:ss') === '23:59:59') return `hết ngày ${dt.toFormat('dd/MM/yyyy')}`;
  return `${dt.toFormat('HH:mm')} ngày ${dt.toFormat('dd/MM/yyyy')}`;
}
