import { describe, expect, it } from 'vitest';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { addFlag, addNote, assign, newCase, transition } from '../../../rules/cases/ops.ts';
import { caseId } from '../../../rules/cases/schema.ts';
import { InvalidTransitionError, parseWorkflow } from '../../../rules/cases/workflow.ts';
import { makeFlag } from './fixtures.ts';

const ctx = defaultCaseContext();
const T0 = new Date('2026-11-19T10:00:00+07:00');
const T1 = new Date('2026-11-19T11:00:00+07:00');

describe('case state machine', () => {
  it('opens a case in "mới" with a deterministic id = sha256(agencyId|storyId)', () => {
    const c = newCase(makeFlag(), T0, ctx);
    expect(c.id).toBe(caseId('2025-51-so-y-te', 'story-sontay'));
    // echo -n '2025-51-so-y-te|story-sontay' | sha256sum
    expect(c.id).toBe('e951078b67a90583c79b18540bf1e1b068491912800a4013a84126fa7c84ce98');
    expect(c.state).toBe('moi');
    expect(c.stateLabel).toBe('mới');
    expect(c.deadline).toBe('2026-11-20T08:00:00+07:00');
    expect(c.history).toEqual([{ at: '2026-11-19T10:00:00+07:00', by: 'he-thong', action: 'mo-vu-viec', to: 'moi', note: 'Mở vụ việc từ cảnh báo spokesperson-hot-event' }]);
  });

  it('an article without a story gets a case of its own', () => {
    const c = newCase(makeFlag({ storyId: null }), T0, ctx);
    expect(c.storyId).toBe('article:a-fc');
    expect(c.id).toBe(caseId('2025-51-so-y-te', 'article:a-fc'));
  });

  it('adding the same flag twice changes nothing; a new flag moves the deadline to the earliest', () => {
    const c = newCase(makeFlag({ ruleId: 'correction-review-false-info', kind: 'correction_review', priority: 2, deadline: null }), T0, ctx);
    expect(c.deadline).toBeNull();
    expect(addFlag(c, makeFlag({ ruleId: 'correction-review-false-info', kind: 'correction_review', priority: 2, deadline: null }), T1)).toBe(c);
    const joined = addFlag(c, makeFlag({ articleId: 'a-2', deadline: '2026-11-20T09:00:00+07:00' }), T1);
    const joined2 = addFlag(joined, makeFlag({ articleId: 'a-3', deadline: '2026-11-20T07:30:00+07:00', priority: 3 }), T1);
    expect(joined2.deadline).toBe('2026-11-20T07:30:00+07:00');
    expect(joined2.priority).toBe(1);
    expect(joined2.articleIds).toEqual(['a-fc', 'a-2', 'a-3']);
    expect(joined2.flagKinds).toEqual(['correction_review', 'needs_response']);
    expect(joined2.ruleIds).toEqual(['correction-review-false-info', 'spokesperson-hot-event']);
    expect(joined2.history.map((h) => h.action)).toEqual(['mo-vu-viec', 'them-canh-bao', 'them-canh-bao']);
  });

  it('follows the allowed transitions and records each in the history', () => {
    let c = newCase(makeFlag(), T0, ctx);
    c = transition(c, { to: 'dang-xu-ly', by: 'lan.ntt' }, T1, ctx);
    c = transition(c, { to: 'da-phat-ngon', by: 'lan.ntt', note: 'Đã đăng thông cáo' }, T1, ctx);
    expect(c.respondedAt).toBe('2026-11-19T11:00:00+07:00');
    c = transition(c, { to: 'dong', by: 'lan.ntt' }, T1, ctx);
    expect(c.stateLabel).toBe('đóng');
    expect(c.history.slice(1)).toEqual([
      { at: '2026-11-19T11:00:00+07:00', by: 'lan.ntt', action: 'nhan-xu-ly', from: 'moi', to: 'dang-xu-ly' },
      { at: '2026-11-19T11:00:00+07:00', by: 'lan.ntt', action: 'phat-ngon', from: 'dang-xu-ly', to: 'da-phat-ngon', note: 'Đã đăng thông cáo' },
      { at: '2026-11-19T11:00:00+07:00', by: 'lan.ntt', action: 'dong', from: 'da-phat-ngon', to: 'dong' },
    ]);
  });

  it('refuses a transition the workflow does not allow', () => {
    const c = newCase(makeFlag(), T0, ctx);
    expect(() => transition(c, { to: 'dong', by: 'x' }, T1, ctx)).toThrow(InvalidTransitionError);
    expect(() => transition(c, { to: 'da-gui-de-nghi-cai-chinh', by: 'x' }, T1, ctx)).toThrow(/allowed: dang-xu-ly/);
  });

  it('"không cần xử lý" needs a reason, kept as closedReason; reopening clears it', () => {
    const c = newCase(makeFlag(), T0, ctx);
    expect(() => transition(c, { to: 'khong-can-xu-ly', by: 'x' }, T1, ctx)).toThrow(/needs a reason/);
    expect(() => transition(c, { to: 'khong-can-xu-ly', by: 'x', note: '   ' }, T1, ctx)).toThrow(/needs a reason/);
    const closed = transition(c, { to: 'khong-can-xu-ly', by: 'x', note: 'Bài viết đúng sự thật' }, T1, ctx);
    expect(closed.closedReason).toBe('Bài viết đúng sự thật');
    expect(closed.stateLabel).toBe('không cần xử lý');
    const reopened = transition(closed, { to: 'dang-xu-ly', by: 'x', note: 'Có thông tin mới' }, T1, ctx);
    expect(reopened.closedReason).toBeNull();
  });

  it('notes and assignment are recorded', () => {
    let c = newCase(makeFlag(), T0, ctx);
    c = addNote(c, 'lan.ntt', 'Đã gọi phóng viên', T1);
    c = assign(c, 'truong.phong', 'lan.ntt', T1);
    expect(assign(c, 'truong.phong', 'lan.ntt', T1)).toBe(c);
    expect(c.notes).toEqual([{ at: '2026-11-19T11:00:00+07:00', by: 'lan.ntt', text: 'Đã gọi phóng viên' }]);
    expect(c.assignee).toBe('lan.ntt');
    expect(c.history.map((h) => h.action)).toEqual(['mo-vu-viec', 'ghi-chu', 'phan-cong']);
  });
});

describe('workflow data validation', () => {
  const base = `version: 1
states:
  - {code: moi, label: mới}
  - {code: dang-xu-ly, label: đang xử lý}
  - {code: da-phat-ngon, label: đã phát ngôn}
  - {code: da-gui-de-nghi-cai-chinh, label: đã gửi đề nghị cải chính}
  - {code: bao-da-cai-chinh, label: báo đã cải chính}
  - {code: dong, label: đóng}
  - {code: khong-can-xu-ly, label: không cần xử lý}
outlet: {immediateGraceHours: 24}
metrics: {statement24hRules: [], falseInfoRules: []}
`;
  it('accepts a valid file', () => {
    const wf = parseWorkflow('w.yaml', `${base}transitions:\n  - {action: a, label: A, from: [moi], to: dong}\n`);
    expect(wf.allowedFrom('moi')).toEqual(['dong']);
  });
  it('rejects an unknown state and a duplicated transition, naming the line', () => {
    expect(() => parseWorkflow('w.yaml', `${base}transitions:\n  - {action: a, label: A, from: [moi], to: xong}\n`)).toThrow(/w\.yaml:\d+/);
    expect(() =>
      parseWorkflow('w.yaml', `${base}transitions:\n  - {action: a, label: A, from: [moi], to: dong}\n  - {action: b, label: B, from: [moi], to: dong}\n`),
    ).toThrow(/defined twice/);
  });
});
