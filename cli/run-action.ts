import { ZodError } from 'zod';
import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { EsUnreachableError } from '../store/es.ts';
import { LocalNodeError } from '../store/local-node/node.ts';

export interface CommandContext {
  config: Config;
  log: Logger;
  /** Write the command's own output (stdout); logs go to stderr. */
  out(text: string): void;
}

/** Errors a user can act on: printed as one clear message, no stack trace. */
const EXIT_CODES: Array<[new (...args: never[]) => Error, number]> = [
  [ConfigError, 2],
  [ZodError, 2],
  [EsUnreachableError, 3],
  [LocalNodeError, 3],
];

export class UsageError extends Error {}

export function exitCodeFor(err: unknown): number | null {
  if (err instanceof UsageError) return 64;
  for (const [type, code] of EXIT_CODES) if (err instanceof type) return code;
  return null;
}

/** Wrap a command action: load config once, give it a logger, turn known errors into clean exits. */
export function action<A extends unknown[]>(
  fn: (ctx: CommandContext, ...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code = 0;
    try {
      const config = loadConfig();
      const log = createLogger('monitor', config.logLevel);
      const result = await fn({ config, log, out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`) }, ...args);
      code = typeof result === 'number' ? result : 0;
    } catch (err) {
      const known = exitCodeFor(err);
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`error: ${message}\n`);
      if (known === null && process.env.DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
      code = known ?? 1;
    }
    process.exitCode = code;
  };
}
