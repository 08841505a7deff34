import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addHours,
  addWorkingDays,
  isOverdue,
  viDateTime,
} from '../../../rules/calendar/deadlines.ts';
import { calendar } from './helpers.ts';

const END = 'T23:59:59+07:00';

describe('addHours', () => {
  it('adds exact hours and writes +07:00', () => {
    expect(addHours('2026-06-30T20:00:00+07:00', 24)).toBe('2026-07-01T20:00:00+07:00');
  });
  it('converts UTC input to Vietnam time', () => {
    expect(addHours('2026-06-30T13:00:00Z', 24)).toBe('2026-07-01T20:00:00+07:00');
  });
  it('runs through weekends and Tết (a spokesperson’s 24 hours do not pause)', () => {
    expect(addHours('2025-01-28T10:00:00+07:00', 24)).toBe('2025-01-29T10:00:00+07:00'); // 29 Tết → mùng 1
    expect(addHours('2026-11-21T09:15:00+07:00', 24)).toBe('2026-11-22T09:15:00+07:00'); // Sat → Sun
  });
  it('rejects a date-time without offset', () => {
    expect(() => addHours('2026-06-30T20:00:00', 1)).toThrow(/offset/);
  });
});

describe('addCalendarDays (BLDS 2015 Art. 147–148)', () => {
  it('does not count the start day and ends at the end of the last day', () => {
    // 30 days from Tue 30/06/2026: the 30th day is Thu 30/07/2026, a working day.
    expect(addCalendarDays('2026-06-30T09:00:00+07:00', 30, calendar)).toBe(`2026-07-30${END}`);
  });
  it('moves a period ending on a holiday to the end of the next working day', () => {
    // 10 days from Thu 01/02/2024 → Sun 11/02/2024 (mùng 2 Tết); 12–14/02 are Tết days off → Thu 15/02/2024.
    expect(addCalendarDays('2024-02-01T10:00:00+07:00', 10, calendar)).toBe(`2024-02-15${END}`);
    expect(addCalendarDays('2024-02-01T10:00:00+07:00', 10)).toBe(`2024-02-11${END}`); // no calendar: no roll
  });
  it('rolls over a weekend, a swapped weekday and two holidays', () => {
    // 2 days from Thu 25/04/2024 → Sat 27/04; Sun 28; Mon 29 swapped off; 30/4 and 1/5 holidays → Thu 02/05/2024.
    expect(addCalendarDays('2024-04-25T16:00:00+07:00', 2, calendar)).toBe(`2024-05-02${END}`);
  });
  it('uses the Vietnam date of a UTC instant', () => {
    // 2026-06-30T18:00Z is 01:00 on 01/07 in Vietnam: 30 days → Fri 31/07/2026.
    expect(addCalendarDays('2026-06-30T18:00:00Z', 30, calendar)).toBe(`2026-07-31${END}`);
  });
});

describe('addWorkingDays', () => {
  it('skips a weekend', () => {
    expect(addWorkingDays('2024-03-08T10:00:00+07:00', 1, calendar)).toBe(`2024-03-11${END}`); // Fri → Mon
  });
  it('a start after office hours, on Saturday or on Sunday counts from the next working day', () => {
    for (const start of [
      '2024-03-08T22:30:00+07:00',
      '2024-03-09T10:00:00+07:00',
      '2024-03-10T10:00:00+07:00',
    ])
      expect(addWorkingDays(start, 1, calendar)).toBe(`2024-03-11${END}`);
  });
  it('15 working days from Wed 01/07/2026 end on Wed 22/07/2026', () => {
    expect(addWorkingDays('2026-07-01T10:00:00+07:00', 15, calendar)).toBe(`2026-07-22${END}`);
  });
  it('skips Tết 2025 (25/01–02/02)', () => {
    expect(addWorkingDays('2025-01-24T09:00:00+07:00', 1, calendar)).toBe(`2025-02-03${END}`);
    expect(addWorkingDays('2025-01-24T09:00:00+07:00', 5, calendar)).toBe(`2025-02-07${END}`);
  });
  it('skips Tết 2024 (08/02–14/02) and Tết 2026 (14/02–22/02)', () => {
    expect(addWorkingDays('2024-02-07T09:00:00+07:00', 1, calendar)).toBe(`2024-02-15${END}`);
    expect(addWorkingDays('2026-02-13T09:00:00+07:00', 1, calendar)).toBe(`2026-02-23${END}`);
  });
  it('skips a compensatory day (nghỉ bù Giỗ Tổ 2026 on Mon 27/04) and 30/4–1/5', () => {
    expect(addWorkingDays('2026-04-24T09:00:00+07:00', 1, calendar)).toBe(`2026-04-28${END}`);
    expect(addWorkingDays('2026-04-28T09:00:00+07:00', 2, calendar)).toBe(`2026-05-04${END}`);
  });
  it('2023: after Fri 28/04 the next working day is Thu 04/05', () => {
    expect(addWorkingDays('2023-04-28T09:00:00+07:00', 1, calendar)).toBe(`2023-05-04${END}`);
  });
  it('counts a làm-bù Saturday and skips the swapped weekday (2025)', () => {
    expect(addWorkingDays('2025-04-25T09:00:00+07:00', 1, calendar)).toBe(`2025-04-26${END}`);
    expect(addWorkingDays('2025-04-25T09:00:00+07:00', 2, calendar)).toBe(`2025-04-28${END}`);
    expect(addWorkingDays('2025-04-29T09:00:00+07:00', 1, calendar)).toBe(`2025-05-05${END}`);
  });
  it('2019 swap across the new year: Fri 28/12/2018 + 1 → Wed 02/01/2019; Fri 04/01 + 1 → Sat 05/01', () => {
    expect(addWorkingDays('2018-12-28T09:00:00+07:00', 1, calendar)).toBe(`2019-01-02${END}`);
    expect(addWorkingDays('2019-01-04T09:00:00+07:00', 1, calendar)).toBe(`2019-01-05${END}`);
  });
  it('a start on a day off counts from the next working day', () => {
    // Mon 29/04/2024 was swapped off; 30/4 and 1/5 are holidays.
    expect(addWorkingDays('2024-04-29T09:00:00+07:00', 1, calendar)).toBe(`2024-05-02${END}`);
  });
  it('honours a configured end of day', () => {
    expect(addWorkingDays('2024-03-08T10:00:00+07:00', 1, calendar, { endOfDay: '17:00:00' })).toBe(
      '2024-03-11T17:00:00+07:00',
    );
  });
});

describe('isOverdue', () => {
  const deadline = `2024-02-15${END}`;
  it('is false up to and at the deadline, true after it', () => {
    expect(isOverdue(deadline, '2024-02-15T23:59:59+07:00')).toBe(false);
    expect(isOverdue(deadline, '2024-02-16T00:00:00+07:00')).toBe(true);
    expect(isOverdue(deadline, '2024-02-15T17:00:00Z')).toBe(true); // 00:00 on 16/02 in Vietnam
    expect(isOverdue(deadline, '2024-02-15T16:00:00Z')).toBe(false);
  });
  it('a null deadline (no fixed time limit) is never overdue', () => {
    expect(isOverdue(null, '2099-01-01T00:00:00+07:00')).toBe(false);
  });
});

describe('viDateTime', () => {
  it('writes deadlines the Vietnamese way', () => {
    expect(viDateTime('2026-07-04T08:30:00+07:00')).toBe('08:30 ngày 04/07/2026');
    expect(viDateTime(`2026-07-22${END}`)).toBe('hết ngày 22/07/2026');
  });
});
