import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, nextIp, openWebFixture, OWN_CASE, PASSWORD, type WebFixture } from './fixture.ts';

let fx: WebFixture;
beforeAll(async () => {
  fx = await openWebFixture({ loginMax: 3 });
});
afterAll(() => fx?.close());

describe('login, sessions and CSRF', () => {
  it('sets an httpOnly SameSite=Lax session cookie, Secure only behind TLS', async () => {
    const form = await fx.app.inject({ method: 'GET', url: '/login' });
    expect(form.body).toContain('Đăng nhập');
    const lcsrf = form.cookies.find((c) => c.name === 'pm_lcsrf')!.value;
    const post = (headers: Record<string, string>, remoteAddress = nextIp()) =>
      fx.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pm_lcsrf=${lcsrf}`, ...headers },
        payload: new URLSearchParams({ username: 'theodoi', password: PASSWORD, _csrf: lcsrf }).toString(),
      });
    const plain = await post({});
    expect(plain.statusCode).toBe(303);
    const c = plain.cookies.find((x) => x.name === 'pm_sid')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.secure).toBeFalsy();
    // X-Forwarded-Proto counts only from the trusted (loopback) proxy, not from any client.
    const tls = await post({ 'x-forwarded-proto': 'https' }, '127.0.0.1');
    expect(tls.cookies.find((x) => x.name === 'pm_sid')!.secure).toBe(true);
    const spoofed = await post({ 'x-forwarded-proto': 'https' });
    expect(spoofed.cookies.find((x) => x.name === 'pm_sid')!.secure).toBeFalsy();
  });

  it('refuses a wrong password and a form without the login token', async () => {
    const bad = await fx.app.inject({ method: 'POST', url: '/login', remoteAddress: nextIp(), payload: { username: 'admin', password: 'sai-mat-khau' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.cookies.find((c) => c.name === 'pm_sid')).toBeUndefined();
    const noToken = await fx.app.inject({ method: 'POST', url: '/login', remoteAddress: nextIp(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `username=admin&password=${PASSWORD}` });
    expect(noToken.statusCode).toBe(403);
  });

  it('rejects state-changing requests without the session CSRF token', async () => {
    const s = await login(fx.app, 'admin');
    const without = await fx.app.inject({ method: 'POST', url: `/api/cases/${OWN_CASE}/notes`, headers: { cookie: s.cookie }, payload: { text: 'không có mã' } });
    expect(without.statusCode).toBe(403);
    const wrong = await fx.app.inject({ method: 'POST', url: `/api/cases/${OWN_CASE}/notes`, headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) }, payload: { text: 'sai mã' } });
    expect(wrong.statusCode).toBe(403);
    const right = await fx.app.inject({ method: 'POST', url: `/api/cases/${OWN_CASE}/notes`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { text: 'đúng mã' } });
    expect(right.statusCode).toBe(200);
    const logout = await fx.app.inject({ method: 'POST', url: '/logout', headers: { cookie: s.cookie }, payload: {} });
    expect(logout.statusCode).toBe(403);
  });

  it('logout ends the session', async () => {
    const s = await login(fx.app, 'theodoi');
    const out = await fx.app.inject({ method: 'POST', url: '/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, accept: 'application/json' }, payload: {} });
    expect(out.statusCode).toBe(200);
    expect((await fx.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    const page = await fx.app.inject({ method: 'GET', url: '/search', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toMatch(/^\/login/);
  });

  it('renders every page in Vietnamese for the roles allowed to see it', async () => {
    const admin = await login(fx.app, 'admin');
    const agency = await login(fx.app, 'soyte-ag');
    for (const url of ['/search', '/cases', '/digests', '/reports', '/reports?nd244Year=2026', '/sources', '/admin', '/admin/rules/10-spokesperson.yaml']) {
      const res = await fx.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<html lang="vi">');
      expect(res.body).toContain('Đăng xuất');
    }
    expect((await fx.app.inject({ method: 'GET', url: '/sources', headers: { cookie: admin.cookie } })).body).toContain('mau-baoangiang');
    expect((await fx.app.inject({ method: 'GET', url: '/admin', headers: { cookie: agency.cookie } })).statusCode).toBe(403);
    expect((await fx.app.inject({ method: 'GET', url: '/sources', headers: { cookie: agency.cookie } })).statusCode).toBe(403);
  });

  it('serves the OpenAPI document', async () => {
    const res = await fx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/cases/{id}/transition');
  });

  it('rate-limits login attempts per IP (429 after the limit)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await fx.app.inject({ method: 'POST', url: '/login', remoteAddress: '10.9.9.9', payload: { username: 'admin', password: `sai-${i}` } });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
  });
});
