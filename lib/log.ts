import pino from 'pino';

/**
 * Structured logs go to stderr so that stdout stays reserved for a command's own output
 * (JSONL, JSON, tables) and can be piped.
 */
export type Logger = pino.Logger;

export function createLogger(name = 'monitor', level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { name } }, pino.destination({ fd: 2, sync: true }));
}

export const log: Logger = createLogger();
