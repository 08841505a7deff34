import { describe, expect, it } from 'vitest';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { addFlag, newCase, transition } from '../../../rules/cases/ops.ts';
import { countNd244 } from '../../../rules/cases/report.ts';
import { makeFlag } from './fixtures.ts';

const ctx = defaultCaseContext();
const d = (s: string) => new Date(s);
const period = { from: '2025-12-15', to: '2026-12-14' };

describe('NĐ 244/2026 counts from cases', () => {
  const opened = d('2026-11-19T09:00:00+07:00');
  const hot = (agencyId: string, storyId: string) => newCase(makeFlag({ agencyId, storyId, deadline: '2026-11-20T08:00:00+07:00' }), opened, ctx);
  const falseInfo = { ruleId: 'correction-review-false-info', kind: 'correction_review' as const, deadline: null, priority: 2 };

  it('counts statements on time against the 24 h deadline and requests against false-information cases', () => {
    const onTime = transition(hot('sở-a', 's1'), { to: 'da-phat-ngon', by: 'x', at: '2026-11-20T07:00:00+07:00' }, d('2026-11-20T07:00:00+07:00'), ctx);
    const late = transition(hot('sở-a', 's2'), { to: 'da-phat-ngon', by: 'x' }, d('2026-11-20T08:00:01+07:00'), ctx);
    const silent = hot('sở-a', 's3');
    const dismissed = transition(hot('sở-a', 's4'), { to: 'khong-can-xu-ly', by: 'x', note: 'Không thuộc phạm vi' }, opened, ctx);
    let both = addFlag(hot('sở-a', 's5'), makeFlag({ agencyId: 'sở-a', storyId: 's5', ...falseInfo }), opened);
    both = transition(both, { to: 'dang-xu-ly', by: 'x' }, opened, ctx);
    both = transition(both, { to: 'da-gui-de-nghi-cai-chinh', by: 'x' }, d('2026-11-21T09:00:00+07:00'), ctx);
    const falseOnly = newCase(makeFlag({ agencyId: 'sở-b', storyId: 's6', ...falseInfo }), opened, ctx);
    const lastYear = newCase(makeFlag({ agencyId: 'sở-b', storyId: 's7', ...falseInfo }), d('2025-12-14T23:00:00+07:00'), ctx);
    expect(countNd244([onTime, late, silent, dismissed, both, falseOnly, lastYear], period, ctx)).toEqual([
      { agencyId: 'sở-a', statementsOnTime: 1, statementCases: 4, writtenReplies: 1, falseInfoCases: 1 },
      { agencyId: 'sở-b', statementsOnTime: 0, statementCases: 0, writtenReplies: 0, falseInfoCases: 1 },
    ]);
  });
});
