import { describe, expect, it } from 'vitest';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { outletDeadlineFor, overdueStatus } from '../../../rules/cases/deadlines.ts';
import { linkCorrection, newCase, transition } from '../../../rules/cases/ops.ts';
import { FC_ARTICLE, makeFlag } from './fixtures.ts';

const ctx = defaultCaseContext();
const at = (s: string) => new Date(s);

describe('agency overdue', () => {
  const c = newCase(makeFlag({ deadline: '2026-11-20T08:00:00+07:00' }), at('2026-11-19T08:30:00+07:00'), ctx);
  it('is overdue only strictly after the earliest flag deadline while the agency has not acted', () => {
    expect(overdueStatus(c, at('2026-11-20T08:00:00+07:00'), ctx)).toEqual({ agency: false, outlet: false });
    expect(overdueStatus(c, at('2026-11-20T08:00:01+07:00'), ctx)).toEqual({ agency: true, outlet: false });
    // 01:00Z is 08:00 in Vietnam: the same instant, whatever the zone of the clock.
    expect(overdueStatus(c, at('2026-11-20T01:00:00Z'), ctx).agency).toBe(false);
    const handling = transition(c, { to: 'dang-xu-ly', by: 'x' }, at('2026-11-19T09:00:00+07:00'), ctx);
    expect(overdueStatus(handling, at('2026-11-21T00:00:00+07:00'), ctx).agency).toBe(true);
    const spoken = transition(handling, { to: 'da-phat-ngon', by: 'x' }, at('2026-11-21T09:00:00+07:00'), ctx);
    expect(overdueStatus(spoken, at('2026-11-22T00:00:00+07:00'), ctx).agency).toBe(false);
  });
  it('a case without a fixed deadline is never overdue for the agency', () => {
    const none = newCase(makeFlag({ deadline: null, ruleId: 'correction-review-false-info', kind: 'correction_review' }), at('2026-11-19T08:30:00+07:00'), ctx);
    expect(overdueStatus(none, at('2030-01-01T00:00:00+07:00'), ctx).agency).toBe(false);
  });
});

describe('outlet correction deadline', () => {
  const sent = '2026-11-20T10:00:00+07:00'; // a Friday
  it('e-paper: "ngay" plus the configured 24 h grace', () => {
    const d = outletDeadlineFor(FC_ARTICLE, sent, ctx);
    expect(d.regime).toBe('luat-126-2025');
    expect(d.deadline).toBe('2026-11-21T10:00:00+07:00');
  });
  it('radio-TV: 02 calendar days, not counting the day of receipt, rolled past Sunday 22/11', () => {
    expect(outletDeadlineFor({ outletKind: 'radio-TV', publishedAt: '2026-11-19T08:00:00+07:00' }, sent, ctx).deadline).toBe('2026-11-23T23:59:59+07:00');
  });
  it('print+web: the earliest channel (the website) binds', () => {
    const d = outletDeadlineFor({ outletKind: 'print+web', publishedAt: '2026-11-19T08:00:00+07:00' }, sent, ctx);
    expect(d.channels.map((c) => [c.channel, c.deadline])).toEqual([
      ['daily-print', '2026-11-23T23:59:59+07:00'],
      ['e-paper', '2026-11-21T10:00:00+07:00'],
    ]);
    expect(d.deadline).toBe('2026-11-21T10:00:00+07:00');
  });
  it('magazine: next issue has no date; the regime follows the article date, not the request date', () => {
    expect(outletDeadlineFor({ outletKind: 'magazine', publishedAt: '2026-11-19T08:00:00+07:00' }, sent, ctx).deadline).toBeNull();
    const old = outletDeadlineFor({ outletKind: 'e-paper', publishedAt: '2026-06-30T23:00:00+07:00' }, '2026-07-02T09:00:00+07:00', ctx);
    expect(old.regime).toBe('luat-103-2016');
    expect(old.channels[0]!.citation).toMatch(/103\/2016\/QH13/);
  });

  it('sending the request sets outletDeadline; the outlet is overdue after it unless a correction is linked', () => {
    let c = newCase(makeFlag({ deadline: null, ruleId: 'correction-review-false-info', kind: 'correction_review' }), at('2026-11-19T09:00:00+07:00'), ctx);
    c = transition(c, { to: 'dang-xu-ly', by: 'x' }, at('2026-11-19T10:00:00+07:00'), ctx);
    c = transition(c, { to: 'da-gui-de-nghi-cai-chinh', by: 'x', at: sent }, at('2026-11-20T10:05:00+07:00'), ctx);
    expect(c.requestSentAt).toBe(sent);
    expect(c.outletDeadline).toBe('2026-11-21T10:00:00+07:00');
    expect(overdueStatus(c, at('2026-11-21T09:59:59+07:00'), ctx)).toEqual({ agency: false, outlet: false });
    expect(overdueStatus(c, at('2026-11-21T10:00:01+07:00'), ctx)).toEqual({ agency: false, outlet: true });
    const corrected = linkCorrection(
      c,
      { articleId: 'a-cc', detectedAt: '2026-11-21T15:05:00+07:00', url: null, title: 'Thông tin cải chính, xin lỗi', correctsArticleId: 'a-fc', matchedBy: 'url' },
      at('2026-11-21T15:05:00+07:00'),
      ctx,
    );
    expect(corrected.state).toBe('bao-da-cai-chinh');
    expect(overdueStatus(corrected, at('2026-11-22T00:00:00+07:00'), ctx).outlet).toBe(false);
  });
});
