/**
 * `monitor alerts run`: import the directory (when configured), make sure every agency has its default
 * subscription, match the articles indexed since the last run, write the planned alerts as pending, then
 * deliver whatever is due (including pending alerts left by an earlier crash).
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/log.ts';
import { BulkWriter } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';
import { fetchPoster, smtpMailer, type Mailer, type WebhookPoster } from './delivery/channels.ts';
import { deliverDue, type DeliverResult } from './delivery/deliver.ts';
import { loadDirectoryFile } from './directory/load.ts';
import { importDirectory, loadDirectory } from './directory/store.ts';
import { alertBatch, articlesIndexedSince, FileCursor } from './pipeline.ts';
import { ensureDefaultSubscriptions, loadSubscriptions } from './subscriptions.ts';

export interface RunAlertsDeps {
  store: Store;
  config: Config;
  log: Logger;
  now: () => Date;
  mailer?: Mailer | null;
  poster?: WebhookPoster;
  sleep?: (ms: number) => Promise<void>;
}

export interface RunAlertsResult {
  articles: number;
  matches: number;
  alertsPlanned: number;
  delivery: DeliverResult;
}

export function notifySettings(config: Config) {
  return (
    config.notify ?? {
      from: 'Theo dõi báo chí <baochi@example.gov.vn>',
      webhook: { timeoutMs: 10_000, attempts: 5, baseBackoffMs: 1_000, signatureHeader: 'X-Monitor-Signature' },
      digestTime: '07:00',
      dailyHour: 7,
    }
  );
}

export async function runAlerts(deps: RunAlertsDeps): Promise<RunAlertsResult> {
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
  // Only move the cursor once every alert of the window is safely pending.
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
      sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      log: deps.log,
    });
    return { articles: ids.length, matches, alertsPlanned: planned, delivery };
  } finally {
    if (deps.mailer === undefined) mailer?.close();
  }
}
