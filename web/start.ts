import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/es.ts';
import { buildApp } from './app.ts';
import { ROLE_LABEL, type Role } from './auth/principal.ts';
import { refreshSeedPasswords, seedUsers } from './seed.ts';

export interface RunningWebApp {
  url: string;
  /** Accounts created on this start (first start only; every start with demoLogins), with their one-time passwords. */
  created: Array<{ username: string; role: string; password: string }>;
  close(): Promise<void>;
}

/** Seed the demo users when there are none, then serve the UI and API (used by `serve` and `demo`). */
export async function startWebApp(
  store: Store,
  config: Config,
  log: Logger,
  opts: { port: number; host: string; seed?: string; clock?: () => Date; demoLogins?: boolean },
): Promise<RunningWebApp> {
  const clock = opts.clock ?? (() => new Date());
  const created = opts.demoLogins ? await refreshSeedPasswords(store, clock(), opts.seed) : await seedUsers(store, clock(), opts.seed);
  const storageDir = resolve(config.storageDir);
  const { app } = await buildApp({
    store,
    clock,
    log,
    storageDir,
    crawlStateDirs: [resolve(storageDir, 'crawl-state'), resolve(storageDir, 'demo', 'crawl-state')],
    ...(config.notify?.digestTime ? { digestTime: config.notify.digestTime } : {}),
  });
  await app.listen({ port: opts.port, host: opts.host });
  return { url: `http://${opts.host}:${opts.port}/`, created, close: () => app.close() };
}

/** Written straight to stderr by callers, never through the logger: logs must not hold passwords. */
export function accountsText(created: RunningWebApp['created']): string {
  return created.length
    ? `Tài khoản thử nghiệm (mật khẩu chỉ hiện một lần):\n${created.map((u) => `  ${u.username.padEnd(16)} ${(ROLE_LABEL[u.role as Role] ?? u.role).padEnd(16)} ${u.password}`).join('\n')}`
    : 'Tài khoản thử nghiệm đã được tạo ở lần chạy trước (đổi mật khẩu trong mục Quản trị).';
}
