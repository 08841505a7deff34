/**
 * The web app: a Fastify server with server-rendered Vietnamese pages and a JSON API. Every route is
 * declared through defineRoute (zod-validated, listed in /api/openapi.json) and passes the auth hook.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { CaseNotFoundError } from '../rules/cases/repo.ts';
import { InvalidTransitionError } from '../rules/cases/workflow.ts';
import { ConflictError } from '../store/occ.ts';
import type { App } from './app-types.ts';
import { isApi, registerAuthHooks } from './auth/hooks.ts';
import type { WebDeps } from './deps.ts';
import { openApiDocument } from './openapi.ts';
import { HttpError, RouteRegistry, defineRoute } from './route.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerArticleRoutes } from './routes/articles.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerCaseRoutes } from './routes/cases.ts';
import { registerDigestRoutes } from './routes/digests.ts';
import { registerReportRoutes } from './routes/reports.ts';
import { registerSearchRoutes } from './routes/search.ts';
import { registerSourceRoutes } from './routes/sources.ts';
import { CONFLICT_MESSAGE, warmLabels } from './views/labels.ts';
import { errorPage } from './views/layout.ts';
import { spoolStatus } from '../store/spool.ts';

/** Never log credentials, cookies or tokens (request bodies are not logged at all). */
export const REDACT = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', 'password', '*.password', 'passwordHash', '*.passwordHash', 'csrf', '*.csrf', 'token', '*.token'];

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');

export async function buildApp(deps: WebDeps): Promise<{ app: FastifyInstance; registry: RouteRegistry }> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'web' }, { redact: { paths: REDACT, censor: '[redacted]' } }) as FastifyBaseLogger,
    // X-Forwarded-Proto from the local TLS proxy decides the Secure cookie flag.
    trustProxy: deps.trustProxy ?? 'loopback',
    bodyLimit: 4 * 1024 * 1024,
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(rateLimit, { global: false });
  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', maxAge: '1h' });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  });

  registerAuthHooks(app, deps);
  // Agency and province names come from the registry: read it now rather than on the first page view.
  warmLabels();

  app.setErrorHandler((err, req, reply) => {
    let status = 500;
    let message = 'Lỗi hệ thống, vui lòng thử lại sau';
    let details: unknown;
    const e = err as Error & { statusCode?: number };
    if (err instanceof HttpError) [status, message, details] = [err.statusCode, err.message, err.details];
    else if (err instanceof ConflictError) [status, message] = [409, CONFLICT_MESSAGE];
    else if (err instanceof CaseNotFoundError) [status, message] = [404, 'Không tìm thấy vụ việc'];
    else if (err instanceof InvalidTransitionError) [status, message] = [422, `Không thể chuyển trạng thái: ${err.message}`];
    else if (e.statusCode === 429) [status, message] = [429, 'Quá nhiều lần thử, vui lòng đợi một phút rồi thử lại'];
    else if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) [status, message] = [e.statusCode, 'Yêu cầu không hợp lệ'];
    if (status >= 500) req.log.error({ err }, 'request failed');
    const wantsHtml = !isApi(req) && req.method === 'GET';
    if (wantsHtml) return reply.code(status).type('text/html; charset=utf-8').send(errorPage(req.principal, req.session?.csrf ?? null, status, message));
    return reply.code(status).send({ error: message, ...(details ? { details } : {}), ...(status === 409 ? { conflict: true } : {}) });
  });

  const registry = new RouteRegistry();
  const ctx: App = { app, registry, deps };
  registerAuthRoutes(ctx);
  registerSearchRoutes(ctx);
  registerArticleRoutes(ctx);
  registerCaseRoutes(ctx);
  registerDigestRoutes(ctx);
  registerReportRoutes(ctx);
  registerSourceRoutes(ctx);
  registerAdminRoutes(ctx);
  defineRoute(app, registry, { method: 'GET', url: '/', summary: 'Trang chủ', roles: ['admin', 'monitor', 'agency'] }, async ({ reply }) => reply.redirect('/search'));
  defineRoute(app, registry, { method: 'GET', url: '/api/openapi.json', summary: 'Tài liệu OpenAPI 3 của API', tag: 'meta', roles: 'public' }, async () => openApiDocument(registry));
  // Health includes Elasticsearch: without it nothing can be searched or written, and a load balancer or
  // the operator should see that at once (503) rather than a green light.
  // The outage spool (records processed while Elasticsearch was away, waiting on disk) is part of it too.
  defineRoute(app, registry, { method: 'GET', url: '/healthz', summary: 'Kiểm tra sống (kèm trạng thái Elasticsearch và hàng đợi ghi tạm)', roles: 'public' }, async ({ reply }) => {
    const s = spoolStatus(deps.storageDir);
    const spool = { records: s.spooled, oldestAt: s.oldestAt, deadSegments: s.deadSegments };
    try {
      const health = await deps.store.client.cluster.health({ timeout: '2s' }, { requestTimeout: 3000, maxRetries: 0 });
      return { ok: health.status !== 'red', elasticsearch: health.status, spool };
    } catch {
      return reply.code(503).send({ ok: false, elasticsearch: 'unreachable', spool });
    }
  });
  return { app, registry };
}
