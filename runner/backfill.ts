import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../lib/atomic-file.ts';
import type { Config } from '../config/schema.ts';
import { crawl } from '../crawlers/crawl.ts';
import { failedCount } from '../crawlers/summary.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import type { Logger } from '../lib/log.ts';
import type { RawArticle } from '../model/records.ts';
import { ingest } from './ingest.ts';
import { openIngest } from './setup.ts';

export interface BackfillOptions {
  source: Source;
  from: Date;
  to: Date;
  /** Pages fetched per pass; a pass is indexed and checkpointed before the next one starts. */
  pagesPerPass?: number;
  /** Listing pages followed per listing (deeper than the live crawl's few pages). */
  listingDepth?: number;
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (p: BackfillProgress) => void;
}

export interface BackfillProgress {
  pass: number;
  /** Pages handled so far by this backfill, across restarts. */
  done: number;
  /** done + what the latest discovery still has to fetch in the period. */
  total: number;
  indexed: number;
  failed: number;
}

const Checkpoint = z.object({
  sourceId: z.string(),
  from: z.string(),
  to: z.string(),
  passes: z.number().int(),
  done: z.number().int(),
  indexed: z.number().int(),
  failed: z.number().int(),
  finished: z.boolean(),
  updatedAt: z.string(),
});
type Checkpoint = z.infer<typeof Checkpoint>;

export const checkpointPath = (storageDir: string, o: { sourceId: string; from: Date; to: Date }) =>
  resolve(storageDir, 'backfill', `${o.sourceId}_${o.from.toISOString().slice(0, 10)}_${o.to.toISOString().slice(0, 10)}.json`);

function readCheckpoint(path: string, fresh: Checkpoint): Checkpoint {
  try {
    return Checkpoint.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return fresh;
  }
}

function writeCheckpoint(path: string, c: Checkpoint): void {
  writeFileAtomic(path, JSON.stringify(c, null, 2));
}

/**
 * Crawl one source's past articles of a period, deeper than the live crawl (sitemaps and listing pages far
 * back), in passes of a few hundred pages, each indexed before the next starts. Resumable: the crawl state
 * shared with `monitor run` skips what is already done (an article only counts as done once durably indexed),
 * and the checkpoint keeps the counts, so a restarted backfill carries on where it stopped; re-running a
 * finished one fetches nothing.
 */
export async function backfill(config: Config, log: Logger, opts: BackfillOptions): Promise<Checkpoint> {
  const now = opts.now ?? (() => new Date());
  const path = checkpointPath(config.storageDir, { sourceId: opts.source.id, from: opts.from, to: opts.to });
  const checkpoint = readCheckpoint(path, {
    sourceId: opts.source.id,
    from: opts.from.toISOString(),
    to: opts.to.toISOString(),
    passes: 0,
    done: 0,
    indexed: 0,
    failed: 0,
    finished: false,
    updatedAt: now().toISOString(),
  });
  // One request per page: a backfill of the past takes no evidence snapshots (cases opened by it get theirs
  // from the live monitor's re-checks), so an outlet is not fetched twice for its archive.
  const { evidence: _evidence, ...deps } = await openIngest(config, log, [opts.source], { now, screenshots: false });
  void _evidence;
  const stateDir = resolve(config.storageDir, 'crawl-state');
  try {
    checkpoint.finished = false;
    while (!opts.signal?.aborted) {
      const batch: RawArticle[] = [];
      let total = checkpoint.done;
      const [summary] = await crawl([opts.source], {
        stateDir,
        log,
        now,
        since: opts.from,
        until: opts.to,
        maxPages: opts.pagesPerPass ?? 200,
        discovery: { maxListingPages: opts.listingDepth ?? 50, maxSitemaps: 2000 },
        sink: async (a) => void batch.push(a),
        onProgress: (s) => {
          total = checkpoint.done + s.toFetch + (s.skipped['max-pages'] ?? 0);
          opts.onProgress?.({ pass: checkpoint.passes + 1, done: checkpoint.done + s.fetched, total, indexed: checkpoint.indexed, failed: checkpoint.failed });
        },
      });
      const result = await ingest(batch, deps);
      checkpoint.passes++;
      checkpoint.done += summary!.fetched;
      checkpoint.indexed += result.articles - result.index.rejected.length;
      checkpoint.failed += failedCount(summary!);
      checkpoint.updatedAt = now().toISOString();
      // Nothing left in the period (or nothing more that can be fetched): the backfill is complete.
      checkpoint.finished = summary!.toFetch === 0 || summary!.fetched === 0;
      writeCheckpoint(path, checkpoint);
      opts.onProgress?.({ pass: checkpoint.passes, done: checkpoint.done, total: Math.max(total, checkpoint.done), indexed: checkpoint.indexed, failed: checkpoint.failed });
      log.info({ source: opts.source.id, pass: checkpoint.passes, fetched: summary!.fetched, indexed: checkpoint.indexed, remaining: summary!.skipped['max-pages'] ?? 0 }, 'backfill pass done');
      if (checkpoint.finished) break;
    }
    return checkpoint;
  } finally {
    await deps.closeEvidence();
    await deps.store.close();
  }
}
