/**
 * One way to declare a route: method, URL, roles, zod schemas for params/query/body, and a handler that
 * only ever sees validated input. The same declarations generate the OpenAPI document, so the document
 * cannot drift from what the server accepts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal, Role } from './auth/principal.ts';
import type { Session } from './auth/sessions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; 'public' skips authentication. Routes without it (static files) are public. */
    roles?: Role[] | 'public';
    /** Only POST /login (it has its own pre-session token). */
    csrfExempt?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    session: Session | null;
    sessionToken: string | null;
  }
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  summary: string;
  roles: Role[] | 'public';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Response media types for the OpenAPI document (default application/json). */
  produces?: string[];
  csrfExempt?: boolean;
  /** Per-route rate limit (@fastify/rate-limit), e.g. POST /login. */
  rateLimit?: { max: number; timeWindow: number };
  tag?: string;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface Ctx<S extends RouteSpec> {
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
  /** Non-null on every non-public route (the auth hook refused the request otherwise). */
  principal: Principal;
  req: FastifyRequest;
  reply: FastifyReply;
}

export class RouteRegistry {
  readonly specs: RouteSpec[] = [];
}

function parse<T extends z.ZodType | undefined>(schema: T, value: unknown, where: string): Out<T> {
  if (!schema) return undefined as Out<T>;
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    throw new HttpError(400, `Dữ liệu không hợp lệ (${where})`, r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return r.data as Out<T>;
}

export function defineRoute<S extends RouteSpec>(app: FastifyInstance, registry: RouteRegistry, spec: S, handler: (ctx: Ctx<S>) => Promise<unknown>): void {
  registry.specs.push(spec);
  app.route({
    method: spec.method,
    url: spec.url,
    config: { roles: spec.roles, ...(spec.csrfExempt ? { csrfExempt: true } : {}), ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}) },
    handler: async (req, reply) => {
      const ctx = {
        params: parse(spec.params, req.params, 'params'),
        query: parse(spec.query, req.query, 'query'),
        body: parse(spec.body, req.body, 'body'),
        principal: req.principal as Principal,
        req,
        reply,
      } as Ctx<S>;
      return handler(ctx);
    },
  });
}

/** Query-string values that may repeat (`?agency=a&agency=b`) or come comma-separated. */
export const multi = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)))
  .pipe(z.array(z.string().max(200)).max(50));
