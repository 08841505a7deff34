/**
 * `monitor alerts run`: import the directory (when configured), make sure every agency has its default
 * subscription, match the articles indexed since the last run, write the planned alerts as pending, then
 * deliver whatever is due (including pending alerts left by an earlier crash).
 *
 * All of it runs under the `alerts-run` lease: two runs at once (two processes, or the run loop and a manual
 * `alerts run`) would both read the same pending alerts and both send them.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/log.ts';
import { BulkWriter } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';
import { fetchPoster, smtpMailer, type Mailer, type WebhookPoster } from './delivery/channels.ts';
import { deliverDue, type DeliverResult } from './delivery/deliver.ts';
import { loadDirectoryFile } from './directory/load.ts';
import { importDirectory, loadDirectory } from './directory/store.ts';
import { alertBatch, articlesIndexedSince, FileCursor } from './pipeline.ts';
import { ZONE } from './labels.ts';
import { acquireLease, DEFAULT_LEASE_TTL_MS, newOwnerId, type Lease, type LeaseDoc } from './lease.ts';
import { ensureDefaultSubscriptions, loadSubscriptions } from './subscriptions.ts';
import { sleep } from '../lib/sleep.ts';

export const ALERTS_LEASE = 'alerts-run';

export interface AlertsLeaseOptions {
  owner?: string;
  ttlMs?: number;
  /** How long to wait for a busy lease before giving up; 0 (default): give up at once, the next turn retries. */
  waitMs?: number;
  pollMs?: number;
  /**
   * The lease's clock: wall time by default. Not deps.now, which may be a data clock (the demo runs it fast,
   * tests freeze it) while lease expiry is about whether a process is still alive.
   */
  now?: () => Date;
}

export interface RunAlertsDeps {
  store: Store;
  config: Config;
  log: Logger;
  now: () => Date;
  mailer?: Mailer | null;
  poster?: WebhookPoster;
  sleep?: (ms: number) => Promise<void>;
  lease?: AlertsLeaseOptions;
}

export interface RunAlertsResult {
  articles: number;
  matches: number;
  alertsPlanned: number;
  delivery: DeliverResult;
  /** Another run held the lease (owner, expiry): this one did nothing. */
  busy: { owner: string; until: string } | null;
}

export function notifySettings(config: Config) {
  return (
    config.notify ?? {
      from: 'Theo dõi báo chí <baochi@example.gov.vn>',
      webhook: { timeoutMs: 10_000, attempts: 5, baseBackoffMs: 1_000, signatureHeader: 'X-Monitor-Signature' },
      digestTime: '07:00',
      dailyHour: 7,
      digests: [],
    }
  );
}

const localTime = (iso: string) => DateTime.fromISO(iso).setZone(ZONE).toISO({ suppressMilliseconds: true }) ?? iso;

async function takeAlertsLease(deps: RunAlertsDeps): Promise<{ lease: Lease } | { holder: LeaseDoc }> {
  const o = deps.lease ?? {};
  const owner = o.owner ?? newOwnerId();
  const opts = { owner, ttlMs: o.ttlMs ?? DEFAULT_LEASE_TTL_MS, now: o.now ?? (() => new Date()), log: deps.log };
  const deadline = Date.now() + (o.waitMs ?? 0);
  let waited = false;
  for (;;) {
    const r = await acquireLease(deps.store, ALERTS_LEASE, opts);
    if (r.ok) return { lease: r.lease };
    const left = deadline - Date.now();
    if (left <= 0) return { holder: r.holder };
    if (!waited) deps.log.info({ holder: r.holder.owner, until: r.holder.expiresAt }, `another alerts run holds the lease until ${localTime(r.holder.expiresAt)}; waiting up to ${Math.round(left / 1000)} s`);
    waited = true;
    await sleep(Math.min(o.pollMs ?? 1000, left));
  }
}

export async function runAlerts(deps: RunAlertsDeps): Promise<RunAlertsResult> {
  const got = await takeAlertsLease(deps);
  if ('holder' in got) {
    const { owner, expiresAt } = got.holder;
    deps.log.warn({ holder: owner, until: expiresAt }, `another alerts run holds the lease until ${localTime(expiresAt)} (${owner}); this run sends nothing`);
    return { articles: 0, matches: 0, alertsPlanned: 0, delivery: { messages: 0, sent: 0, dead: 0, skipped: 0 }, busy: { owner, until: expiresAt } };
  }
  const { lease } = got;
  lease.keepAlive();
  try {
    const result = await runAlertsHeld(deps, lease);
    await lease.release();
    return result;
  } catch (err) {
    // Release even on failure so the next run need not wait out the expiry; a lost lease has nothing to release.
    await lease.release().catch(() => undefined);
    throw err;
  }
}

async function runAlertsHeld(deps: RunAlertsDeps, lease: Lease): Promise<RunAlertsResult> {
  const settings = notifySettings(deps.config);
  const writer = new BulkWriter(deps.store.client, { log: deps.log, refresh: 'wait_for' });
  if (settings.directoryFile) {
    const n = await importDirectory(deps.store, writer, loadDirectoryFile(settings.directoryFile), settings.directoryFile, deps.now());
    deps.log.info({ agencies: n, file: settings.directoryFile }, 'directory imported');
  }
  const directory = await loadDirectory(deps.store);
  await ensureDefaultSubscriptions(deps.store, writer, directory.values(), deps.now());
  const subscriptions = await loadSubscriptions(deps.store);
  const cursor = new FileCursor(join(deps.config.storageDir, 'notify', 'cursor.json'));
  const { ids, newest } = await articlesIndexedSince(deps.store, cursor.read());
  let matches = 0;
  let planned = 0;
  for (let i = 0; i < ids.length; i += 2000) {
    const r = await alertBatch({ store: deps.store, writer, log: deps.log, now: deps.now }, { subscriptions, directory, dailyHour: settings.dailyHour }, ids.slice(i, i + 2000));
    matches += r.matches;
    planned += r.alerts.length;
  }
  // Only move the cursor once every alert of the window is safely pending (and only while still the holder).
  lease.assertHeld();
  cursor.write(newest);
  const mailer = deps.mailer !== undefined ? deps.mailer : settings.smtpUrl ? smtpMailer(settings.smtpUrl) : null;
  if (!mailer) deps.log.warn('notify.smtpUrl is not set: e-mail alerts stay pending');
  try {
    const delivery = await deliverDue({
      store: deps.store,
      directory,
      subscriptions: new Map(subscriptions.map((s) => [s.id, s])),
      mailer,
      poster: deps.poster ?? fetchPoster,
      from: settings.from,
      attempts: settings.webhook.attempts,
      baseBackoffMs: settings.webhook.baseBackoffMs,
      webhookTimeoutMs: settings.webhook.timeoutMs,
      signatureHeader: settings.webhook.signatureHeader,
      now: deps.now,
      sleep: deps.sleep ?? sleep,
      log: deps.log,
      guard: () => lease.assertHeld(),
    });
    return { articles: ids.length, matches, alertsPlanned: planned, delivery, busy: null };
  } finally {
    if (deps.mailer === undefined) mailer?.close();
  }
}
