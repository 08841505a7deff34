import { describe, expect, it } from 'vitest';
import { DateTime, FixedOffsetZone } from 'luxon';
import { parseViDate, parseViDateDetailed } from '../../../crawlers/extract/dates-vi.ts';

const now = new Date('2026-11-23T10:00:00+07:00');

describe('parseViDate: absolute Vietnamese forms', () => {
  it.each([
    ['Thứ hai, 23/11/2026, 08:30 (GMT+7)', '2026-11-23T08:30:00+07:00'],
    ['Thứ Hai, ngày 23/11/2026 - 08:30', '2026-11-23T08:30:00+07:00'],
    ['23/11/2026 08:30', '2026-11-23T08:30:00+07:00'],
    ['23/11/2026 - 08:30', '2026-11-23T08:30:00+07:00'],
    ['08:30 ngày 23/11/2026', '2026-11-23T08:30:00+07:00'],
    ['08:30, 23/11/2026', '2026-11-23T08:30:00+07:00'],
    ['23-11-2026 - 08:30', '2026-11-23T08:30:00+07:00'],
    ['23/11/2026 08:30:15 GMT+7', '2026-11-23T08:30:15+07:00'],
    ['Cập nhật: 23/11/2026 08:30', '2026-11-23T08:30:00+07:00'],
    ['Chủ nhật, 22/11/2026 17:45 (GMT+07:00)', '2026-11-22T17:45:00+07:00'],
    ['Thứ 2, 23/11/2026 | 8h05', '2026-11-23T08:05:00+07:00'],
    ['08 giờ 30 phút, ngày 23/11/2026', '2026-11-23T08:30:00+07:00'],
    ['23.11.2026 20:15', '2026-11-23T20:15:00+07:00'],
    ['23/11/2026 7:05 CH', '2026-11-23T19:05:00+07:00'],
    ['23/11/26 08:30', '2026-11-23T08:30:00+07:00'],
    ['1/7/25', '2025-07-01T00:00:00+07:00'],
    ['23/11/2026 08:30 GMT+0', '2026-11-23T15:30:00+07:00'],
  ])('%s → %s', (text, iso) => {
    expect(parseViDate(text, { now })?.iso).toBe(iso);
  });

  it.each([
    ['ngày 23 tháng 11 năm 2026', '2026-11-23T00:00:00+07:00'],
    ['23 tháng 11, 2026', '2026-11-23T00:00:00+07:00'],
    ['An Giang, ngày 5 tháng 1 năm 2026', '2026-01-05T00:00:00+07:00'],
    ['23/11/2026', '2026-11-23T00:00:00+07:00'],
    ['2026-11-23', '2026-11-23T00:00:00+07:00'],
  ])('date without time: %s → %s at day precision', (text, iso) => {
    expect(parseViDate(text, { now })).toEqual({ iso, precision: 'day' });
  });
});

describe('parseViDate: machine formats', () => {
  it.each([
    ['2026-11-23T08:30:00+07:00', '2026-11-23T08:30:00+07:00'],
    ['2026-11-23T08:30:00', '2026-11-23T08:30:00+07:00'],
    ['2026-11-23 08:30', '2026-11-23T08:30:00+07:00'],
    ['2026-11-23T01:30:00Z', '2026-11-23T08:30:00+07:00'],
    ['2026-11-23T01:30:00.000+00:00', '2026-11-23T08:30:00+07:00'],
    ['2026-11-23T08:30:00.000+0700', '2026-11-23T08:30:00+07:00'],
    ['2026-11-22T20:30:00-05:00', '2026-11-23T08:30:00+07:00'],
    ['Mon, 23 Nov 2026 08:30:00 +0700', '2026-11-23T08:30:00+07:00'],
    ['Mon, 23 Nov 2026 01:30:00 GMT', '2026-11-23T08:30:00+07:00'],
    ['Nov 23, 2026 8:30 PM', '2026-11-23T20:30:00+07:00'],
  ])('%s → %s', (text, iso) => {
    expect(parseViDate(text, { now })).toEqual({ iso, precision: 'minute' });
  });
});

describe('parseViDate: relative to now (23/11/2026 10:00)', () => {
  it.each([
    ['2 giờ trước', '2026-11-23T08:00:00+07:00', 'minute'],
    ['30 phút trước', '2026-11-23T09:30:00+07:00', 'minute'],
    ['vừa xong', '2026-11-23T10:00:00+07:00', 'minute'],
    ['hôm qua', '2026-11-22T00:00:00+07:00', 'day'],
    ['Hôm qua lúc 14:20', '2026-11-22T14:20:00+07:00', 'minute'],
    ['3 ngày trước', '2026-11-20T00:00:00+07:00', 'day'],
    ['5 hours ago', '2026-11-23T05:00:00+07:00', 'minute'],
  ])('%s → %s', (text, iso, precision) => {
    expect(parseViDate(text, { now })).toEqual({ iso, precision });
  });

  it('crosses midnight correctly: "2 giờ trước" at 01:00 is the previous day', () => {
    expect(parseViDate('2 giờ trước', { now: new Date('2026-11-23T01:00:00+07:00') })?.iso).toBe(
      '2026-11-22T23:00:00+07:00',
    );
  });
});

describe('parseViDate: rejects', () => {
  it.each([
    '32/13/2026',
    '31/11/2026',
    '29/02/2026',
    '25:30 23/11/2026',
    '23/11/2026 08:75',
    'không có ngày',
    '',
    'Thứ hai',
  ])('%s → null', (text) => {
    expect(parseViDate(text, { now })).toBeNull();
  });

  it('gives a reason for an impossible date', () => {
    const r = parseViDateDetailed('32/13/2026', { now });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/impossible/);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseViDate('29/02/2028 06:00', { now })?.iso).toBe('2028-02-29T06:00:00+07:00');
  });

  it('accepts NFD input', () => {
    expect(parseViDate('Thứ hai, ngày 23 tháng 11 năm 2026'.normalize('NFD'), { now })?.iso).toBe(
      '2026-11-23T00:00:00+07:00',
    );
  });
});

describe('parseViDate: the arithmetic path for +07:00 agrees with luxon time-zone data', () => {
  // Reference: what the parser computed with luxon alone before the fast path existed.
  const viaLuxon = (y: number, mo: number, d: number, h: number | null, mi: number, offset: number | null): string => {
    const dt = DateTime.fromObject(
      { year: y, month: mo, day: d, hour: h ?? 0, minute: mi, second: 0 },
      { zone: offset === null ? 'Asia/Ho_Chi_Minh' : FixedOffsetZone.instance(offset) },
    ).setZone('Asia/Ho_Chi_Minh');
    return (h === null ? dt.startOf('day') : dt).toISO({ suppressMilliseconds: true })!;
  };
  const pad = (n: number) => String(n).padStart(2, '0');

  it('local times, dates alone and explicit offsets across years, month ends and midnight', () => {
    let seed = 11;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let k = 0; k < 3000; k++) {
      const y = [1900, 1950, 1959, 1974, 1975, 1976, 1999, 2024, 2026, 2100, 2199][rnd(11)]!;
      const mo = 1 + rnd(12);
      const d = 1 + rnd(new Date(Date.UTC(y, mo, 0)).getUTCDate());
      const h = rnd(3) === 0 ? null : rnd(24);
      const mi = rnd(60);
      const offset = h === null || rnd(2) === 0 ? null : [-300, 0, 60, 420, 480, 540, 840][rnd(7)]!;
      const sign = offset !== null && offset < 0 ? '-' : '+';
      const tz =
        offset === null ? '' : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
      const text = h === null ? `${y}-${pad(mo)}-${pad(d)}` : `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:00${tz}`;
      expect(parseViDate(text, { now })?.iso, text).toBe(viaLuxon(y, mo, d, h, mi, offset));
      const vi = h === null ? `${pad(d)}/${pad(mo)}/${y}` : `${pad(d)}/${pad(mo)}/${y} ${pad(h)}:${pad(mi)}`;
      expect(parseViDate(vi, { now })?.iso, vi).toBe(viaLuxon(y, mo, d, h, mi, null));
    }
  });
});
