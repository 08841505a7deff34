import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const UrlState = z.object({
  /** extracted: a record went to the pipeline; skipped: deliberately not an article; failed: retried next run. */
  status: z.enum(['extracted', 'skipped', 'failed']),
  at: z.string(),
  reason: z.string().optional(),
  attempts: z.number().int().default(1),
  canonicalUrl: z.string().optional(),
  contentHash: z.string().optional(),
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
 * What a source's crawls have seen, persisted as JSON (written atomically: temp file + rename), so the
 * next run or a restart fetches only new URLs, retries failures a few times, and re-fetches edited ones.
 */
export class CrawlState {
  private constructor(
    readonly path: string,
    private data: StateData,
  ) {}

  static open(dir: string, sourceId: string): CrawlState {
    const path = join(dir, `${sourceId}.json`);
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

  get(url: string): UrlState | undefined {
    return this.data.urls[url];
  }

  /** Should this URL be fetched now? New, failed with attempts left, or changed since we fetched it. */
  needsFetch(url: string, modifiedAt: string | null): { fetch: boolean; why: 'new' | 'retry' | 'updated' | 'seen' } {
    const s = this.data.urls[url];
    if (!s) return { fetch: true, why: 'new' };
    if (s.status === 'failed') return s.attempts < MAX_ATTEMPTS ? { fetch: true, why: 'retry' } : { fetch: false, why: 'seen' };
    if (s.status === 'extracted' && modifiedAt && Date.parse(modifiedAt) > Date.parse(s.at)) return { fetch: true, why: 'updated' };
    return { fetch: false, why: 'seen' };
  }

  canonicalOwner(canonicalUrl: string): string | undefined {
    return this.data.canonicals[canonicalUrl];
  }

  record(url: string, update: Omit<UrlState, 'attempts'>): void {
    const previous = this.data.urls[url];
    const attempts = update.status === 'failed' ? (previous?.status === 'failed' ? previous.attempts + 1 : 1) : 1;
    this.data.urls[url] = { ...update, attempts };
    if (update.status === 'extracted' && update.canonicalUrl) this.data.canonicals[update.canonicalUrl] ??= url;
  }

  finishRun(at: string, extracted: number, failed: number): void {
    this.data.lastRun = { at, extracted, failed };
  }

  get lastRun(): StateData['lastRun'] {
    return this.data.lastRun;
  }

  save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.path);
  }
}
