/** Plain calendar-date helpers on `YYYY-MM-DD` strings (no time, no zone), via Julian day numbers. */
import { jdFromDate, jdToDate } from './lunar.ts';
import type { SolarDate } from './lunar.ts';

export function toJd(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return jdFromDate(d, m, y);
}

export function fromJd(jd: number): string {
  return formatSolar(jdToDate(jd));
}

export function formatSolar(s: SolarDate): string {
  return `${String(s.year).padStart(4, '0')}-${String(s.month).padStart(2, '0')}-${String(s.day).padStart(2, '0')}`;
}

export function parseSolar(date: string): SolarDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function addDays(date: string, n: number): string {
  return fromJd(toJd(date) + n);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return (toJd(date) % 7) + 1;
}

/** "dd/MM/yyyy", the Vietnamese way of writing a date. */
export function viDate(date: string): string {
  const { year, month, day } = parseSolar(date);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}
