import { describe, expect, it } from 'vitest';
import {
  computeDeadline,
  durationText,
  outletCorrectionDeadlines,
  regimeFor,
} from '../../../rules/legal/regimes.ts';
import { calendar, regimes } from './helpers.ts';

const END = 'T23:59:59+07:00';

describe('regimeFor', () => {
  it('switches at midnight between 30/06 and 01/07/2026, Vietnam time', () => {
    expect(regimeFor('2026-06-30T23:59:59+07:00', regimes)?.id).toBe('luat-103-2016');
    expect(regimeFor('2026-07-01T00:00:00+07:00', regimes)?.id).toBe('luat-126-2025');
    // 17:30 UTC on 30/06 is already 00:30 on 01/07 in Vietnam.
    expect(regimeFor('2026-06-30T17:30:00Z', regimes)?.id).toBe('luat-126-2025');
    expect(regimeFor('2026-06-30T16:59:00Z', regimes)?.id).toBe('luat-103-2016');
  });
  it('covers the 2016 law from 01/01/2017 and nothing before', () => {
    expect(regimeFor('2017-01-01T00:00:00+07:00', regimes)?.id).toBe('luat-103-2016');
    expect(regimeFor('2016-12-31T23:00:00+07:00', regimes)).toBeNull();
  });
});

describe('parameters', () => {
  const old = regimes.byId('luat-103-2016')!;
  const neu = regimes.byId('luat-126-2025')!;

  it('every regime defines the same parameter ids', () => {
    expect(Object.keys(neu.parameters).sort()).toEqual(Object.keys(old.parameters).sort());
  });

  it('forwarded criticism: 30 days (2016 law) vs 15 working days (NĐ 237/2026)', () => {
    expect(old.parameters['forwarded-criticism-measures']).toMatchObject({
      unit: 'calendar_days',
      value: 30,
    });
    expect(neu.parameters['forwarded-criticism-measures']).toMatchObject({
      unit: 'working_days',
      value: 15,
      confidence: 'M',
    });
    expect(durationText(neu.parameters['forwarded-criticism-measures']!)).toBe('15 ngày làm việc');
  });

  it('divided opinion: promptly (no hours) before, 24 hours after', () => {
    const from = '2026-06-30T10:00:00+07:00';
    expect(
      computeDeadline(old.parameters['divided-opinion-initial-info']!, from, calendar, regimes.computation),
    ).toBeNull();
    expect(
      computeDeadline(neu.parameters['divided-opinion-initial-info']!, from, calendar, regimes.computation),
    ).toBe('2026-07-01T10:00:00+07:00');
  });

  it('the annual report is due by the end of 19 December', () => {
    const p = neu.parameters['annual-compliance-report']!;
    expect(computeDeadline(p, '2026-11-20T10:00:00+07:00', calendar, regimes.computation)).toBe(
      `2026-12-19${END}`,
    );
    expect(computeDeadline(p, '2026-12-20T10:00:00+07:00', calendar, regimes.computation)).toBe(
      `2027-12-19${END}`,
    );
  });

  it('cites legal bases in Vietnamese for letters', () => {
    expect(old.legalBases.map((b) => b.text)).toContain(
      'Luật Báo chí số 103/2016/QH13 ngày 05 tháng 4 năm 2016',
    );
    expect(neu.legalBases.map((b) => b.short)).toEqual(
      expect.arrayContaining([
        'Luật Báo chí số 126/2025/QH15',
        'Nghị định số 237/2026/NĐ-CP',
        'Nghị định số 244/2026/NĐ-CP',
      ]),
    );
  });
});

describe('outlet correction timetable', () => {
  const old = regimes.byId('luat-103-2016')!;
  const neu = regimes.byId('luat-126-2025')!;

  it('e-paper: immediately, kept online ≥ 7 days under the 2016 law', () => {
    const [d] = outletCorrectionDeadlines(
      old,
      'e-paper',
      '2025-03-05T14:00:00+07:00',
      calendar,
      regimes.computation,
    );
    expect(d).toMatchObject({
      channel: 'e-paper',
      deadline: '2025-03-05T14:00:00+07:00',
      keepOnlineDays: 7,
      text: 'ngay',
    });
  });

  it('daily print and radio-TV: 2 days; a Thursday receipt ends Monday after the weekend', () => {
    // Thu 05/03/2026 + 2 days = Sat 07/03 → next working day Mon 09/03/2026.
    const r = outletCorrectionDeadlines(
      neu,
      'radio-TV',
      '2026-03-05T14:00:00+07:00',
      calendar,
      regimes.computation,
    );
    expect(r).toEqual([expect.objectContaining({ channel: 'radio-tv', deadline: `2026-03-09${END}` })]);
  });

  it('magazines: next issue (no computable date); portals: no duty of their own', () => {
    expect(
      outletCorrectionDeadlines(old, 'magazine', '2025-03-05T14:00:00+07:00', calendar, regimes.computation),
    ).toEqual([expect.objectContaining({ deadline: null, text: 'số phát hành kế tiếp' })]);
    expect(
      outletCorrectionDeadlines(old, 'portal', '2025-03-05T14:00:00+07:00', calendar, regimes.computation),
    ).toEqual([]);
  });

  it('the new regime adds the outlets’ content channels; its online minimum is unverified (null)', () => {
    expect(neu.outletCorrection.channels['content-channel']).toMatchObject({ unit: 'immediately' });
    expect(neu.outletCorrection.channels['e-paper']!.keepOnlineDays).toBeNull();
  });
});
