import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { crawl } from '../crawlers/crawl.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import type { Logger } from '../lib/log.ts';
import type { RawArticle } from '../model/records.ts';
import { runAlerts } from '../notify/run.ts';
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
}

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
      const wait = Math.min(30_000, scheduler.waitMs(now().getTime()));
      if (wait > 0 && !opts.signal?.aborted) await sleep(wait, opts.signal);
    }
  } finally {
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
