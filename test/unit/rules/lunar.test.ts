import { describe, expect, it } from 'vitest';
import { leapMonthOf, lunarLabel, lunarToSolar, solarToLunar } from '../../../rules/calendar/lunar.ts';

const solar = (year: number, month: number, day: number) => ({ year, month, day });

describe('lunarToSolar: Tết Nguyên đán (mùng 1 tháng Giêng)', () => {
  // Published Vietnamese calendars.
  it.each([
    [2016, solar(2016, 2, 8)],
    [2017, solar(2017, 1, 28)],
    [2018, solar(2018, 2, 16)],
    [2019, solar(2019, 2, 5)],
    [2020, solar(2020, 1, 25)],
    [2021, solar(2021, 2, 12)],
    [2022, solar(2022, 2, 1)],
    [2023, solar(2023, 1, 22)],
    [2024, solar(2024, 2, 10)],
    [2025, solar(2025, 1, 29)],
    [2026, solar(2026, 2, 17)],
    [2027, solar(2027, 2, 6)],
  ])('Tết %i', (year, expected) => {
    expect(lunarToSolar({ year, month: 1, day: 1, leap: false })).toEqual(expected);
  });

  it('uses UTC+7, not China time: Tết 2007 was 17/02 in Vietnam (18/02 in China)', () => {
    expect(lunarToSolar({ year: 2007, month: 1, day: 1, leap: false })).toEqual(solar(2007, 2, 17));
    expect(lunarToSolar({ year: 2007, month: 1, day: 1, leap: false }, 8)).toEqual(solar(2007, 2, 18));
  });

  it('1985: Vietnam celebrated Tết on 21/01, China on 20/02', () => {
    expect(lunarToSolar({ year: 1985, month: 1, day: 1, leap: false })).toEqual(solar(1985, 1, 21));
    expect(lunarToSolar({ year: 1985, month: 1, day: 1, leap: false }, 8)).toEqual(solar(1985, 2, 20));
  });
});

describe('Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)', () => {
  it.each([
    [2019, solar(2019, 4, 14)],
    [2020, solar(2020, 4, 2)], // year with a leap 4th month
    [2023, solar(2023, 4, 29)], // year with a leap 2nd month: the 3rd month comes after it
    [2024, solar(2024, 4, 18)],
    [2025, solar(2025, 4, 7)],
    [2026, solar(2026, 4, 26)],
  ])('%i', (year, expected) => {
    expect(lunarToSolar({ year, month: 3, day: 10, leap: false })).toEqual(expected);
  });
});

describe('leap months and round trips', () => {
  it('finds the leap months of 2020 (4), 2023 (2), 2025 (6), none in 2024', () => {
    expect(leapMonthOf(2020)).toBe(4);
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2024)).toBeNull();
  });

  it('converts a leap-month date and rejects a leap month the year lacks', () => {
    // 2023: tháng 2 nhuận began on 22/03/2023 (the regular 2nd month on 20/02/2023).
    expect(lunarToSolar({ year: 2023, month: 2, day: 1, leap: true })).toEqual(solar(2023, 3, 22));
    expect(lunarToSolar({ year: 2023, month: 2, day: 1, leap: false })).toEqual(solar(2023, 2, 20));
    expect(lunarToSolar({ year: 2024, month: 2, day: 1, leap: true })).toBeNull();
  });

  it('rejects the 30th of a 29-day month (tháng Chạp Giáp Thìn 2024 has 29 days)', () => {
    expect(lunarToSolar({ year: 2024, month: 12, day: 29, leap: false })).toEqual(solar(2025, 1, 28));
    expect(lunarToSolar({ year: 2024, month: 12, day: 30, leap: false })).toBeNull();
  });

  it('solarToLunar inverts lunarToSolar for every day of 2016–2035', () => {
    const start = Date.UTC(2016, 0, 1);
    for (let t = start; t < Date.UTC(2036, 0, 1); t += 86_400_000) {
      const d = new Date(t);
      const s = solar(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      const l = solarToLunar(s);
      expect(lunarToSolar(l)).toEqual(s);
    }
  });

  it('labels lunar dates in Vietnamese', () => {
    expect(lunarLabel(solarToLunar(solar(2024, 2, 9)))).toBe('30 tháng Chạp');
    expect(lunarLabel(solarToLunar(solar(2024, 2, 12)))).toBe('mùng 3 tháng Giêng');
    expect(lunarLabel({ year: 2023, month: 2, day: 15, leap: true })).toBe('15 tháng 2 nhuận');
  });
});
