/**
 * Vietnamese and machine date strings → ISO 8601 in Asia/Ho_Chi_Minh (+07:00).
 *
 * Understands what Vietnamese news pages print ("Thứ hai, 23/11/2026, 08:30 (GMT+7)", "08:30 ngày 23/11/2026",
 * "23-11-2026 - 08:30", "ngày 23 tháng 11 năm 2026", "Cập nhật: …", 2-digit years, "8h30", "SA/CH"),
 * relative forms ("2 giờ trước", "hôm qua", "vừa xong", relative to `now`), ISO strings (no offset → +07:00,
 * Z or another offset → converted to +07:00), RFC 2822 / HTTP dates and English month names.
 * A date without a time keeps 00:00 and reports precision 'day'. Impossible dates are rejected.
 */
import { DateTime, FixedOffsetZone } from 'luxon';
import { fold } from '../../pipeline/normalize/vi-text.ts';

export const VN_ZONE = 'Asia/Ho_Chi_Minh';

export type DatePrecision = 'minute' | 'day';
export interface ParsedDate {
  iso: string;
  precision: DatePrecision;
}
export type DateParseResult = ({ ok: true } & ParsedDate) | { ok: false; reason: string };

export interface ParseViDateOptions {
  /** Reference time for relative dates ("2 giờ trước"); defaults to the current time. */
  now?: Date;
}

const EN_MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function fail(reason: string): DateParseResult {
  return { ok: false, reason };
}

function out(dt: DateTime, precision: DatePrecision): DateParseResult {
  const local = dt.setZone(VN_ZONE);
  const v = precision === 'day' ? local.startOf('day') : local.set({ millisecond: 0 });
  const iso = v.toISO({ suppressMilliseconds: true });
  if (!v.isValid || !iso) return fail(`invalid date (${v.invalidReason ?? 'unknown'})`);
  return { ok: true, iso, precision };
}

function expandYear(y: number, digits: number): number {
  if (digits > 2) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Fixed UTC offset of the printed time, in minutes; none: Vietnamese local time. */
  offset?: number;
}

/**
 * Asia/Ho_Chi_Minh has been UTC+07:00 all year since 13 June 1975 (no DST). Instants from 1976 on are
 * converted with plain arithmetic; earlier ones (other historical offsets) go through luxon's zone data.
 */
const VN_OFFSET_MIN = 420;
const VN_FIXED_FROM_MS = Date.UTC(1976, 0, 1);
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The ISO string luxon's `toISO({ suppressMilliseconds: true })` gives in Vietnamese time, or null before 1976. */
function fastVnIso(p: Parts, hasTime: boolean): string | null {
  const offset = p.offset ?? VN_OFFSET_MIN;
  const ms = Date.UTC(p.year, p.month - 1, p.day, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) - offset * 60_000;
  if (!(ms >= VN_FIXED_FROM_MS)) return null;
  const local = new Date(ms + VN_OFFSET_MIN * 60_000);
  const y = local.getUTCFullYear();
  if (y > 9999) return null;
  const date = `${String(y).padStart(4, '0')}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}`;
  const time = hasTime
    ? `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}`
    : '00:00:00';
  return `${date}T${time}+07:00`;
}

function build(p: Parts, raw: string): DateParseResult {
  if (p.year < 1900 || p.year > 2200) return fail(`implausible year ${p.year} in "${raw}"`);
  if (p.month < 1 || p.month > 12) return fail(`impossible date: month ${p.month} in "${raw}"`);
  if (p.day < 1 || p.day > daysIn(p.year, p.month))
    return fail(`impossible date: day ${p.day}/${p.month}/${p.year} in "${raw}"`);
  const hasTime = p.hour !== undefined;
  if (hasTime) {
    if (p.hour! > 23 || (p.minute ?? 0) > 59 || (p.second ?? 0) > 59)
      return fail(`impossible time in "${raw}"`);
  }
  const fast = fastVnIso(p, hasTime);
  if (fast) return { ok: true, iso: fast, precision: hasTime ? 'minute' : 'day' };
  const dt = DateTime.fromObject(
    {
      year: p.year,
      month: p.month,
      day: p.day,
      hour: p.hour ?? 0,
      minute: p.minute ?? 0,
      second: p.second ?? 0,
    },
    { zone: p.offset !== undefined ? FixedOffsetZone.instance(p.offset) : VN_ZONE },
  );
  if (!dt.isValid) return fail(`invalid date in "${raw}" (${dt.invalidReason ?? 'unknown'})`);
  return out(dt, hasTime ? 'minute' : 'day');
}

function offsetMinutes(sign: string, hh: string, mm: string | undefined): number {
  return (Number(hh) * 60 + Number(mm ?? 0)) * (sign === '-' ? -1 : 1);
}

const ISO_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const YMD_SLASH_RE = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function parseIso(s: string): DateParseResult | null {
  const m = ISO_RE.exec(s) ?? YMD_SLASH_RE.exec(s);
  if (!m) return null;
  let offset: number | undefined;
  const z = m[7];
  if (z) {
    if (/^(z|utc|gmt)$/i.test(z)) offset = 0;
    else {
      const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
      if (om) offset = offsetMinutes(om[1]!, om[2]!, om[3]);
    }
  }
  const parts: Parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (offset !== undefined) parts.offset = offset;
  if (m[4] !== undefined) {
    parts.hour = Number(m[4]);
    parts.minute = Number(m[5]);
    parts.second = m[6] !== undefined ? Number(m[6]) : 0;
  }
  return build(parts, s);
}

function parseRfc(s: string): DateParseResult | null {
  if (
    !/^[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}/.test(s) &&
    !/^\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d/.test(s)
  )
    return null;
  let dt = DateTime.fromRFC2822(s, { setZone: true });
  if (!dt.isValid) dt = DateTime.fromHTTP(s, { setZone: true });
  if (!dt.isValid) {
    // lenient: "Mon, 23 Nov 2026 08:30:00 +07:00" / "GMT+7"
    const fixed = s.replace(/([+-]\d{2}):(\d{2})$/, '$1$2').replace(/\s*\(.*\)\s*$/, '');
    dt = DateTime.fromRFC2822(fixed, { setZone: true });
  }
  if (!dt.isValid) return null;
  return out(dt, 'minute');
}

function parseRelative(folded: string, nowOf: () => DateTime): DateParseResult | null {
  if (/\b(vua xong|vua moi dang|vua cap nhat|just now)\b/.test(folded) || /^vua moi$/.test(folded.trim())) {
    return out(nowOf(), 'minute');
  }
  const rel =
    /(\d+)\s*(giay|phut|gio|tieng|ngay|tuan|thang|nam|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s*(truoc|ago)\b/.exec(
      folded,
    );
  if (rel) {
    const now = nowOf();
    const n = Number(rel[1]);
    const unit = rel[2]!;
    if (/^(giay|sec)/.test(unit)) return out(now.minus({ seconds: n }), 'minute');
    if (/^(phut|min)/.test(unit)) return out(now.minus({ minutes: n }), 'minute');
    if (/^(gio|tieng|hour|hr)/.test(unit)) return out(now.minus({ hours: n }), 'minute');
    if (/^(ngay|day)/.test(unit)) return out(now.minus({ days: n }), 'day');
    if (/^(tuan|week)/.test(unit)) return out(now.minus({ weeks: n }), 'day');
    if (/^(thang|month)/.test(unit)) return out(now.minus({ months: n }), 'day');
    return out(now.minus({ years: n }), 'day');
  }
  const dayWord = /\b(hom qua|hom nay|yesterday|today)\b/.exec(folded);
  if (dayWord && !/\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}/.test(folded)) {
    const now = nowOf();
    const base = /qua|yesterday/.test(dayWord[1]!) ? now.minus({ days: 1 }) : now;
    const t = findTime(folded);
    if (t)
      return build(
        {
          year: base.year,
          month: base.month,
          day: base.day,
          hour: t.hour,
          minute: t.minute,
          second: t.second,
        },
        folded,
      );
    return out(base, 'day');
  }
  return null;
}

interface TimeParts {
  hour: number;
  minute: number;
  second: number;
  index: number;
  length: number;
}

const TIME_RE =
  /(?<![\d/.-])(\d{1,2})\s*(?::|h|g|gio)\s*(\d{2})(?:\s*(?::|phut)?\s*(\d{2})(?!\d)(?:\s*giay)?)?(?!\d)(?:\s*(?:phut))?\s*(am|pm|sa|ch|sang|chieu|toi|trua)?(?![a-z])/;
const HOUR_ONLY_RE = /(?<![\d/.-])(\d{1,2})\s*(?:gio|h)\s*(sang|chieu|toi|trua|am|pm|sa|ch)?(?![a-z\d])/;

function findTime(s: string): TimeParts | null {
  let m = TIME_RE.exec(s);
  let minute = 0;
  let second = 0;
  if (m) {
    minute = Number(m[2]);
    second = m[3] !== undefined ? Number(m[3]) : 0;
  } else {
    m = HOUR_ONLY_RE.exec(s);
    if (!m) return null;
  }
  let hour = Number(m[1]);
  const ampm = m[m.length - 1];
  if (ampm) {
    if (/^(pm|ch|chieu|toi)$/.test(ampm) && hour < 12) hour += 12;
    else if (ampm === 'trua' && hour < 11) hour += 12;
    else if (/^(am|sa|sang)$/.test(ampm) && hour === 12) hour = 0;
  }
  return { hour, minute, second, index: m.index, length: m[0].length };
}

interface DateMatch {
  year: number;
  month: number;
  day: number;
  index: number;
  length: number;
}

function findDate(s: string): DateMatch | null {
  // "23 tháng 11 năm 2026", "23 tháng 11, 2026", "ngày 23 tháng 11/2026"
  let m = /(?<!\d)(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|,|\/|-)?\s*(\d{4}|\d{2})(?!\d)/.exec(s);
  if (m)
    return {
      day: Number(m[1]),
      month: Number(m[2]),
      year: expandYear(Number(m[3]), m[3]!.length),
      index: m.index,
      length: m[0].length,
    };
  // year first: 2026/11/23, 2026-11-23
  m = /(?<!\d)(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?!\d)/.exec(s);
  if (m)
    return {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      index: m.index,
      length: m[0].length,
    };
  // day first: 23/11/2026, 23-11-2026, 23.11.2026, 23/11/26
  m = /(?<![\d:])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d:])/.exec(s);
  if (m)
    return {
      day: Number(m[1]),
      month: Number(m[3]),
      year: expandYear(Number(m[4]), m[4]!.length),
      index: m.index,
      length: m[0].length,
    };
  // English: "Nov 23, 2026", "November 23 2026", "23 Nov 2026"
  m =
    /\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(
      s,
    );
  if (m)
    return {
      month: EN_MONTHS[m[1]!]!,
      day: Number(m[2]),
      year: Number(m[3]),
      index: m.index,
      length: m[0].length,
    };
  m = /\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b/.exec(s);
  if (m)
    return {
      day: Number(m[1]),
      month: EN_MONTHS[m[2]!]!,
      year: Number(m[3]),
      index: m.index,
      length: m[0].length,
    };
  return null;
}

/** Parse with a reason on failure. */
export function parseViDateDetailed(text: string, opts: ParseViDateOptions = {}): DateParseResult {
  if (typeof text !== 'string') return fail('not a string');
  let s = text
    .normalize('NFC')
    .replace(/[\u00a0\u2000-\u200b\u202f\u3000]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!s) return fail('empty date text');
  if (s.length > 400) s = s.slice(0, 400);

  const iso = parseIso(s);
  if (iso) return iso;
  const rfc = parseRfc(s);
  if (rfc) return rfc;

  const folded = fold(s);
  // the reference time is only converted when the text is relative
  const nowOf = (): DateTime => DateTime.fromJSDate(opts.now ?? new Date()).setZone(VN_ZONE);
  const rel = parseRelative(folded, nowOf);
  if (rel) return rel;

  // explicit offset: "GMT+7", "(GMT+07:00)", "UTC+7", or "+07:00" after a time
  let offset: number | undefined;
  let work = folded;
  const om = /\(?\s*(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*\)?/.exec(work);
  if (om) {
    offset = offsetMinutes(om[1]!, om[2]!, om[3]);
    work = work.slice(0, om.index) + ' '.repeat(om[0].length) + work.slice(om.index + om[0].length);
  } else {
    const tz = /(\d{1,2}:\d{2}(?::\d{2})?)\s*([+-])(\d{2}):?(\d{2})(?!\d)/.exec(work);
    if (tz) {
      offset = offsetMinutes(tz[2]!, tz[3]!, tz[4]);
      const at = tz.index + tz[1]!.length;
      const len = tz[0].length - tz[1]!.length;
      work = work.slice(0, at) + ' '.repeat(len) + work.slice(at + len);
    } else if (/(?:^|\s)(?:gmt|utc|z)\s*$/.test(work)) {
      offset = 0;
    }
  }

  const d = findDate(work);
  if (!d) return fail(`no date found in "${s.slice(0, 80)}"`);
  const rest = work.slice(0, d.index) + ' '.repeat(d.length) + work.slice(d.index + d.length);
  const t = findTime(rest);
  const parts: Parts = { year: d.year, month: d.month, day: d.day };
  if (offset !== undefined) parts.offset = offset;
  if (t) {
    parts.hour = t.hour;
    parts.minute = t.minute;
    parts.second = t.second;
  }
  return build(parts, s.slice(0, 80));
}

/** Parse a Vietnamese or machine date; null when there is no (valid) date. */
export function parseViDate(text: string, opts: ParseViDateOptions = {}): ParsedDate | null {
  const r = parseViDateDetailed(text, opts);
  return r.ok ? { iso: r.iso, precision: r.precision } : null;
}
