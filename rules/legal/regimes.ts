/**
 * Legal regimes (rules/legal/regimes.yaml): pick the one in force on an article's date, and turn a
 * regime's deadline parameter into a concrete deadline.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import type { WorkCalendar } from '../calendar/calendar.ts';
import {
  addCalendarDays,
  addHours,
  addWorkingDays,
  formatIso,
  localDate,
  toVietnamTime,
  VIETNAM_ZONE,
} from '../calendar/deadlines.ts';
import type { DateInput } from '../calendar/deadlines.ts';
import { loadYamlFile, parseYamlText } from '../../lib/yaml-file.ts';
import { RegimesFile } from './schema.ts';
import type { CorrectionChannel, DeadlineParam, Regime } from './schema.ts';

export type { Regime, DeadlineParam, CorrectionChannel } from './schema.ts';

export const DEFAULT_REGIMES_FILE = join(dirname(fileURLToPath(import.meta.url)), 'regimes.yaml');

export interface Regimes {
  readonly list: readonly Regime[];
  readonly computation: RegimesFile['computation'];
  byId(id: string): Regime | undefined;
}

export function buildRegimes(data: RegimesFile): Regimes {
  const map = new Map(data.regimes.map((r) => [r.id, r]));
  return { list: data.regimes, computation: data.computation, byId: (id) => map.get(id) };
}

export function loadRegimes(file: string = DEFAULT_REGIMES_FILE): Regimes {
  return buildRegimes(loadYamlFile(file, RegimesFile).data);
}

export function parseRegimes(file: string, text: string): Regimes {
  return buildRegimes(parseYamlText(file, text, RegimesFile).data);
}

/**
 * The regime in force on the (Vietnam-local) date of `publishedAt`, or null before the first one.
 * 2026-06-30T23:59:59+07:00 is still the 2016 law; 2026-06-30T17:00:00Z is 00:00 on 01/07 in Vietnam: the 2025 law.
 */
export function regimeFor(publishedAt: DateInput, regimes: Regimes): Regime | null {
  const day = localDate(publishedAt);
  for (const r of regimes.list) {
    if (day >= r.effectiveFrom && (r.effectiveTo === null || day <= r.effectiveTo)) return r;
  }
  return null;
}

type Timed = Pick<DeadlineParam, 'unit' | 'value' | 'date'>;

/** The period in Vietnamese: "24 giờ", "30 ngày", "15 ngày làm việc", "ngay", "kịp thời"… */
export function durationText(p: Timed): string {
  switch (p.unit) {
    case 'hours':
      return `${p.value} giờ`;
    case 'calendar_days':
      return `${String(p.value).padStart(2, '0')} ngày`;
    case 'working_days':
      return `${String(p.value).padStart(2, '0')} ngày làm việc`;
    case 'immediately':
      return 'ngay';
    case 'promptly':
      return 'kịp thời (pháp luật không quy định số giờ cụ thể)';
    case 'none':
      return 'pháp luật không quy định thời hạn';
    case 'next_issue':
      return 'số phát hành kế tiếp';
    case 'per_other_law':
      return 'theo thời hạn của pháp luật chuyên ngành';
    case 'annual_date': {
      const [m, d] = p.date!.split('-');
      return `hằng năm, chậm nhất ngày ${d}/${m}`;
    }
  }
}

/**
 * The deadline for a parameter counted from `from`, as ISO +07:00, or null when the law sets none
 * (promptly, none, next issue, another law).
 */
export function computeDeadline(
  p: Timed,
  from: DateInput,
  calendar: WorkCalendar,
  computation: Regimes['computation'],
): string | null {
  const opts = { endOfDay: computation.endOfDay, rollForward: computation.rollForwardCalendarDays };
  switch (p.unit) {
    case 'hours':
      return addHours(from, p.value!);
    case 'calendar_days':
      return addCalendarDays(from, p.value!, calendar, opts);
    case 'working_days':
      return addWorkingDays(from, p.value!, calendar, opts);
    case 'immediately':
      return formatIso(toVietnamTime(from));
    case 'annual_date': {
      const start = toVietnamTime(from);
      const [m, d] = p.date!.split('-').map(Number) as [number, number];
      const [hh, mm, ss] = computation.endOfDay.split(':').map(Number) as [number, number, number];
      let due = DateTime.fromObject(
        { year: start.year, month: m, day: d, hour: hh, minute: mm, second: ss },
        { zone: VIETNAM_ZONE },
      );
      if (due < start) due = due.plus({ years: 1 });
      return formatIso(due);
    }
    case 'promptly':
    case 'none':
    case 'next_issue':
    case 'per_other_law':
      return null;
  }
}

export interface ChannelDeadline {
  channel: string;
  label: string;
  deadline: string | null;
  text: string;
  keepOnlineDays: number | null;
  citation: string;
  confidence: CorrectionChannel['confidence'];
}

/**
 * When an outlet of `outletKind` must publish a correction or reply received at `receivedAt`, per channel
 * (an outlet kind not in the regime's table gives an empty list).
 */
export function outletCorrectionDeadlines(
  regime: Regime,
  outletKind: string,
  receivedAt: DateInput,
  calendar: WorkCalendar,
  computation: Regimes['computation'],
): ChannelDeadline[] {
  const channels = regime.outletCorrection.kinds[outletKind] ?? [];
  return channels.map((id) => {
    const c = regime.outletCorrection.channels[id]!;
    return {
      channel: id,
      label: c.label,
      deadline: computeDeadline(c, receivedAt, calendar, computation),
      text: durationText(c),
      keepOnlineDays: c.keepOnlineDays ?? null,
      citation: c.citation,
      confidence: c.confidence,
    };
  });
}
