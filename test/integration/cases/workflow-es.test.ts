import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { InvalidTransitionError } from '../../../rules/cases/workflow.ts';
import { addCaseNote, getCase, openCasesForFlags, transitionCase } from '../../../rules/cases/repo.ts';
import { listCases, sweepOutletOverdue } from '../../../rules/cases/query.ts';
import { caseId } from '../../../rules/cases/schema.ts';
import { ConflictError } from '../../../store/occ.ts';
import { openTestStore, type TestStore } from '../../helpers/es.ts';
import { makeFlag } from '../../unit/cases/fixtures.ts';

let store: TestStore;
const ctx = defaultCaseContext();
const clock = () => new Date('2026-11-19T10:00:00+07:00');
const CASE = caseId('2025-51-so-y-te', 'story-sontay');

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store?.drop());

describe('cases in Elasticsearch', () => {
  it('a flag opens a case; the same flags again change nothing; a new flag joins', async () => {
    const f1 = makeFlag();
    const first = await openCasesForFlags(store, [f1], clock, ctx);
    expect(first).toEqual({ opened: [CASE], joined: [], unchanged: [] });
    const v1 = (await getCase(store, CASE))!;
    const again = await openCasesForFlags(store, [f1, f1], clock, ctx);
    expect(again).toEqual({ opened: [], joined: [], unchanged: [CASE] });
    expect((await getCase(store, CASE))!.seqNo).toBe(v1.seqNo);

    const f2 = makeFlag({ articleId: 'a-2', deadline: '2026-11-20T06:00:00+07:00' });
    const other = makeFlag({ agencyId: '2025-c21340-ubnd' });
    const third = await openCasesForFlags(store, [f2, other], clock, ctx);
    expect(third.joined).toEqual([CASE]);
    expect(third.opened).toEqual([caseId('2025-c21340-ubnd', 'story-sontay')]);
    const c = (await getCase(store, CASE))!.doc;
    expect(c.flagIds).toEqual([f1.id, f2.id]);
    expect(c.deadline).toBe('2026-11-20T06:00:00+07:00');
  });

  it('ten people adding notes at once: every note lands', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `Ghi chú số ${i + 1}`);
    await Promise.all(texts.map((text, i) => addCaseNote(store, CASE, { by: `user${i}`, text }, clock)));
    const c = (await getCase(store, CASE))!.doc;
    expect(c.notes.map((n) => n.text).sort()).toEqual([...texts].sort());
    expect(c.history.filter((h) => h.action === 'ghi-chu')).toHaveLength(10);
  });

  it('a stale edit from the UI gets a ConflictError and writes nothing', async () => {
    const seen = (await getCase(store, CASE))!;
    await addCaseNote(store, CASE, { by: 'a', text: 'mới hơn' }, clock);
    await expect(addCaseNote(store, CASE, { by: 'b', text: 'cũ', expected: { seqNo: seen.seqNo, primaryTerm: seen.primaryTerm } }, clock)).rejects.toBeInstanceOf(ConflictError);
    const c = (await getCase(store, CASE))!.doc;
    expect(c.notes.map((n) => n.text)).toContain('mới hơn');
    expect(c.notes.map((n) => n.text)).not.toContain('cũ');
    // The current version is accepted.
    const now = (await getCase(store, CASE))!;
    await addCaseNote(store, CASE, { by: 'b', text: 'đúng phiên bản', expected: { seqNo: now.seqNo, primaryTerm: now.primaryTerm } }, clock);
  });

  it('two conflicting transitions at once: exactly one wins, the other is refused by the workflow', async () => {
    await transitionCase(store, CASE, { to: 'dang-xu-ly', by: 'a' }, clock, ctx);
    const results = await Promise.allSettled([
      transitionCase(store, CASE, { to: 'da-phat-ngon', by: 'a' }, clock, ctx),
      transitionCase(store, CASE, { to: 'khong-can-xu-ly', by: 'b', note: 'Không thuộc thẩm quyền' }, clock, ctx),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidTransitionError);
  });

  it('lists overdue cases and marks an outlet overdue once', async () => {
    const flag = makeFlag({ agencyId: '2025-91-so-nn-mt', storyId: 'story-x', deadline: null, ruleId: 'correction-review-false-info', kind: 'correction_review' });
    const id = caseId('2025-91-so-nn-mt', 'story-x');
    await openCasesForFlags(store, [flag], clock, ctx);
    await transitionCase(store, id, { to: 'dang-xu-ly', by: 'a' }, clock, ctx);
    await transitionCase(store, id, { to: 'da-gui-de-nghi-cai-chinh', by: 'a', at: '2026-11-20T10:00:00+07:00' }, clock, ctx);
    await store.client.indices.refresh({ index: store.names.alias('cases') });
    const before = () => new Date('2026-11-21T09:00:00+07:00');
    const after = () => new Date('2026-11-21T11:00:00+07:00');
    expect((await listCases(store, { overdue: true, agencyId: '2025-91-so-nn-mt' }, before, ctx)).map((c) => c.id)).toEqual([]);
    const overdue = await listCases(store, { overdue: true }, after, ctx);
    expect(overdue.find((c) => c.id === id)?.overdue).toEqual({ agency: false, outlet: true });
    expect(await sweepOutletOverdue(store, after, ctx, { refresh: true })).toEqual([id]);
    expect(await sweepOutletOverdue(store, after, ctx, { refresh: true })).toEqual([]);
    const c = (await getCase(store, id))!.doc;
    expect(c.outletOverdueAt).toBe('2026-11-21T11:00:00+07:00');
    expect(c.history.at(-1)!.action).toBe('bao-qua-han-cai-chinh');
  });
});
