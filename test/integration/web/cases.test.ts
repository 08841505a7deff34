import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openWebFixture, OWN_CASE, type Session, type WebFixture } from './fixture.ts';

let fx: WebFixture;
let a: Session;
let b: Session;

beforeAll(async () => {
  fx = await openWebFixture();
  a = await login(fx.app, 'theodoi');
  b = await login(fx.app, 'soyte-ag');
});
afterAll(() => fx?.close());

const get = async (s: Session) => (await fx.app.inject({ method: 'GET', url: `/api/cases/${OWN_CASE}`, headers: { cookie: s.cookie } })).json();
const post = (s: Session, action: string, payload: Record<string, unknown>) =>
  fx.app.inject({ method: 'POST', url: `/api/cases/${OWN_CASE}/${action}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload });

describe('cases', () => {
  it('changes state; a stale edit gets 409 with a Vietnamese conflict message and writes nothing', async () => {
    const seenByA = await get(a);
    const seenByB = await get(b);
    expect(seenByA.case.state).toBe('moi');
    const first = await post(a, 'transition', { to: 'dang-xu-ly', note: 'Tiếp nhận', ...seenByA.version });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().case.state).toBe('dang-xu-ly');
    // B still has the old version.
    const stale = await post(b, 'transition', { to: 'khong-can-xu-ly', note: 'Không thuộc thẩm quyền', ...seenByB.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toContain('Vụ việc vừa được người khác cập nhật');
    expect((await get(a)).case.state).toBe('dang-xu-ly');
    // With the fresh version B's edit goes through.
    const fresh = await get(b);
    const ok = await post(b, 'assign', { assignee: 'soyte-ag', ...fresh.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().case.assignee).toBe('soyte-ag');
  });

  it('refuses a transition the workflow does not allow (422) and invalid input (400)', async () => {
    const v = (await get(a)).version;
    expect((await post(a, 'transition', { to: 'moi', ...v })).statusCode).toBe(422);
    expect((await post(a, 'transition', { to: 'bay-gio', ...v })).statusCode).toBe(400);
  });

  it('generates the correction letter as DOCX and records it', async () => {
    const res = await post(a, 'letter', { format: 'docx', issuerParent: 'ỦY BAN NHÂN DÂN TỈNH AN GIANG', issuerName: 'SỞ Y TẾ', issuerShortName: 'Sở Y tế tỉnh An Giang', number: '15/SYT-VP', place: 'An Giang', claim: 'Sở giấu dịch', fact: 'Sở đã công bố dịch ngày 19/11', signerTitle: 'GIÁM ĐỐC', signerName: 'Nguyễn Văn A' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const c = (await get(a)).case;
    expect(c.letters.at(-1).number).toBe('15/SYT-VP');
  });

  it('shows the board with states and the case page with history, audited', async () => {
    const board = await fx.app.inject({ method: 'GET', url: '/cases', headers: { cookie: a.cookie } });
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('Bảng vụ việc');
    expect(board.body).toContain(`/cases/${OWN_CASE}`);
    const page = await fx.app.inject({ method: 'GET', url: `/cases/${OWN_CASE}`, headers: { cookie: a.cookie } });
    expect(page.body).toContain('Lịch sử');
    expect(page.body).toContain('Tiếp nhận');
    await fx.store.client.indices.refresh({ index: fx.store.names.alias('audit') });
    const audit = await fx.store.client.search<{ action: string; actor: string }>({ index: fx.store.names.alias('audit'), query: { term: { targetId: OWN_CASE } }, size: 50 });
    expect(audit.hits.hits.map((h) => h._source!.action)).toEqual(expect.arrayContaining(['case-transition', 'case-assign', 'case-letter']));
  });
});
