/**
 * From matches to alerts (pure): one alert per subscription × story × channel, re-alerting only when the
 * story's level rises above every level already alerted. The id (sha256 of subscription|story|channel|level)
 * is the idempotency key of the delivery log.
 */
import { DateTime } from 'luxon';
import { compositeId } from '../lib/ids.ts';
import type { SensitivityLevel } from '../model/records.ts';
import { emailRecipients, type Channel, type AlertMode, type DirectoryEntry } from './directory/schema.ts';
import { LEVEL_RANK, maxLevel, ZONE } from './labels.ts';
import type { BatchDoc, Match } from './match.ts';
import type { Subscription } from './subscriptions.ts';

export type AlertStatus = 'pending' | 'sent' | 'dead';

export interface AlertDoc {
  id: string;
  subscriptionId: string;
  agencyId: string;
  storyId: string;
  articleIds: string[];
  channel: Channel;
  recipient: string;
  mode: AlertMode;
  level: SensitivityLevel;
  status: AlertStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  dueAt: string;
  sentAt: string | null;
  updatedAt: string;
}

export const alertId = (subscriptionId: string, storyKey: string, channel: string, level: string) =>
  compositeId(subscriptionId, storyKey, channel, level);

/** Articles without a story are their own story. */
export const storyKeyOf = (d: { id: string; storyId: string | null }) => d.storyId ?? `article:${d.id}`;
export const alertedKey = (subscriptionId: string, storyKey: string, channel: string) => `${subscriptionId}|${storyKey}|${channel}`;

/** When a batched alert goes out: the next full hour, or the next daily hour (local time). */
export function dueAtFor(mode: AlertMode, now: Date, dailyHour = 7): string {
  const local = DateTime.fromJSDate(now).setZone(ZONE);
  if (mode === 'immediate') return now.toISOString();
  if (mode === 'hourly') return local.startOf('hour').plus({ hours: 1 }).toUTC().toISO()!;
  let at = local.startOf('day').set({ hour: dailyHour });
  if (at <= local) at = at.plus({ days: 1 });
  return at.toUTC().toISO()!;
}

export interface PlanInput {
  matches: Match[];
  docs: Map<string, BatchDoc>;
  subscriptions: Map<string, Subscription>;
  directory: Map<string, DirectoryEntry>;
  /** `${articleId}|${agencyId}` of every flag raised on the batch. */
  flagged: Set<string>;
  /** Highest level already alerted per alertedKey(). */
  alerted: Map<string, number>;
  now: Date;
  dailyHour?: number;
}

export function recipientOf(entry: DirectoryEntry, channel: Channel): string | null {
  if (channel === 'email') {
    const to = emailRecipients(entry);
    return to.length > 0 && entry.channels.email ? to.join(', ') : null;
  }
  return entry.channels.webhook?.url ?? null;
}

export function planAlerts(input: PlanInput): AlertDoc[] {
  const groups = new Map<string, { sub: Subscription; storyKey: string; docs: BatchDoc[] }>();
  for (const m of input.matches) {
    const sub = input.subscriptions.get(m.subscriptionId);
    const doc = input.docs.get(m.articleId);
    if (!sub || !doc) continue;
    const storyKey = storyKeyOf(doc);
    const key = `${sub.id}|${storyKey}`;
    const g = groups.get(key) ?? { sub, storyKey, docs: [] };
    if (!g.docs.some((d) => d.id === doc.id)) g.docs.push(doc);
    groups.set(key, g);
  }
  const at = input.now.toISOString();
  const out: AlertDoc[] = [];
  for (const { sub, storyKey, docs } of groups.values()) {
    const entry = input.directory.get(sub.agencyId);
    if (!entry) continue;
    const level = maxLevel(docs.map((d) => d.level));
    const flagged = docs.some((d) => input.flagged.has(`${d.id}|${sub.agencyId}`));
    // Hot and sensitive items and new flags cannot wait for a batch.
    const mode: AlertMode = level !== 'normal' || flagged ? 'immediate' : sub.mode;
    for (const channel of sub.channels) {
      const recipient = recipientOf(entry, channel);
      if (!recipient) continue;
      const before = input.alerted.get(alertedKey(sub.id, storyKey, channel));
      if (before !== undefined && before >= LEVEL_RANK[level]) continue;
      out.push({
        id: alertId(sub.id, storyKey, channel, level),
        subscriptionId: sub.id,
        agencyId: sub.agencyId,
        storyId: storyKey,
        articleIds: docs.map((d) => d.id).sort(),
        channel,
        recipient,
        mode,
        level,
        status: 'pending',
        attempts: 0,
        lastError: null,
        createdAt: at,
        dueAt: dueAtFor(mode, input.now, input.dailyHour),
        sentAt: null,
        updatedAt: at,
      });
    }
  }
  return out;
}
