/**
 * The alert pipeline for one batch of indexed articles: match every active subscription, record the
 * matches, plan alerts (one per subscription × story × channel unless the level rose) and write them to the
 * delivery log as `pending` before anything is sent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../lib/atomic-file.ts';
import type { Logger } from '../lib/log.ts';
import type { BulkWriter } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';
import { alertedLevels, writePending } from './alert-log.ts';
import type { Directory } from './directory/store.ts';
import { fetchBatch, matchBatch, recordMatches, type MatchOptions } from './match.ts';
import { planAlerts, storyKeyOf, type AlertDoc } from './plan.ts';
import type { Subscription } from './subscriptions.ts';

export interface BatchDeps {
  store: Store;
  writer: BulkWriter;
  log: Logger;
  now: () => Date;
}

export interface BatchContext {
  subscriptions: Subscription[];
  directory: Directory;
  dailyHour?: number;
  match?: MatchOptions;
}

export interface BatchResult {
  articles: number;
  matches: number;
  alerts: AlertDoc[];
  created: number;
}

async function flaggedPairs(store: Store, articleIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < articleIds.length; i += 1000) {
    const res = await store.client.search<{ articleId: string; agencyId: string }>({
      index: store.names.alias('flags'),
      query: { terms: { articleId: articleIds.slice(i, i + 1000) } },
      _source: ['articleId', 'agencyId'],
      size: 10_000,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    for (const h of res.hits.hits) out.add(`${h._source!.articleId}|${h._source!.agencyId}`);
  }
  return out;
}

export async function alertBatch(deps: BatchDeps, ctx: BatchContext, articleIds: string[]): Promise<BatchResult> {
  const now = deps.now();
  const docs = await fetchBatch(deps.store, articleIds);
  const matches = await matchBatch(deps.store, ctx.subscriptions, docs, ctx.match);
  await recordMatches(deps.store, deps.writer, matches, now);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const matchedDocs = [...new Set(matches.map((m) => m.articleId))].map((id) => byId.get(id)!);
  const alerts = planAlerts({
    matches,
    docs: byId,
    subscriptions: new Map(ctx.subscriptions.map((s) => [s.id, s])),
    directory: ctx.directory,
    flagged: await flaggedPairs(deps.store, matchedDocs.map((d) => d.id)),
    alerted: await alertedLevels(deps.store, [...new Set(matchedDocs.map(storyKeyOf))]),
    now,
    ...(ctx.dailyHour !== undefined ? { dailyHour: ctx.dailyHour } : {}),
  });
  const { created } = await writePending(deps.store, deps.writer, alerts);
  deps.log.info({ articles: docs.length, matches: matches.length, alerts: alerts.length, created }, 'alert batch planned');
  return { articles: docs.length, matches: matches.length, alerts, created };
}

/** Ids of articles indexed since `since` (inclusive: matching is idempotent, overlap is harmless), oldest first. */
export async function articlesIndexedSince(store: Store, since: string | null, limit = 50_000): Promise<{ ids: string[]; newest: string | null }> {
  const ids: string[] = [];
  let newest: string | null = since;
  let after: unknown[] | undefined;
  while (ids.length < limit) {
    const res = await store.client.search<{ indexedAt?: string }>({
      index: store.names.alias('articles'),
      query: since ? { range: { indexedAt: { gte: since } } } : { match_all: {} },
      _source: ['indexedAt'],
      sort: [{ indexedAt: 'asc' }, { id: 'asc' }],
      size: 5000,
      ignore_unavailable: true,
      allow_no_indices: true,
      ...(after ? { search_after: after as never } : {}),
    });
    for (const h of res.hits.hits) {
      ids.push(h._id!);
      const at = h._source?.indexedAt;
      if (at && (!newest || at > newest)) newest = at;
    }
    if (res.hits.hits.length < 5000) break;
    after = res.hits.hits.at(-1)!.sort as unknown[];
  }
  return { ids, newest };
}

const Cursor = z.object({ lastIndexedAt: z.string().nullable() });

/** Where `alerts run` remembers the newest article it matched (a small JSON file under the storage dir). */
export class FileCursor {
  constructor(private readonly file: string) {}
  read(): string | null {
    if (!existsSync(this.file)) return null;
    return Cursor.parse(JSON.parse(readFileSync(this.file, 'utf8'))).lastIndexedAt;
  }
  write(lastIndexedAt: string | null): void {
    writeFileAtomic(this.file, `${JSON.stringify({ lastIndexedAt }, null, 2)}\n`);
  }
}
