import type { FastifyInstance } from 'fastify';
import type { WebDeps } from './deps.ts';
import type { RouteRegistry } from './route.ts';

/** What each routes file receives. */
export interface App {
  app: FastifyInstance;
  registry: RouteRegistry;
  deps: WebDeps;
}
