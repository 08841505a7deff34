import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../lib/atomic-file.ts';

const UrlState = z.object({
  /** extracted: a record went to the pipeline; skipped: deliberately not an article; failed: retried next run. */
  status: z.enum(['extracted', 'skipped', 'failed']),
  at: z.string(),
  reason: z.string().optional(),
  attempts: z.number().int().default(1),
  canonicalUrl: z.string().optional(),
  contentHash: z.string().optional(),
  /**
   * Extracted, but its article is not yet durably indexed or spooled (only with durable commits, see
   * `requireDurableCommit`): fetched again by the next crawl, so a crash in between loses nothing.
   */
  pending: z.boolean().optional(),
});
export type UrlState = z.infer<typeof UrlState>;

const StateFile = z.object({
  version: z.literal(1),
  sourceId: z.string(),
  urls: z.record(z.string(), UrlState),
  /** canonical URL → the URL it was first extracted from (one article, one record). */
  canonicals: z.record(z.string(), z.string()),
  lastRun: z.object({ at: z.string(), extracted: z.number(), failed: z.number() }).nullable(),
});
type StateData = z.infer<typeof StateFile>;

export const MAX_ATTEMPTS = 3;

/**
 * Durable commits: an article handed to the sink is only `pending` in the state file; the ingest calls
 * `confirmCrawled` once it is durably indexed or spooled, and only then is it done for the next crawls. Off
 * by default (a crawl to a JSONL file is done when the sink returned); the monitor's ingest turns it on.
 */
let durableCommit = false;
/** Extractions of this process awaiting their commit: `sourceId \n canonicalUrl` → where and what was recorded. */
const awaiting = new Map<string, Array<{ path: string; sourceId: string; url: string; state: UrlState }>>();
const awaitKey = (sourceId: string, canonicalUrl: string) => `${sourceId}\n${canonicalUrl}`;

export function requireDurableCommit(on = true): void {
  durableCommit = on;
  if (!on) awaiting.clear();
}

export interface CrawledRef {
  sourceId: string;
  canonicalUrl: string;
  contentHash?: string;
}

function updateStates(refs: CrawledRef[], apply: (state: CrawlState, url: string, recorded: UrlState) => void): number {
  const byPath = new Map<string, Array<{ sourceId: string; url: string; state: UrlState }>>();
  for (const ref of refs) {
    const key = awaitKey(ref.sourceId, ref.canonicalUrl);
    const entries = awaiting.get(key);
    if (!entries) continue;
    const matching = entries.filter((e) => ref.contentHash === undefined || e.state.contentHash === ref.contentHash);
    const rest = entries.filter((e) => !matching.includes(e));
    if (rest.length) awaiting.set(key, rest);
    else awaiting.delete(key);
    for (const e of matching) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  }
  let n = 0;
  for (const [path, entries] of byPath) {
    const state = CrawlState.openFile(path, entries[0]!.sourceId);
    for (const e of entries) {
      apply(state, e.url, e.state);
      n++;
    }
    state.save();
  }
  return n;
}

/**
 * These articles are durably indexed or spooled: their URLs stop being pending (written to the state files
 * at once). Returns how many URL entries were confirmed.
 */
export function confirmCrawled(refs: CrawledRef[]): number {
  return updateStates(refs, (state, url, recorded) => state.commit(url, recorded));
}

/** These articles could not be processed (e.g. the pipeline failed): a failure, retried a few times like a fetch failure. */
export function releaseCrawled(refs: CrawledRef[], reason: string, at: string = new Date().toISOString()): number {
  return updateStates(refs, (state, url) => state.record(url, { status: 'failed', at, reason }));
}

/**
 * What a source's crawls have seen, persisted as JSON (written atomically: temp file + rename), so the
 * next run or a restart fetches only new URLs, retries failures a few times, and re-fetches edited ones.
 */
export class CrawlState {
  private constructor(
    readonly path: string,
    private data: StateData,
  ) {}

  static open(dir: string, sourceId: string): CrawlState {
    return CrawlState.openFile(join(dir, `${sourceId}.json`), sourceId);
  }

  static openFile(path: string, sourceId: string): CrawlState {
    let data: StateData = { version: 1, sourceId, urls: {}, canonicals: {}, lastRun: null };
    try {
      data = StateFile.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        // A corrupt state file must not stop crawling; keep it aside for inspection.
        renameSync(path, `${path}.corrupt-${Date.now()}`);
      }
    }
    return new CrawlState(path, data);
  }

  get size(): number {
    return Object.keys(this.data.urls).length;
  }

  /** What is known of a URL; an extraction still pending its commit counts as not seen. */
  get(url: string): UrlState | undefined {
    const s = this.data.urls[url];
    return s?.pending ? undefined : s;
  }

  /** Should this URL be fetched now? New, failed with attempts left, or changed since we fetched it. */
  needsFetch(url: string, modifiedAt: string | null): { fetch: boolean; why: 'new' | 'retry' | 'updated' | 'seen' } {
    const s = this.data.urls[url];
    if (!s) return { fetch: true, why: 'new' };
    // Extracted by a run that stopped before its article was durably indexed or spooled.
    if (s.pending) return { fetch: true, why: 'retry' };
    if (s.status === 'failed') return s.attempts < MAX_ATTEMPTS ? { fetch: true, why: 'retry' } : { fetch: false, why: 'seen' };
    if (s.status === 'extracted' && modifiedAt && Date.parse(modifiedAt) > Date.parse(s.at)) return { fetch: true, why: 'updated' };
    return { fetch: false, why: 'seen' };
  }

  canonicalOwner(canonicalUrl: string): string | undefined {
    return this.data.canonicals[canonicalUrl];
  }

  record(url: string, update: Omit<UrlState, 'attempts'>): void {
    const previous = this.data.urls[url];
    // Re-recording an already committed extraction of the same content (unchanged page) keeps it committed.
    const unchanged = previous && !previous.pending && previous.status === 'extracted' && previous.contentHash === update.contentHash;
    const pending = durableCommit && update.status === 'extracted' && update.canonicalUrl !== undefined && !unchanged;
    // A pending extraction carries the failures before it, so an article whose processing keeps failing is given up like a page.
    const failedBefore = previous !== undefined && (previous.status === 'failed' || previous.pending === true);
    const attempts = update.status === 'failed' ? (failedBefore ? previous.attempts + 1 : 1) : pending && failedBefore ? previous.attempts : 1;
    const state: UrlState = pending ? { ...update, attempts, pending: true } : { ...update, attempts };
    this.data.urls[url] = state;
    if (update.status === 'extracted' && update.canonicalUrl) this.data.canonicals[update.canonicalUrl] ??= url;
    if (pending) {
      const key = awaitKey(this.data.sourceId, update.canonicalUrl!);
      const others = (awaiting.get(key) ?? []).filter((e) => !(e.path === this.path && e.url === url));
      awaiting.set(key, [...others, { path: this.path, sourceId: this.data.sourceId, url, state }]);
    }
  }

  /** The extraction recorded for this URL is durable: it stops being pending (unless the URL was re-recorded since). */
  commit(url: string, recorded: UrlState): void {
    const now = this.data.urls[url];
    if (now && !(now.pending && now.contentHash === recorded.contentHash)) return;
    const { pending: _p, ...done } = recorded;
    void _p;
    this.data.urls[url] = done;
    if (done.canonicalUrl) this.data.canonicals[done.canonicalUrl] ??= url;
  }

  finishRun(at: string, extracted: number, failed: number): void {
    this.data.lastRun = { at, extracted, failed };
  }

  get lastRun(): StateData['lastRun'] {
    return this.data.lastRun;
  }

  save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.data));
  }
}
