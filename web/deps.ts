/** Everything the web app needs from outside, passed in so handlers are testable (store, clock, files). */
import type { Logger } from '../lib/log.ts';
import type { CaseContext } from '../rules/cases/context.ts';
import type { Store } from '../store/es.ts';

export interface WebDeps {
  store: Store;
  clock: () => Date;
  log: Logger;
  /** Storage dir: evidence files, archived digests, letters (paths in documents are relative to it or absolute under it). */
  storageDir: string;
  /** Crawl state files (one JSON per source) for the Sources page. */
  crawlStateDirs: string[];
  caseContext?: CaseContext;
  /** Login attempts per IP and window (POST /login). */
  loginRateLimit?: { max: number; timeWindow: number };
  sessionTtlMs?: number;
  /** Local time the digest period ends (config notify.digestTime); default 07:00. */
  digestTime?: string;
  /** Trust X-Forwarded-* from these proxies (Secure cookies behind a TLS proxy); default loopback. */
  trustProxy?: boolean | string;
}
