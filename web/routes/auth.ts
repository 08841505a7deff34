/** Login, logout and "who am I". */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit } from '../audit.ts';
import { sameToken } from '../auth/hooks.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { createSession, deleteSession, LOGIN_CSRF_COOKIE, newToken, SESSION_COOKIE } from '../auth/sessions.ts';
import { getUser, toPrincipal } from '../auth/users.ts';
import type { App } from '../app-types.ts';
import { defineRoute } from '../route.ts';
import { loginPage } from '../views/login.ts';

const ALL = ['admin', 'monitor', 'agency'] as const;
const SafeNext = z
  .string()
  .max(500)
  .refine((s) => s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\'), 'next must be a site path')
  .catch('/search');

export const secure = (req: FastifyRequest) => req.protocol === 'https';

function cookieOpts(req: FastifyRequest, maxAgeSec?: number, path = '/') {
  return { httpOnly: true, sameSite: 'lax' as const, secure: secure(req), path, ...(maxAgeSec ? { maxAge: maxAgeSec } : {}) };
}

let dummyHash: Promise<string> | null = null;

export function registerAuthRoutes({ app, registry, deps }: App): void {
  const ttl = deps.sessionTtlMs ?? 12 * 3600_000;

  const showLogin = (req: FastifyRequest, reply: FastifyReply, next: string, error: string | null, status = 200) => {
    // Login CSRF: a pre-session double-submit token (no session exists yet to hold a synchronizer token).
    const token = newToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, token, { ...cookieOpts(req, 600, '/login'), sameSite: 'strict' });
    return reply.code(status).type('text/html; charset=utf-8').send(loginPage(token, next, error));
  };

  defineRoute(app, registry, { method: 'GET', url: '/login', summary: 'Trang đăng nhập', roles: 'public', query: z.object({ next: SafeNext.optional() }) }, async ({ req, reply, query }) => {
    if (req.principal) return reply.redirect(query.next ?? '/search');
    return showLogin(req, reply, query.next ?? '/search', null);
  });

  defineRoute(
    app,
    registry,
    {
      method: 'POST',
      url: '/login',
      summary: 'Đăng nhập (form hoặc JSON); giới hạn số lần thử theo IP',
      tag: 'auth',
      roles: 'public',
      csrfExempt: true,
      rateLimit: deps.loginRateLimit ?? { max: 10, timeWindow: 60_000 },
      body: z.object({ username: z.string().trim().toLowerCase().min(1).max(60), password: z.string().min(1).max(200), _csrf: z.string().max(200).optional(), next: SafeNext.optional() }),
    },
    async ({ req, reply, body }) => {
      const next = body.next ?? '/search';
      const isJson = (req.headers['content-type'] ?? '').includes('application/json');
      // Forms must carry the login token; JSON clients cannot be driven by a cross-site form (CORS preflight).
      if (!isJson && !sameToken(body._csrf, req.cookies[LOGIN_CSRF_COOKIE])) return showLogin(req, reply, next, 'Phiên đăng nhập đã hết hạn, vui lòng thử lại.', 403);
      const user = await getUser(deps.store, body.username);
      // Same work whether or not the user exists, so timing does not reveal valid user names.
      const ok = user?.active ? await verifyPassword(body.password, user.passwordHash) : (await verifyPassword(body.password, await (dummyHash ??= hashPassword('dummy-password'))), false);
      const now = deps.clock();
      if (!ok || !user) {
        await audit(deps.store, { username: body.username, role: null }, { action: 'login-failed', targetType: 'user', targetId: body.username }, now);
        if (isJson) return reply.code(401).send({ error: 'Sai tên đăng nhập hoặc mật khẩu' });
        return showLogin(req, reply, next, 'Sai tên đăng nhập hoặc mật khẩu.', 401);
      }
      const { token, session } = await createSession(deps.store, user.username, now, ttl);
      await audit(deps.store, toPrincipal(user), { action: 'login', targetType: 'user', targetId: user.username, agencyId: user.agencyId }, now);
      reply.setCookie(SESSION_COOKIE, token, cookieOpts(req, Math.floor(ttl / 1000)));
      reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      if (isJson) return reply.send({ user: toPrincipal(user), csrf: session.csrf });
      return reply.code(303).redirect(next);
    },
  );

  defineRoute(app, registry, { method: 'POST', url: '/logout', summary: 'Đăng xuất', tag: 'auth', roles: [...ALL], body: z.object({}).loose() }, async ({ req, reply }) => {
    if (req.sessionToken) await deleteSession(deps.store, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (req.headers.accept?.includes('application/json')) return reply.send({ ok: true });
    return reply.code(303).redirect('/login');
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/me', summary: 'Người dùng hiện tại và mã CSRF của phiên', tag: 'auth', roles: [...ALL] }, async ({ principal, req }) => ({ user: principal, csrf: req.session?.csrf }));
}
