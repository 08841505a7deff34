import { log as crawleeLog, Logger, LogLevel } from '@crawlee/core';
import type { Logger as Pino } from '../../lib/log.ts';

/** Crawlee logs through @apify/log to stdout; route it to our pino logger on stderr instead. */
class PinoBridge extends Logger {
  constructor(
    options: Record<string, unknown>,
    private readonly pino: Pino,
  ) {
    super(options);
  }

  override _log(level: LogLevel, message: string, data?: Record<string, unknown>, exception?: Error): void {
    const fields = { component: 'crawlee', ...data, ...(exception ? { error: exception.message } : {}) };
    if (level <= LogLevel.ERROR) this.pino.error(fields, message);
    else if (level === LogLevel.WARNING) this.pino.warn(fields, message);
    else if (level >= LogLevel.DEBUG) this.pino.debug(fields, message);
    else this.pino.info(fields, message);
  }
}

let bridged = false;
export function bridgeCrawleeLogs(pino: Pino): void {
  if (bridged) return;
  bridged = true;
  crawleeLog.setOptions({ logger: new PinoBridge(crawleeLog.getOptions() as Record<string, unknown>, pino), level: LogLevel.WARNING });
}
