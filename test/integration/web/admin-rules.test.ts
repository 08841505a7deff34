/** Admin editing of rule files: validated with the engine's own schema, saved as an override, audited. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../../lib/paths.ts';
import { loadRegimes } from '../../../rules/legal/regimes.ts';
import { loadEffectiveRules } from '../../../web/rules-files.ts';
import { login, openWebFixture, type Session, type WebFixture } from './fixture.ts';

const FILE = '10-spokesperson.yaml';
const SHIPPED = fromRoot('rules', 'default', FILE);
const shipped = readFileSync(SHIPPED, 'utf8');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const shippedHash = sha(shipped);

let fx: WebFixture;
let admin: Session;
let monitor: Session;
let agency: Session;

beforeAll(async () => {
  fx = await openWebFixture();
  [admin, monitor, agency] = await Promise.all([login(fx.app, 'admin'), login(fx.app, 'theodoi'), login(fx.app, 'soyte-ag')]);
});
afterAll(() => fx?.close());

const save = (s: Session, yaml: string, file = FILE) =>
  fx.app.inject({ method: 'POST', url: `/api/admin/rules/${file}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { yaml } });

/** 1-based line of the first line containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('rules editing in Admin', () => {
  it('lists the shipped files and shows one in an editor', async () => {
    const list = await fx.app.inject({ method: 'GET', url: '/api/admin/rules', headers: { cookie: admin.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().files).toEqual(expect.arrayContaining([{ name: FILE, origin: 'default', hasDefault: true }]));
    const one = await fx.app.inject({ method: 'GET', url: `/api/admin/rules/${FILE}`, headers: { cookie: admin.cookie } });
    expect(one.json()).toMatchObject({ name: FILE, origin: 'default', text: shipped });
    const page = await fx.app.inject({ method: 'GET', url: `/admin/rules/${FILE}`, headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tệp mặc định kèm phần mềm');
    expect(page.body).toContain('spokesperson-hot-event');
    expect((await fx.app.inject({ method: 'GET', url: '/admin', headers: { cookie: admin.cookie } })).body).toContain(`/admin/rules/${FILE}`);
    expect((await fx.app.inject({ method: 'GET', url: '/api/admin/rules/..%2F..%2Fetc%2Fpasswd', headers: { cookie: admin.cookie } })).statusCode).toBe(400);
  });

  it('rejects broken YAML with the line number, in Vietnamese, and writes nothing', async () => {
    const broken = shipped.replace('    title: Vấn đề nóng', '    title: [Vấn đề nóng');
    const res = await save(admin, broken);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error).toBe('Tệp quy tắc không hợp lệ, chưa lưu');
    expect(body.problems[0].file).toBe(FILE);
    expect(body.problems[0].line).toBeGreaterThanOrEqual(lineOf(broken, 'title: [Vấn đề nóng'));
    expect(body.problems[0].text).toMatch(new RegExp(`^Tệp ${FILE}, dòng \\d+, cột \\d+: lỗi cú pháp YAML`));
    expect(existsSync(join(fx.storageDir, 'rules', FILE))).toBe(false);
  });

  it('rejects a rule the schema refuses, pointing at the line, with a Vietnamese message', async () => {
    const bad = shipped.replace('      kind: needs_response\n      priority: high', '      kind: can-phat-ngon\n      priority: high');
    const res = await save(admin, bad);
    expect(res.statusCode).toBe(422);
    const p = res.json().problems[0];
    expect(p.line).toBe(lineOf(bad, 'kind: can-phat-ngon'));
    expect(p.path).toBe('rules[0].then.kind');
    expect(p.message).toContain('giá trị không hợp lệ; chỉ được dùng một trong');
    expect(p.text).toBe(`Tệp ${FILE}, dòng ${p.line}, cột ${p.col}: rules[0].then.kind: ${p.message}`);
    // A rule id already used by another effective file is caught as the rules check would catch it.
    const dup = shipped.replace('- id: spokesperson-hot-event', '- id: escalate-hot-negative');
    const clash = (await save(admin, dup)).json().problems[0];
    // Files load in name order, so the later file's rule is the duplicate of the edited one.
    expect(clash.file).toBe('30-escalation.yaml');
    expect(clash.message).toBe(`mã quy tắc "escalate-hot-negative" bị trùng (đã khai báo tại ${FILE}:${lineOf(dup, '- id: escalate-hot-negative')})`);
    // Validation alone ("Chỉ kiểm tra") answers the same, and OK for the shipped text.
    const check = await fx.app.inject({ method: 'POST', url: '/api/admin/rules/validate', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: { file: FILE, yaml: bad } });
    expect(check.statusCode).toBe(422);
    expect(check.json().problems[0].line).toBe(p.line);
    const fine = await fx.app.inject({ method: 'POST', url: '/api/admin/rules/validate', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: { file: FILE, yaml: shipped } });
    expect(fine.json()).toMatchObject({ ok: true, rules: 3 });
  });

  it('forbids non-admins', async () => {
    for (const s of [monitor, agency]) {
      expect((await save(s, shipped)).statusCode).toBe(403);
      expect((await fx.app.inject({ method: 'GET', url: `/admin/rules/${FILE}`, headers: { cookie: s.cookie } })).statusCode).toBe(403);
    }
    expect(existsSync(join(fx.storageDir, 'rules', FILE))).toBe(false);
  });

  it('saves a valid edit as an override in the storage dir (never the shipped file); the next load uses it; audited', async () => {
    const regimes = loadRegimes();
    const before = loadEffectiveRules(fx.storageDir, { regimes });
    expect(before.rules.map((r) => r.id)).toContain('spokesperson-press-request');
    const edited = shipped
      .replace('title: Vấn đề nóng thuộc phạm vi quản lý — cung cấp thông tin ban đầu trong 24 giờ', 'title: Vấn đề nóng — phát ngôn trong 24 giờ (đã sửa)')
      .replace(/(- id: spokesperson-press-request\n)/, '$1    enabled: false\n');
    const res = await save(admin, edited);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().message).toContain('áp dụng từ lần kiểm tra quy tắc tiếp theo');
    const override = join(fx.storageDir, 'rules', FILE);
    expect(readFileSync(override, 'utf8')).toBe(edited);
    expect(sha(readFileSync(SHIPPED, 'utf8'))).toBe(shippedHash);

    const after = loadEffectiveRules(fx.storageDir, { regimes });
    expect(after.rules.find((r) => r.id === 'spokesperson-hot-event')?.title).toBe('Vấn đề nóng — phát ngôn trong 24 giờ (đã sửa)');
    expect(after.rules.map((r) => r.id)).not.toContain('spokesperson-press-request');
    expect(after.rules.length).toBe(before.rules.length - 1);
    expect((await fx.app.inject({ method: 'GET', url: `/api/admin/rules/${FILE}`, headers: { cookie: admin.cookie } })).json()).toMatchObject({ origin: 'override', text: edited });

    // A second save keeps the first override in the history.
    expect((await save(admin, edited.replace('(đã sửa)', '(sửa lần 2)'))).statusCode).toBe(200);
    expect(readFileSync(override, 'utf8')).toContain('(sửa lần 2)');

    await fx.store.client.indices.refresh({ index: fx.store.names.alias('audit') });
    const audit = await fx.store.client.search<{ action: string; actor: string; targetId: string; details: { before: string | null; after: string } }>({ index: fx.store.names.alias('audit'), query: { term: { action: 'rules-save' } }, size: 10 });
    const entries = audit.hits.hits.map((h) => h._source!);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.actor === 'admin' && e.targetId === FILE)).toBe(true);
    expect(entries.map((e) => e.details.before)).toContain(shippedHash);
  });

  it('restores the shipped file by removing the override', async () => {
    const res = await fx.app.inject({ method: 'DELETE', url: `/api/admin/rules/${FILE}`, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(res.statusCode, res.body).toBe(200);
    expect(existsSync(join(fx.storageDir, 'rules', FILE))).toBe(false);
    expect(loadEffectiveRules(fx.storageDir).rules.map((r) => r.id)).toContain('spokesperson-press-request');
    expect((await fx.app.inject({ method: 'DELETE', url: `/api/admin/rules/${FILE}`, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } })).statusCode).toBe(404);
  });
});
