/**
 * Vietnamese lunar calendar (âm lịch) ⇄ Gregorian calendar.
 *
 * The well-known astronomical algorithm published by Hồ Ngọc Đức ("Thuật toán tính âm lịch"), itself
 * following Jean Meeus, "Astronomical Algorithms" (1998): a lunar month starts on the day (in local time)
 * of an astronomical new moon; month 11 is the month that contains the winter solstice; a year with 13
 * months has a leap month, the first month after month 11 that contains no major solar term (trung khí).
 * Everything is computed for the meridian of UTC+7, the Vietnamese standard time since 1968 — which is
 * why Vietnam's Tết sometimes differs from China's (UTC+8): 17/02/2007 vs 18/02/2007, and 21/01/1985 vs
 * 20/02/1985.
 *
 * Accurate for 1800–2199 within the limits of the truncated series (about ±2 minutes for the new moon),
 * which matters only when a new moon falls within minutes of local midnight.
 */

/** Vietnamese standard time, hours east of UTC. */
export const VIETNAM_TZ_HOURS = 7;

export interface SolarDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

export interface LunarDate {
  year: number; // the lunar year, named after the Gregorian year in which it mostly falls
  month: number; // 1–12
  day: number; // 1–30
  leap: boolean; // tháng nhuận
}

/** Julian day number of a Gregorian (from 15/10/1582) or Julian calendar date. */
export function jdFromDate(day: number, month: number, year: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  let jd =
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045;
  if (jd < 2299161) jd = day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - 32083;
  return jd;
}

/** Inverse of {@link jdFromDate}. */
export function jdToDate(jd: number): SolarDate {
  let b: number;
  let c: number;
  if (jd > 2299160) {
    const a = jd + 32044;
    b = Math.floor((4 * a + 3) / 146097);
    c = a - Math.floor((b * 146097) / 4);
  } else {
    b = 0;
    c = jd + 32082;
  }
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  const year = b * 100 + d - 4800 + Math.floor(m / 10);
  return { year, month, day };
}

const DR = Math.PI / 180;

/** Julian date (UTC, fractional) of the k-th new moon after the one of 1900-01-01 13:52 UTC. */
function newMoon(k: number): number {
  const T = k / 1236.85; // Julian centuries from 1900-01-00 12:00
  const T2 = T * T;
  const T3 = T2 * T;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * DR);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3; // Sun's mean anomaly
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3; // Moon's mean anomaly
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3; // Moon's argument of latitude
  let C1 = (0.1734 - 0.000393 * T) * Math.sin(M * DR) + 0.0021 * Math.sin(2 * DR * M);
  C1 = C1 - 0.4068 * Math.sin(Mpr * DR) + 0.0161 * Math.sin(DR * 2 * Mpr);
  C1 = C1 - 0.0004 * Math.sin(DR * 3 * Mpr);
  C1 = C1 + 0.0104 * Math.sin(DR * 2 * F) - 0.0051 * Math.sin(DR * (M + Mpr));
  C1 = C1 - 0.0074 * Math.sin(DR * (M - Mpr)) + 0.0004 * Math.sin(DR * (2 * F + M));
  C1 = C1 - 0.0004 * Math.sin(DR * (2 * F - M)) - 0.0006 * Math.sin(DR * (2 * F + Mpr));
  C1 = C1 + 0.001 * Math.sin(DR * (2 * F - Mpr)) + 0.0005 * Math.sin(DR * (2 * Mpr + M));
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + C1 - deltaT;
}

/** Apparent longitude of the Sun in radians, [0, 2π), at Julian date `jdn` (UTC). */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525; // Julian centuries from J2000.0
  const T2 = T * T;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(DR * M);
  DL += (0.019993 - 0.000101 * T) * Math.sin(DR * 2 * M) + 0.00029 * Math.sin(DR * 3 * M);
  let L = (L0 + DL) * DR;
  L -= Math.PI * 2 * Math.floor(L / (Math.PI * 2));
  return L;
}

/** Local day number of the k-th new moon. */
function newMoonDay(k: number, tz: number): number {
  return Math.floor(newMoon(k) + 0.5 + tz / 24);
}

/** Sector 0–11 of the Sun's longitude at the start (local midnight) of a local day: 30° per major term. */
function sunLongitudeSector(dayNumber: number, tz: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - tz / 24) / Math.PI) * 6);
}

/** Day number of the start of lunar month 11 of the lunar year ending in Gregorian year `year`. */
function lunarMonth11(year: number, tz: number): number {
  const off = jdFromDate(31, 12, year) - 2415021;
  const k = Math.floor(off / 29.530588853);
  let nm = newMoonDay(k, tz);
  if (sunLongitudeSector(nm, tz) >= 9) nm = newMoonDay(k - 1, tz);
  return nm;
}

/** Offset (in months after month 11 starting at a11) of the leap month of a 13-month year. */
function leapMonthOffset(a11: number, tz: number): number {
  const k = Math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
  let i = 1;
  let arc = sunLongitudeSector(newMoonDay(k + i, tz), tz);
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunLongitudeSector(newMoonDay(k + i, tz), tz);
  } while (arc !== last && i < 14);
  return i - 1;
}

/** Gregorian date → Vietnamese lunar date. */
export function solarToLunar(date: SolarDate, tz: number = VIETNAM_TZ_HOURS): LunarDate {
  const dayNumber = jdFromDate(date.day, date.month, date.year);
  const k = Math.floor((dayNumber - 2415021.076998695) / 29.530588853);
  let monthStart = newMoonDay(k + 1, tz);
  if (monthStart > dayNumber) monthStart = newMoonDay(k, tz);
  let a11 = lunarMonth11(date.year, tz);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = date.year;
    a11 = lunarMonth11(date.year - 1, tz);
  } else {
    lunarYear = date.year + 1;
    b11 = lunarMonth11(date.year + 1, tz);
  }
  const day = dayNumber - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, tz);
    if (diff >= leapDiff) {
      month = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) lunarYear -= 1;
  return { year: lunarYear, month, day, leap };
}

/**
 * Vietnamese lunar date → Gregorian date. Returns null for a leap month that the year does not have
 * (e.g. "tháng 3 nhuận" in a year whose leap month is the 2nd) or a day the month does not have
 * (the 30th of a 29-day month).
 */
export function lunarToSolar(lunar: LunarDate, tz: number = VIETNAM_TZ_HOURS): SolarDate | null {
  const { year, month, day, leap } = lunar;
  if (month < 1 || month > 12 || day < 1 || day > 30) return null;
  let a11: number;
  let b11: number;
  if (month < 11) {
    a11 = lunarMonth11(year - 1, tz);
    b11 = lunarMonth11(year, tz);
  } else {
    a11 = lunarMonth11(year, tz);
    b11 = lunarMonth11(year + 1, tz);
  }
  const k = Math.floor(0.5 + (a11 - 2415021.076998695) / 29.530588853);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return null;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return null;
  }
  const monthStart = newMoonDay(k + off, tz);
  const nextMonthStart = newMoonDay(k + off + 1, tz);
  if (monthStart + day - 1 >= nextMonthStart) return null;
  return jdToDate(monthStart + day - 1);
}

/** The leap month (1–12) of lunar year `year`, or null when the year has 12 months. */
export function leapMonthOf(year: number, tz: number = VIETNAM_TZ_HOURS): number | null {
  // Months 1–10 of lunar year `year` lie between month 11 of year-1 and month 11 of year;
  // months 11–12 lie between month 11 of year and month 11 of year+1.
  const intervals: Array<[number, number, (m: number) => boolean]> = [
    [lunarMonth11(year - 1, tz), lunarMonth11(year, tz), (m) => m <= 10],
    [lunarMonth11(year, tz), lunarMonth11(year + 1, tz), (m) => m >= 11],
  ];
  for (const [a11, b11, inYear] of intervals) {
    if (b11 - a11 <= 365) continue;
    let leapMonth = leapMonthOffset(a11, tz) - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (inYear(leapMonth)) return leapMonth;
  }
  return null;
}

/** Vietnamese label of a lunar date, e.g. "mùng 1 tháng Giêng", "29 tháng Chạp", "10 tháng 3". */
export function lunarLabel(l: LunarDate): string {
  const day = l.day <= 10 ? `mùng ${l.day}` : String(l.day);
  const month = l.month === 1 ? 'Giêng' : l.month === 12 ? 'Chạp' : String(l.month);
  return `${day} tháng ${month}${l.leap ? ' nhuận' : ''}`;
}
