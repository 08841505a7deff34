/**
 * Authentication, authorization and CSRF for every route, enforced server-side in one place:
 * onRequest loads the session (cookie → `sessions` → `users`, so a deactivated user is out at once);
 * preHandler refuses anonymous callers (401 / redirect to the login page), callers whose role the route
 * does not allow (403), and state-changing requests without the session's CSRF token (403).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebDeps } from '../deps.ts';
import { HttpError } from '../route.ts';
import { getSession, SESSION_COOKIE } from './sessions.ts';
import { getUser, toPrincipal } from './users.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isApi = (req: FastifyRequest) => req.url.startsWith('/api/');

export function sameToken(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerAuthHooks(app: FastifyInstance, deps: WebDeps): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/static/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await getSession(deps.store, token, deps.clock());
    if (!session) return;
    const user = await getUser(deps.store, session.username);
    if (!user?.active) return;
    req.session = session;
    req.sessionToken = token;
    req.principal = toPrincipal(user);
  });

  app.addHook('preHandler', async (req, reply) => {
    const { roles, csrfExempt } = req.routeOptions.config;
    if (!roles || roles === 'public') return;
    if (!req.principal) {
      if (isApi(req) || !SAFE_METHODS.has(req.method)) throw new HttpError(401, 'Chưa đăng nhập');
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
    }
    if (!roles.includes(req.principal.role)) throw new HttpError(403, 'Bạn không có quyền truy cập chức năng này');
    if (!SAFE_METHODS.has(req.method) && !csrfExempt) {
      const body = req.body as Record<string, unknown> | null | undefined;
      const header = req.headers['x-csrf-token'];
      const sent = typeof header === 'string' ? header : typeof body?._csrf === 'string' ? body._csrf : null;
      if (!sameToken(sent, req.session?.csrf)) throw new HttpError(403, 'Mã chống giả mạo yêu cầu (CSRF) không hợp lệ; vui lòng tải lại trang');
      if (body && typeof body === 'object' && '_csrf' in body) delete body._csrf;
    }
  });
}
