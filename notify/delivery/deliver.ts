/**
 * Send what is due in the delivery log: immediate alerts one message each, hourly/daily ones one message per
 * subscription × channel. Each message is retried with exponential backoff; a message that never gets
 * through marks its alerts `dead` (the dead-letter list) instead of being dropped.
 */
import { sha256Hex } from '../../lib/ids.ts';
import type { Logger } from '../../lib/log.ts';
import type { Store } from '../../store/es.ts';
import { dueAlerts, markDead, markSent } from '../alert-log.ts';
import { loadItems } from '../content.ts';
import type { Directory } from '../directory/store.ts';
import type { AlertDoc } from '../plan.ts';
import { renderAlertEmail, webhookPayload, type AlertMessage } from '../render-alert.ts';
import type { Subscription } from '../subscriptions.ts';
import { withRetries, type Mailer, type WebhookPoster } from './channels.ts';

export interface DeliverDeps {
  store: Store;
  directory: Directory;
  subscriptions: Map<string, Subscription>;
  /** Without a mailer (no SMTP configured) e-mail alerts stay pending. */
  mailer: Mailer | null;
  poster: WebhookPoster;
  from: string;
  attempts: number;
  baseBackoffMs: number;
  webhookTimeoutMs: number;
  signatureHeader: string;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  /** Test hook: called after a message went out and before its alerts are marked sent (a crash lands here). */
  afterSend?: (alertIds: string[]) => Promise<void> | void;
  /** Called before each message; throws to stop (the run lost its lease, another process now delivers). */
  guard?: () => void;
}

export interface DeliverResult {
  messages: number;
  sent: number;
  dead: number;
  skipped: number;
}

/** Message groups: immediate alerts alone, batched ones per subscription × channel. */
export function groupDue(alerts: AlertDoc[]): AlertDoc[][] {
  const groups = new Map<string, AlertDoc[]>();
  for (const a of alerts) {
    const key = a.mode === 'immediate' ? `i|${a.id}` : `b|${a.subscriptionId}|${a.channel}|${a.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()];
}

export const messageKey = (alerts: AlertDoc[]) => (alerts.length === 1 ? alerts[0]!.id : sha256Hex(alerts.map((a) => a.id).sort().join('|')));

export const messageIdOf = (key: string) => `<${key}@press-monitor.local>`;

async function buildMessage(deps: DeliverDeps, group: AlertDoc[]): Promise<AlertMessage> {
  const first = group[0]!;
  const articleIds = [...new Set(group.flatMap((a) => a.articleIds))];
  const all = await loadItems(deps.store, articleIds);
  // One item per story: the original (not a copy) first, the copies are counted on it.
  const byStory = new Map<string, (typeof all)[number]>();
  for (const item of all) {
    const key = item.storyId ?? item.articleId;
    const cur = byStory.get(key);
    if (!cur || (cur.isCopy && !item.isCopy)) byStory.set(key, item);
  }
  const entry = deps.directory.get(first.agencyId);
  const sub = deps.subscriptions.get(first.subscriptionId);
  return {
    alertIds: group.map((a) => a.id),
    key: messageKey(group),
    subscriptionId: first.subscriptionId,
    subscriptionName: sub?.name ?? first.subscriptionId,
    agencyId: first.agencyId,
    agencyName: entry?.name ?? first.agencyId,
    mode: first.mode,
    items: [...byStory.values()],
    generatedAt: deps.now().toISOString(),
  };
}

export async function deliverDue(deps: DeliverDeps): Promise<DeliverResult> {
  const result: DeliverResult = { messages: 0, sent: 0, dead: 0, skipped: 0 };
  const due = await dueAlerts(deps.store, deps.now());
  for (const group of groupDue(due)) {
    deps.guard?.();
    const first = group[0]!;
    const ids = group.map((a) => a.id);
    const entry = deps.directory.get(first.agencyId);
    if (first.channel === 'email' && !deps.mailer) {
      result.skipped += group.length;
      continue;
    }
    if (!entry) {
      await markDead(deps.store, ids, 0, `agency ${first.agencyId} is not in the directory`, deps.now());
      result.dead += group.length;
      continue;
    }
    const msg = await buildMessage(deps, group);
    let send: () => Promise<void>;
    if (first.channel === 'email') {
      const mail = renderAlertEmail(msg);
      const mailer = deps.mailer!;
      send = () =>
        mailer.send({
          from: deps.from,
          to: first.recipient.split(',').map((s) => s.trim()),
          ...mail,
          messageId: messageIdOf(msg.key),
          headers: { 'X-Monitor-Alert-Ids': ids.join(','), 'Content-Language': 'vi' },
        });
    } else {
      const hook = entry.channels.webhook;
      if (!hook) {
        await markDead(deps.store, ids, 0, 'no webhook configured for this agency any more', deps.now());
        result.dead += group.length;
        continue;
      }
      const body = JSON.stringify(webhookPayload(msg));
      send = () =>
        deps.poster({
          url: hook.url,
          secret: hook.secret,
          body,
          key: msg.key,
          timestamp: String(Math.floor(deps.now().getTime() / 1000)),
          signatureHeader: deps.signatureHeader,
          timeoutMs: deps.webhookTimeoutMs,
        });
    }
    const outcome = await withRetries(send, {
      attempts: deps.attempts,
      baseMs: deps.baseBackoffMs,
      sleep: deps.sleep,
      onRetry: (attempt, err) => deps.log.warn({ alertIds: ids, channel: first.channel, attempt, error: err.message }, 'alert delivery failed; retrying'),
    });
    result.messages++;
    if (outcome.ok) {
      await deps.afterSend?.(ids);
      await markSent(deps.store, ids, outcome.attempts, deps.now());
      result.sent += group.length;
    } else {
      deps.log.error({ alertIds: ids, channel: first.channel, error: outcome.error }, 'alert delivery gave up; dead-lettered');
      await markDead(deps.store, ids, outcome.attempts, outcome.error, deps.now());
      result.dead += group.length;
    }
  }
  return result;
}
