import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { crawl } from '../crawlers/crawl.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import type { Logger } from '../lib/log.ts';
import type { RawArticle } from '../model/records.ts';
import { runAlerts } from '../notify/run.ts';
import { recheckOpenCases } from '../rules/cases/evidence.ts';
import { sweepOutletOverdue } from '../rules/cases/query.ts';
import { ingest } from './ingest.ts';
import { Scheduler } from './scheduler.ts';
import { openIngest } from './setup.ts';

export interface RunOptions {
  sources: Source[];
  stateDir?: string;
  /** Stop after this many loop turns (tests); forever by default. */
  maxTurns?: number;
  now?: () => Date;
  onTurn?: (line: string) => void;
  signal?: AbortSignal;
  /** How often flagged articles are re-fetched for edits and removals, and outlet deadlines swept (ms). */
  recheckEveryMs?: number;
}

export const DEFAULT_RECHECK_MS = 6 * 3_600_000;

/**
 * The long-running monitor: crawl each source when the scheduler says it is due, run the batch through the
 * pipeline, rules and index, then match and deliver alerts. A source's failure only slows that source.
 * Stops between turns on abort (SIGINT/SIGTERM in the CLI), never in the middle of writing a batch.
 */
export async function runMonitor(config: Config, log: Logger, opts: RunOptions): Promise<void> {
  const now = opts.now ?? (() => new Date());
  const deps = await openIngest(config, log, opts.sources, { now });
  const scheduler = new Scheduler(opts.sources, now().getTime());
  const stateDir = opts.stateDir ?? resolve(config.storageDir, 'crawl-state');
  let lastRecheck = now().getTime();
  try {
    for (let turn = 1; !opts.signal?.aborted && (opts.maxTurns === undefined || turn <= opts.maxTurns); turn++) {
      const due = scheduler.due(now().getTime());
      if (due.length > 0) {
        const batch: RawArticle[] = [];
        const summaries = await crawl(due, { stateDir, log, now, sink: async (a) => void batch.push(a) });
        for (const s of summaries) scheduler.record(s, now().getTime());
        const result = await ingest(batch, deps);
        const alerts = await runAlerts({ store: deps.store, config, log, now }).catch((err: Error) => {
          log.error({ error: err.message }, 'alerts failed; they stay pending for the next turn');
          return null;
        });
        opts.onTurn?.(
          `[${now().toISOString()}] ${due.length} source(s) crawled, ${batch.length} article(s), ${result.flags} flag(s), ${result.cases.opened.length} new case(s), ${alerts ? `${alerts.matches} alert match(es)` : 'alerts pending'}`,
        );
      }
      if (now().getTime() - lastRecheck >= (opts.recheckEveryMs ?? DEFAULT_RECHECK_MS)) {
        lastRecheck = now().getTime();
        // Cases opened moments ago must be visible to the search that lists open cases.
        await deps.store.client.indices.refresh({ index: deps.store.names.alias('cases') }).catch(() => undefined);
        // Edits and removals of flagged articles go on their cases; outlets past their legal deadline are marked.
        const rechecked = await recheckOpenCases(deps.store, deps.evidence!).catch((err: Error) => {
          log.error({ error: err.message }, 'case re-check failed; retried at the next interval');
          return new Map();
        });
        const overdue = await sweepOutletOverdue(deps.store, now).catch(() => []);
        opts.onTurn?.(`[${now().toISOString()}] re-checked ${rechecked.size} open case(s), ${Array.isArray(overdue) ? overdue.length : 0} outlet deadline(s) passed`);
      }
      const wait = Math.min(30_000, scheduler.waitMs(now().getTime()));
      if (wait > 0 && !opts.signal?.aborted) await sleep(wait, opts.signal);
    }
  } finally {
    await deps.closeEvidence();
    await deps.store.close();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      done();
    });
  });
}
