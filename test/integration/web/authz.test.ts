/**
 * The authorization matrix: every API route × role × own/other agency → expected status. The last test
 * checks that the matrix covers every API route the server declares, so a new route cannot skip it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openWebFixture, OTHER, OTHER_ARTICLE, OTHER_CASE, OWN, OWN_ARTICLE, OWN_CASE, type Session, type WebFixture } from './fixture.ts';

type Who = 'anon' | 'admin' | 'monitor' | 'agency';
interface Row {
  method: 'GET' | 'POST' | 'DELETE';
  route: string;
  url: string;
  body?: Record<string, unknown>;
  expect: Record<Who, number>;
}

let fx: WebFixture;
const sessions: Partial<Record<Who, Session>> = {};
let n = 0;
const uniq = () => `nguoidung${++n}${Date.now() % 100000}`;
const letter = { format: 'docx', issuerName: 'SỞ Y TẾ', issuerShortName: 'Sở Y tế', number: ' /SYT-VP', place: 'An Giang', claim: 'Sai', fact: 'Đúng', signerTitle: 'GIÁM ĐỐC', signerName: 'Nguyễn Văn A' };

const all = (code: number, anon = 401): Record<Who, number> => ({ anon, admin: code, monitor: code, agency: code });
const staffOnly = (code: number): Record<Who, number> => ({ anon: 401, admin: code, monitor: code, agency: 403 });
const adminOnly = (code: number): Record<Who, number> => ({ anon: 401, admin: code, monitor: 403, agency: 403 });
const ownOnly = (code: number): Record<Who, number> => ({ anon: 401, admin: code, monitor: code, agency: 404 });

const MATRIX: Row[] = [
  { method: 'GET', route: '/api/me', url: '/api/me', expect: all(200) },
  { method: 'GET', route: '/api/search', url: '/api/search?q=y+te', expect: all(200) },
  { method: 'GET', route: '/api/search/export.csv', url: '/api/search/export.csv', expect: all(200) },
  { method: 'GET', route: '/api/search/export.xlsx', url: '/api/search/export.xlsx', expect: all(200) },
  { method: 'POST', route: '/api/subscriptions', url: '/api/subscriptions', body: { name: 'Dịch bệnh', q: 'dich benh', agencyId: OWN }, expect: all(201) },
  { method: 'GET', route: '/api/articles/:id', url: `/api/articles/${OWN_ARTICLE.id}`, expect: all(200) },
  { method: 'GET', route: '/api/articles/:id', url: `/api/articles/${OTHER_ARTICLE.id}`, expect: ownOnly(200) },
  { method: 'GET', route: '/api/cases', url: '/api/cases', expect: all(200) },
  { method: 'GET', route: '/api/cases/:id', url: `/api/cases/${OWN_CASE}`, expect: all(200) },
  { method: 'GET', route: '/api/cases/:id', url: `/api/cases/${OTHER_CASE}`, expect: ownOnly(200) },
  // A stale version: 409 proves the caller got past authorization; out of scope stays 404.
  { method: 'POST', route: '/api/cases/:id/transition', url: `/api/cases/${OWN_CASE}/transition`, body: { to: 'dang-xu-ly', seqNo: 999999, primaryTerm: 1 }, expect: all(409) },
  { method: 'POST', route: '/api/cases/:id/transition', url: `/api/cases/${OTHER_CASE}/transition`, body: { to: 'dang-xu-ly', seqNo: 999999, primaryTerm: 1 }, expect: ownOnly(409) },
  { method: 'POST', route: '/api/cases/:id/assign', url: `/api/cases/${OTHER_CASE}/assign`, body: { assignee: 'x', seqNo: 999999, primaryTerm: 1 }, expect: ownOnly(409) },
  { method: 'POST', route: '/api/cases/:id/notes', url: `/api/cases/${OWN_CASE}/notes`, body: { text: 'Ghi chú kiểm thử' }, expect: all(200) },
  { method: 'POST', route: '/api/cases/:id/notes', url: `/api/cases/${OTHER_CASE}/notes`, body: { text: 'Ghi chú kiểm thử' }, expect: ownOnly(200) },
  { method: 'POST', route: '/api/cases/:id/letter', url: `/api/cases/${OWN_CASE}/letter`, body: letter, expect: all(200) },
  { method: 'POST', route: '/api/cases/:id/letter', url: `/api/cases/${OTHER_CASE}/letter`, body: letter, expect: ownOnly(200) },
  { method: 'POST', route: '/api/cases/:id/correction', url: `/api/cases/${OWN_CASE}/correction`, body: { url: 'https://baoangiang.example.vn/cai-chinh.html', seqNo: 999999, primaryTerm: 1 }, expect: all(409) },
  { method: 'POST', route: '/api/cases/:id/correction', url: `/api/cases/${OTHER_CASE}/correction`, body: { url: 'https://baoangiang.example.vn/cai-chinh.html', seqNo: 999999, primaryTerm: 1 }, expect: ownOnly(409) },
  { method: 'GET', route: '/api/digests', url: '/api/digests', expect: all(200) },
  // Agency users generate their own agency's digest only; staff any province or agency.
  { method: 'POST', route: '/api/digests/generate', url: '/api/digests/generate', body: { date: '2026-11-21', agencyId: OWN, formats: 'html' }, expect: all(201) },
  { method: 'POST', route: '/api/digests/generate', url: '/api/digests/generate', body: { date: '2026-11-21', agencyId: OTHER, formats: 'html' }, expect: { anon: 401, admin: 201, monitor: 201, agency: 403 } },
  { method: 'GET', route: '/api/digests/:id/:format', url: '/api/digests/own-digest/html', expect: all(200) },
  { method: 'GET', route: '/api/digests/:id/:format', url: '/api/digests/other-digest/html', expect: ownOnly(200) },
  { method: 'GET', route: '/api/reports', url: `/api/reports?agency=${OTHER}`, expect: all(200) },
  { method: 'GET', route: '/api/reports/export.xlsx', url: '/api/reports/export.xlsx', expect: all(200) },
  { method: 'GET', route: '/api/sources', url: '/api/sources', expect: staffOnly(200) },
  { method: 'GET', route: '/api/alerts', url: '/api/alerts', expect: all(200) },
  { method: 'GET', route: '/api/admin/users', url: '/api/admin/users', expect: adminOnly(200) },
  { method: 'POST', route: '/api/admin/users', url: '/api/admin/users', body: { displayName: 'Người mới', role: 'monitor', password: 'mat-khau-dai-du' }, expect: adminOnly(201) },
  { method: 'POST', route: '/api/admin/users/:username/active', url: '/api/admin/users/theodoi/active', body: { active: true }, expect: adminOnly(200) },
  { method: 'POST', route: '/api/admin/directory', url: '/api/admin/directory', body: { yaml: 'khong: hop le' }, expect: adminOnly(422) },
  { method: 'POST', route: '/api/admin/rules/validate', url: '/api/admin/rules/validate', body: { yaml: 'rules: [' }, expect: adminOnly(422) },
  { method: 'GET', route: '/api/admin/rules', url: '/api/admin/rules', expect: adminOnly(200) },
  { method: 'GET', route: '/api/admin/rules/:name', url: '/api/admin/rules/10-spokesperson.yaml', expect: adminOnly(200) },
  // Invalid YAML: 422 proves the admin got past authorization without changing the rules.
  { method: 'POST', route: '/api/admin/rules/:name', url: '/api/admin/rules/10-spokesperson.yaml', body: { yaml: 'rules: [' }, expect: adminOnly(422) },
  { method: 'DELETE', route: '/api/admin/rules/:name', url: '/api/admin/rules/10-spokesperson.yaml', expect: adminOnly(404) },
  { method: 'GET', route: '/api/admin/audit', url: '/api/admin/audit', expect: adminOnly(200) },
  { method: 'GET', route: '/api/openapi.json', url: '/api/openapi.json', expect: all(200, 200) },
];

beforeAll(async () => {
  fx = await openWebFixture();
  sessions.admin = await login(fx.app, 'admin');
  sessions.monitor = await login(fx.app, 'theodoi');
  sessions.agency = await login(fx.app, 'soyte-ag');
});
afterAll(() => fx?.close());

describe('authorization matrix', () => {
  for (const row of MATRIX) {
    for (const who of ['anon', 'admin', 'monitor', 'agency'] as const) {
      it(`${row.method} ${row.url} as ${who} → ${row.expect[who]}`, async () => {
        const s = sessions[who];
        const body = row.body && row.route === '/api/admin/users' ? { ...row.body, username: uniq() } : row.body;
        const res = await fx.app.inject({
          method: row.method,
          url: row.url,
          headers: s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {},
          ...(body ? { payload: body } : {}),
        });
        expect(res.statusCode, res.body.slice(0, 300)).toBe(row.expect[who]);
      });
    }
  }

  it('agency users only ever see their own agency in lists and reports', async () => {
    const h = { cookie: sessions.agency!.cookie };
    const cases = (await fx.app.inject({ method: 'GET', url: `/api/cases?agency=${OTHER}`, headers: h })).json().cases as Array<{ agencyId: string }>;
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => c.agencyId === OWN)).toBe(true);
    const search = (await fx.app.inject({ method: 'GET', url: `/api/search?q=agency:${OTHER}`, headers: h })).json();
    expect(search.total.articles).toBe(0);
    const all = (await fx.app.inject({ method: 'GET', url: '/api/search', headers: h })).json();
    expect(all.rows.every((r: { article: { agencies: Array<{ id: string }> } }) => r.article.agencies.some((a) => a.id === OWN))).toBe(true);
    const report = (await fx.app.inject({ method: 'GET', url: `/api/reports?agency=${OTHER}`, headers: h })).json();
    expect(report.agency).toBe(OWN);
    const csv = (await fx.app.inject({ method: 'GET', url: '/api/search/export.csv', headers: h })).body;
    expect(csv).not.toContain('Quảng Ngãi');
    const digests = (await fx.app.inject({ method: 'GET', url: '/api/digests', headers: h })).json().digests as Array<{ agencyId: string }>;
    // The matrix generated more digests (own and other agency); the agency user still sees only its own.
    expect([...new Set(digests.map((d) => d.agencyId))]).toEqual([OWN]);
    const page = await fx.app.inject({ method: 'GET', url: `/cases/${OTHER_CASE}`, headers: h });
    expect(page.statusCode).toBe(404);
  });

  it('covers every API route the server declares', () => {
    const declared = fx.registry.specs.filter((s) => s.url.startsWith('/api/')).map((s) => `${s.method} ${s.url}`);
    const covered = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
    expect(declared.filter((d) => !covered.has(d))).toEqual([]);
  });
});
