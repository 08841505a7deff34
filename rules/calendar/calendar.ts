/**
 * The working calendar read from holidays.yaml: which dates are working days for an administrative agency.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../../lib/log.ts';
import { loadYamlFile, parseYamlText } from '../../lib/yaml-file.ts';
import { isoWeekday } from './dates.ts';
import { weekdayVi } from './generate.ts';
import { HolidaysFile } from './schema.ts';

export const DEFAULT_HOLIDAYS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'holidays.yaml');

export interface DayInfo {
  date: string;
  working: boolean;
  /** Vietnamese reasons: "thứ Bảy", "Tết Nguyên đán (mùng 2 tháng Giêng)", "làm bù: …". */
  reasons: string[];
  /** The classification depends on a decision not yet known (see `estimated` in holidays.yaml). */
  estimated: boolean;
}

export interface WorkCalendar {
  readonly timeZone: string;
  /** Years with generated holiday data; outside them only weekends are days off. */
  readonly fromYear: number;
  readonly toYear: number;
  isWorkingDay(date: string): boolean;
  dayInfo(date: string): DayInfo;
}

export function buildCalendar(data: HolidaysFile, file = 'holidays.yaml'): WorkCalendar {
  if (!data.generated)
    throw new Error(`${file}: no generated section; run rules/calendar/generate-holidays.ts`);
  const off = new Map<string, { names: string[]; estimated: boolean }>();
  const work = new Map<string, string>();
  const cancelled = new Map<string, string>();
  for (const y of data.generated.years) {
    for (const d of y.days) {
      const e = off.get(d.date) ?? { names: [], estimated: false };
      e.names.push(d.name);
      e.estimated ||= d.estimated;
      off.set(d.date, e);
    }
  }
  for (const dec of data.decisions) {
    for (const d of dec.off) {
      const e = off.get(d) ?? { names: [], estimated: false };
      e.names.push(`nghỉ theo quyết định: ${dec.title}`);
      off.set(d, e);
    }
    for (const d of dec.work) work.set(d, `làm bù theo quyết định: ${dec.title}`);
    for (const d of dec.cancel) cancelled.set(d, `làm việc theo quyết định: ${dec.title}`);
  }
  const { from, to } = data.generated;
  const weekend = new Set(data.weekend);
  const warned = new Set<number>();

  const dayInfo = (date: string): DayInfo => {
    const year = Number(date.slice(0, 4));
    if ((year < from || year > to) && !warned.has(year)) {
      warned.add(year);
      log.warn({ year, from, to }, 'holiday data does not cover this year: only weekends are days off');
    }
    const w = work.get(date);
    if (w) return { date, working: true, reasons: [w], estimated: false };
    const c = cancelled.get(date);
    const o = off.get(date);
    if (o && !c) return { date, working: false, reasons: o.names, estimated: o.estimated };
    if (weekend.has(isoWeekday(date)))
      return { date, working: false, reasons: [weekdayVi(date)], estimated: false };
    return { date, working: true, reasons: c ? [c] : [], estimated: false };
  };

  return {
    timeZone: data.timeZone,
    fromYear: from,
    toYear: to,
    isWorkingDay: (date) => dayInfo(date).working,
    dayInfo,
  };
}

export function loadCalendar(file: string = DEFAULT_HOLIDAYS_FILE): WorkCalendar {
  const { data } = loadYamlFile(file, HolidaysFile);
  return buildCalendar(data, file);
}

export function parseCalendar(file: string, text: string): WorkCalendar {
  const { data } = parseYamlText(file, text, HolidaysFile);
  return buildCalendar(data, file);
}
