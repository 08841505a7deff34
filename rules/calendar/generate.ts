/**
 * Turn the statutory holiday definitions of holidays.yaml into the solar dates of each year, including the
 * compensatory days (nghỉ bù) that the Labour Code grants when a holiday falls on a weekly rest day.
 * Pure and deterministic: the same definitions always give the same `generated:` section.
 */
import { addDays, formatSolar, isoWeekday, parseSolar, viDate } from './dates.ts';
import { lunarLabel, lunarToSolar, solarToLunar } from './lunar.ts';
import type { GeneratedDay, GeneratedYear, HolidaysFile, StatutoryHoliday } from './schema.ts';

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WEEKDAY_VI = ['thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'] as const;

export function weekdayVi(date: string): string {
  return WEEKDAY_VI[isoWeekday(date) - 1]!;
}

function lunarDate(year: number, monthDay: string): string {
  const [month, day] = monthDay.split('-').map(Number) as [number, number];
  const s = lunarToSolar({ year, month, day, leap: false });
  if (!s) throw new Error(`lunar ${monthDay}/${year} does not exist`);
  return formatSolar(s);
}

function lunarName(date: string): string {
  return lunarLabel(solarToLunar(parseSolar(date)));
}

export function generateYear(
  year: number,
  defs: ReadonlyArray<StatutoryHoliday>,
  weekend: ReadonlyArray<number>,
): GeneratedYear {
  const isWeekend = (d: string) => weekend.includes(isoWeekday(d));
  const taken = new Map<string, GeneratedDay>();
  const toCompensate: GeneratedDay[] = [];
  const baseDate = new Map<string, string>();

  const add = (day: GeneratedDay) => {
    if (taken.has(day.date)) {
      // Two holidays on one date: the second is owed a day, like a holiday on a rest day.
      toCompensate.push(day);
      return;
    }
    taken.set(day.date, day);
    if (day.kind === 'holiday' && isWeekend(day.date)) toCompensate.push(day);
  };

  const active = defs.filter((h) => h.fromYear <= year && (h.toYear === null || year <= h.toYear));
  for (const h of active) {
    const estimated = h.policy !== 'fixed' && h.estimatedAfter !== null && year > h.estimatedAfter;
    if (h.policy === 'fixed') {
      const date = h.solar ? `${year}-${h.solar}` : lunarDate(year, h.lunar!);
      baseDate.set(h.id, date);
      const name = h.lunar ? `${h.name} (${lunarName(date)} âm lịch)` : h.name;
      add({ date, kind: 'holiday', holiday: h.id, name, estimated });
    } else if (h.policy === 'tet-weekdays') {
      let end = lunarDate(year, `01-${String(h.endBy!).padStart(2, '0')}`);
      while (isWeekend(end)) end = addDays(end, -1);
      const picked: string[] = [];
      for (let d = end; picked.length < h.days!; d = addDays(d, -1)) if (!isWeekend(d)) picked.unshift(d);
      baseDate.set(h.id, lunarDate(year, h.lunar!));
      for (const date of picked)
        add({ date, kind: 'tet', holiday: h.id, name: `${h.name} (${lunarName(date)})`, estimated });
    } else {
      const base = baseDate.get(h.adjacentTo!);
      if (!base)
        throw new Error(`holiday ${h.id}: ${h.adjacentTo} must be listed before it and be active in ${year}`);
      const side = h.adjacentChoice![WEEKDAY_KEYS[isoWeekday(base) - 1]!];
      const date = addDays(base, side === 'before' ? -1 : 1);
      baseDate.set(h.id, date);
      add({ date, kind: 'holiday', holiday: h.id, name: h.name, estimated });
    }
  }

  const days = [...taken.values()];
  toCompensate.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const compensations = new Set<string>();
  for (const owed of toCompensate) {
    let d = addDays(owed.date, 1);
    while (isWeekend(d) || taken.has(d) || compensations.has(d)) d = addDays(d, 1);
    compensations.add(d);
    const why = isWeekend(owed.date) ? `trùng ${weekdayVi(owed.date)}` : 'trùng ngày lễ khác';
    days.push({
      date: d,
      kind: 'compensatory',
      holiday: owed.holiday,
      name: `Nghỉ bù ${owed.name.split(' (')[0]} ${viDate(owed.date)} (${why})`,
      estimated: owed.estimated,
    });
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { year, lunarNewYear: lunarDate(year, '01-01'), days };
}

export function generateYears(
  file: Pick<HolidaysFile, 'statutory' | 'weekend'>,
  from: number,
  to: number,
): GeneratedYear[] {
  const out: GeneratedYear[] = [];
  for (let y = from; y <= to; y++) out.push(generateYear(y, file.statutory, file.weekend));
  return out;
}

/** The YAML text of the `generated:` section (block style, single quotes: stable under Prettier). */
export function renderGenerated(command: string, from: number, to: number, years: GeneratedYear[]): string {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const lines: string[] = [
    'generated:',
    `  # Written by the command below from \`statutory\` and \`weekend\` above; do not edit by hand — change the`,
    '  # definitions or add a decision, then run the command again.',
    `  command: ${q(command)}`,
    `  from: ${from}`,
    `  to: ${to}`,
    '  years:',
  ];
  for (const y of years) {
    lines.push(`    - year: ${y.year}`, `      lunarNewYear: ${y.lunarNewYear}`, '      days:');
    for (const d of y.days) {
      lines.push(
        `        - date: ${d.date}`,
        `          kind: ${d.kind}`,
        `          holiday: ${d.holiday}`,
        `          name: ${q(d.name)}`,
      );
      if (d.estimated) lines.push('          estimated: true');
    }
  }
  return lines.join('\n') + '\n';
}
