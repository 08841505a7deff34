import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { crawl } from '../crawlers/crawl.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import type { Logger } from '../lib/log.ts';
import type { RawArticle } from '../model/records.ts';
import { produceScheduledDigests } from '../notify/digest/schedule.ts';
import { runAlerts, type RunAlertsDeps } from '../notify/run.ts';
import { loadEffectiveRules, overridesVersion } from '../rules/engine/layers.ts';
import { recheckOpenCases } from '../rules/cases/evidence.ts';
import { sweepOutletOverdue } from '../rules/cases/query.ts';
import { spoolStatus } from '../store/spool.ts';
import { accountsText, startWebApp, type RunningWebApp } from '../web/start.ts';
import { ingest, replaySpool } from './ingest.ts';
import { alertLags } from './observe/alert-lag.ts';
import { RunHealth } from './observe/health.ts';
import { createMetrics, lagSeconds, recordCrawl, type MonitorMetrics } from './observe/metrics.ts';
import { startObserveServer, type ObserveServer } from './observe/server.ts';
import { Scheduler } from './scheduler.ts';
import { sleep } from '../lib/sleep.ts';
import { openIngest } from './setup.ts';

export interface RunOptions {
  sources: Source[];
  stateDir?: string;
  /** Stop after this many loop turns (tests); forever by default. */
  maxTurns?: number;
  /** The clock of the data: publication windows, deadlines, alert times (the sample web's clock in the demo). */
  now?: () => Date;
  /** The clock that schedules polls and sleeps: real time unless a test says otherwise. */
  wallClock?: () => number;
  onTurn?: (line: string) => void;
  signal?: AbortSignal;
  /** How often flagged articles are re-fetched for edits and removals, and outlet deadlines swept (ms). */
  recheckEveryMs?: number;
  /** Longest sleep between checks for due sources (ms). */
  maxWaitMs?: number;
  metrics?: MonitorMetrics;
  /** Serve `/metrics` and `/healthz` on this port. */
  observe?: { port: number; host: string };
  /** Serve the web app from this process too. */
  web?: { port: number; host: string; seed?: string; demoLogins?: boolean };
  /** Evidence screenshots with Chromium (on by default). */
  screenshots?: boolean;
  /** Alert delivery overrides (the demo's SMTP sink, tests). */
  alerts?: Pick<RunAlertsDeps, 'mailer' | 'poster'>;
  /** Said once the web app and the observe port listen. */
  onReady?: (info: { web: RunningWebApp | null; observe: ObserveServer | null }) => void;
}

export const DEFAULT_RECHECK_MS = 6 * 3_600_000;
const DEFAULT_MAX_WAIT_MS = 30_000;
const FEEDS_ONLY = new Set(['feed'] as const);

/**
 * The long-running monitor: crawl each source when the scheduler says it is due, run the batch through the
 * pipeline, rules and index, then match and deliver alerts; re-check open cases on their interval. A source's
 * failure only slows that source; a failed turn is logged, counted and shown on /healthz, and the loop goes on.
 * Stops between turns on abort (SIGINT/SIGTERM in the CLI), never in the middle of writing a batch.
 */
export async function runMonitor(config: Config, log: Logger, opts: RunOptions): Promise<void> {
  const now = opts.now ?? (() => new Date());
  const wall = opts.wallClock ?? Date.now;
  const maxWait = opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const metrics = opts.metrics ?? createMetrics();
  const spoolView = () => {
    const s = spoolStatus(config.storageDir);
    return { records: s.spooled, oldestAt: s.oldestAt };
  };
  const health = new RunHealth(wall, Math.max(10 * maxWait, 15 * 60_000), spoolView);
  const deps = await openIngest(config, log, opts.sources, { now, screenshots: opts.screenshots });
  const scheduler = new Scheduler(opts.sources, wall());
  const stateDir = opts.stateDir ?? resolve(config.storageDir, 'crawl-state');
  let observe: ObserveServer | null = null;
  let web: RunningWebApp | null = null;
  let lastRecheck = wall();
  let rulesVersion = overridesVersion(config.storageDir);
  try {
    if (opts.observe) observe = await startObserveServer({ metrics, health, log, ...opts.observe });
    if (opts.web) web = await startWebApp(deps.store, config, log, { ...opts.web, clock: now });
    if (web?.created.length) process.stderr.write(`${accountsText(web.created)}\n`);
    opts.onReady?.({ web, observe });
    for (let turn = 1; !opts.signal?.aborted && (opts.maxTurns === undefined || turn <= opts.maxTurns); turn++) {
      reloadRulesIfEdited();
      let probed: boolean | undefined;
      const due = scheduler.due(wall());
      const feeds = scheduler.feedsDue(wall());
      metrics.queueLength.set({ queue: 'due_sources' }, due.length + feeds.length);
      if (due.length + feeds.length > 0) {
        const error = await crawlTurn(due, feeds).then(
          () => null,
          (err: Error) => err.message,
        );
        if (error) {
          metrics.errors.inc({ stage: 'turn' });
          log.error({ error }, 'turn failed; the next turn retries');
          probed = await deps.store.client.cluster.health({ timeout: '5s' }).then(
            () => true,
            () => false,
          );
        }
        health.turnDone(error);
      } else {
        // Nothing to crawl: a good moment to write back what an Elasticsearch outage left on disk.
        await replaySpool(deps).catch((err: Error) => log.warn({ error: err.message }, 'spool replay failed; retried next turn'));
      }
      noteElasticsearch(probed);
      await digests();
      if (wall() - lastRecheck >= (opts.recheckEveryMs ?? DEFAULT_RECHECK_MS)) {
        lastRecheck = wall();
        await recheck();
      }
      const wait = Math.min(maxWait, scheduler.waitMs(wall()));
      if (wait > 0 && !opts.signal?.aborted) await sleep(wait, opts.signal);
    }
  } finally {
    await web?.close();
    await observe?.close();
    await deps.closeEvidence();
    await deps.store.close();
  }

  async function crawlTurn(due: Source[], feeds: Source[]): Promise<void> {
    const started = wall();
    const dataStart = now();
    const batch: RawArticle[] = [];
    const sink = async (a: RawArticle) => void batch.push(a);
    const [full, quick] = await Promise.all([
      due.length ? crawl(due, { stateDir, log, now, sink }) : [],
      feeds.length ? crawl(feeds, { stateDir, log, now, sink, discovery: { kinds: FEEDS_ONLY } }) : [],
    ]);
    for (const s of full) {
      const schedule = scheduler.record(s, wall());
      recordCrawl(metrics, s, now());
      health.sourceFailing(s.sourceId, schedule.failures > 0);
    }
    for (const s of quick) {
      scheduler.recordFeeds(s, wall());
      recordCrawl(metrics, s, now());
    }
    metrics.queueLength.set({ queue: 'crawled_batch' }, batch.length);
    const result = await ingest(batch, deps);
    const indexedAt = now();
    for (const a of batch) {
      metrics.articlesIndexed.inc({ source: a.sourceId });
      const lag = lagSeconds(a.publishedAt, indexedAt);
      if (lag !== null) metrics.lagToIndex.observe(lag);
    }
    // Rejected documents wait in the reject file for a retry; they are counted, not lost.
    if (result.index.rejected.length) metrics.errors.inc({ stage: 'index' }, result.index.rejected.length);
    metrics.flags.inc(result.flags);
    metrics.queueLength.set({ queue: 'crawled_batch' }, 0);
    const alerts = await runAlerts({ store: deps.store, config, log, now, ...opts.alerts }).catch((err: Error) => {
      metrics.errors.inc({ stage: 'alerts' });
      log.error({ error: err.message }, 'alerts failed; they stay pending for the next turn');
      return null;
    });
    if (alerts) {
      metrics.alertsSent.inc(alerts.delivery.sent);
      metrics.alertsDead.inc(alerts.delivery.dead);
      for (const lag of await alertLags(deps.store, dataStart).catch(() => [])) metrics.lagToAlert.observe(lag);
    }
    metrics.queueLength.set({ queue: 'alerts_pending' }, await pendingAlerts());
    metrics.turns.inc();
    metrics.turnSeconds.observe((wall() - started) / 1000);
    opts.onTurn?.(
      `[${now().toISOString()}] ${due.length} source(s) crawled${feeds.length ? `, ${feeds.length} feed poll(s)` : ''}, ${batch.length} article(s), ${result.flags} flag(s), ${result.cases.opened.length} new case(s), ${alertsText(alerts)}${result.spooled ? `, ${result.spooled} record(s) spooled (Elasticsearch unreachable)` : ''}`,
    );
  }

  /** A rule edit saved in the web app takes effect at the next turn; an unloadable edit keeps the rules in force. */
  function reloadRulesIfEdited(): void {
    const version = overridesVersion(config.storageDir);
    if (version === rulesVersion) return;
    rulesVersion = version;
    try {
      deps.engine.rules = loadEffectiveRules(config.storageDir, { regimes: deps.engine.regimes });
      log.info({ rules: deps.engine.rules.rules.length }, 'rule edits loaded');
    } catch (err) {
      metrics.errors.inc({ stage: 'rules' });
      log.error({ error: (err as Error).message }, 'edited rules do not load; the previous rules stay in force');
    }
  }

  /** Elasticsearch reachability as the spool last saw it (a write or a probe), and what waits on disk. */
  function noteElasticsearch(probed?: boolean): void {
    const status = spoolStatus(config.storageDir);
    const up = probed ?? status.esReachable !== false;
    health.elasticsearch(up);
    metrics.elasticsearchUp.set(up ? 1 : 0);
    metrics.queueLength.set({ queue: 'spool_records' }, status.spooled);
  }

  /** Daily digests configured in notify.digests, each produced once (a lease guards against two producers). */
  async function digests(): Promise<void> {
    const outcomes = await produceScheduledDigests({ deps: { store: deps.store, config }, now: now(), log }).catch((err: Error) => {
      metrics.errors.inc({ stage: 'digest' });
      log.error({ error: err.message }, 'scheduled digests failed; retried next turn');
      return [];
    });
    for (const o of outcomes.filter((x) => x.status === 'produced' || x.status === 'failed')) {
      if (o.status === 'failed') metrics.errors.inc({ stage: 'digest' });
      opts.onTurn?.(`[${now().toISOString()}] digest ${o.id}: ${o.status === 'produced' ? `produced${o.emailed ? `, e-mailed to ${o.recipients.length}` : ''}` : `failed (${o.error ?? 'unknown error'})`}`);
    }
  }

  async function recheck(): Promise<void> {
    // Cases opened moments ago must be visible to the search that lists open cases.
    await deps.store.client.indices.refresh({ index: deps.store.names.alias('cases') }).catch(() => undefined);
    // Edits and removals of flagged articles go on their cases; outlets past their legal deadline are marked.
    const rechecked = await recheckOpenCases(deps.store, deps.evidence!).catch((err: Error) => {
      metrics.errors.inc({ stage: 'recheck' });
      log.error({ error: err.message }, 'case re-check failed; retried at the next interval');
      return new Map();
    });
    const overdue = await sweepOutletOverdue(deps.store, now).catch(() => []);
    opts.onTurn?.(`[${now().toISOString()}] re-checked ${rechecked.size} open case(s), ${Array.isArray(overdue) ? overdue.length : 0} outlet deadline(s) passed`);
  }

  async function pendingAlerts(): Promise<number> {
    const res = await deps.store.client.count({ index: deps.store.names.alias('alerts'), query: { term: { status: 'pending' } } }).catch(() => null);
    return res?.count ?? 0;
  }
}

function alertsText(alerts: Awaited<ReturnType<typeof runAlerts>> | null): string {
  if (!alerts) return 'alerts pending';
  if (alerts.busy) return `alerts left to ${alerts.busy.owner} (lease until ${alerts.busy.until})`;
  return `${alerts.matches} alert match(es), ${alerts.delivery.sent} sent`;
}
