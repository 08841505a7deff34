import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLIDAYS_FILE, regenerate } from '../../../rules/calendar/generate-holidays.ts';
import { calendar } from './helpers.ts';

/** Every date from `from` to `to` inclusive that is NOT a working day. */
function daysOff(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (!calendar.isWorkingDay(d)) out.push(d);
  }
  return out;
}

const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

describe('holidays.yaml is reproducible', () => {
  it('the generated section equals what the generator writes for 2016–2035', () => {
    const text = readFileSync(DEFAULT_HOLIDAYS_FILE, 'utf8');
    expect(regenerate(DEFAULT_HOLIDAYS_FILE, text, 2016, 2035)).toBe(text);
  });

  it('keeps the hand-written part byte for byte', () => {
    const text = readFileSync(DEFAULT_HOLIDAYS_FILE, 'utf8');
    const head = text.slice(0, text.indexOf('\ngenerated:'));
    expect(regenerate(DEFAULT_HOLIDAYS_FILE, text, 2020, 2021).startsWith(head)).toBe(true);
  });
});

describe('Tết Nguyên đán: the civil servants’ breaks the Prime Minister decided', () => {
  // Each break runs from a Saturday to a Sunday or a weekday; all its days are non-working, and the days
  // around it are working days.
  it.each([
    ['2019', '2019-02-02', '2019-02-10'],
    ['2020', '2020-01-23', '2020-01-29'],
    ['2023', '2023-01-20', '2023-01-26'],
    ['2024', '2024-02-08', '2024-02-14'],
    ['2025', '2025-01-25', '2025-02-02'],
    ['2026', '2026-02-14', '2026-02-22'],
  ])('Tết %s: off %s → %s', (_y, from, to) => {
    const before = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const after = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(daysOff(from, to)).toEqual(range(from, to));
    // the day before a Saturday start is a Friday at work; the day after is a working day
    if (new Date(`${from}T00:00:00Z`).getUTCDay() !== 6) expect(calendar.isWorkingDay(before)).toBe(true);
    expect(calendar.isWorkingDay(after)).toBe(true);
  });

  it('names the days with their lunar date', () => {
    expect(calendar.dayInfo('2024-02-12').reasons).toEqual(['Tết Nguyên đán (mùng 3 tháng Giêng)']);
    expect(calendar.dayInfo('2025-01-28').reasons).toEqual(['Tết Nguyên đán (29 tháng Chạp)']);
  });
});

describe('nghỉ bù and hoán đổi', () => {
  it('2022: 30/4 (Sat) and 1/5 (Sun) are compensated on Mon 2/5 and Tue 3/5', () => {
    expect(daysOff('2022-04-29', '2022-05-04')).toEqual([
      '2022-04-30',
      '2022-05-01',
      '2022-05-02',
      '2022-05-03',
    ]);
  });

  it('2023: Giỗ Tổ on Sat 29/4 and 30/4 on Sunday give a 29/4–3/5 break', () => {
    expect(daysOff('2023-04-28', '2023-05-04')).toEqual(range('2023-04-29', '2023-05-03'));
    expect(calendar.dayInfo('2023-05-02').reasons[0]).toContain('Nghỉ bù Giỗ Tổ Hùng Vương 29/04/2023');
  });

  it('2023: Quốc khánh on Saturday with 1/9 → off Fri 1/9 to Mon 4/9', () => {
    expect(daysOff('2023-08-31', '2023-09-05')).toEqual(range('2023-09-01', '2023-09-04'));
  });

  it('2026: Giỗ Tổ on Sunday 26/4 is compensated on Monday 27/4', () => {
    expect(calendar.isWorkingDay('2026-04-27')).toBe(false);
    expect(calendar.isWorkingDay('2026-04-28')).toBe(true);
  });

  it('2025 swap: Sat 26/4 is a working day, Fri 2/5 a day off', () => {
    expect(calendar.isWorkingDay('2025-04-26')).toBe(true);
    expect(calendar.dayInfo('2025-04-26').reasons[0]).toMatch(/^làm bù/);
    expect(daysOff('2025-04-29', '2025-05-05')).toEqual(range('2025-04-30', '2025-05-04'));
  });

  it('2024 swap: off Sat 27/4 to Wed 1/5, Sat 4/5 worked', () => {
    expect(daysOff('2024-04-26', '2024-05-05')).toEqual([...range('2024-04-27', '2024-05-01'), '2024-05-05']);
  });

  it('2019 swap across the year end: off 29/12/2018 to 1/1/2019, Sat 5/1/2019 worked', () => {
    expect(daysOff('2018-12-28', '2019-01-06')).toEqual([...range('2018-12-29', '2019-01-01'), '2019-01-06']);
  });

  it('Quốc khánh has two days from 2021 only (Labour Code 2019)', () => {
    expect(calendar.isWorkingDay('2020-09-03')).toBe(true); // 2/9/2020 Wednesday, one day
    expect(daysOff('2024-08-30', '2024-09-04')).toEqual(range('2024-08-31', '2024-09-03'));
  });

  it('marks estimates: the day next to Quốc khánh 2026 awaits a decision', () => {
    expect(calendar.dayInfo('2026-09-01').estimated).toBe(true);
    expect(calendar.dayInfo('2026-09-02').estimated).toBe(false);
  });

  it('ordinary weekdays and weekends', () => {
    expect(calendar.isWorkingDay('2026-11-18')).toBe(true); // Wednesday
    expect(calendar.dayInfo('2026-11-21')).toMatchObject({ working: false, reasons: ['thứ Bảy'] });
  });
});
