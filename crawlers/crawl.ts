import { createHash } from 'node:crypto';
import PQueue from 'p-queue';
import type { Logger } from '../lib/log.ts';
import { RawArticle } from '../model/records.ts';
import { discover, type DiscoverDeps } from './discover/discover.ts';
import { extractArticle } from './extract/article.ts';
import { normalizeUrl } from './extract/url.ts';
import { bridgeCrawleeLogs } from './fetch/crawlee-log.ts';
import { assertPublicUrl } from './fetch/net-guard.ts';
import { fetchBrowserPages, fetchStaticPages, type FetchedPage, type PageFailure } from './fetch/pages.ts';
import { RobotsCache } from './fetch/robots.ts';
import type { Source } from './sources/schema.ts';
import { CrawlState } from './state/crawl-state.ts';
import { failedCount, type SourceSummary } from './summary.ts';

/** Where crawled articles go: the pipeline, a JSONL file, a test's array. */
export type ArticleSink = (article: RawArticle) => Promise<void>;

export interface CrawlOptions {
  stateDir: string;
  sink: ArticleSink;
  log: Logger;
  now?: () => Date;
  /** Skip articles the feed/sitemap dates before this. */
  since?: Date;
  /** Skip articles the feed/sitemap dates after this (backfills of a closed period); an undated candidate is fetched, as with `since`. */
  until?: Date;
  /** Discovery settings: feeds only for the quick poll, deeper listing pagination for backfills. */
  discovery?: Pick<DiscoverDeps, 'kinds' | 'maxListingPages' | 'maxSitemaps'>;
  /** At most this many page fetches per source. */
  maxPages?: number;
  maxPageBytes?: number;
  timeoutMs?: number;
  retries?: number;
  /** Sources crawled at the same time (each has its own per-host limits). */
  parallelSources?: number;
  onProgress?: (progress: SourceSummary) => void;
}


const count = (bag: Record<string, number>, reason: string, n = 1) => {
  bag[reason] = (bag[reason] ?? 0) + n;
};

export function contentHash(a: { title: string | null; sapo: string | null; body: string | null }): string {
  return createHash('sha256').update(`${a.title ?? ''}\n${a.sapo ?? ''}\n${a.body ?? ''}`).digest('hex');
}

async function crawlSource(source: Source, opts: CrawlOptions): Promise<SourceSummary> {
  const started = Date.now();
  const now = opts.now ?? (() => new Date());
  const summary: SourceSummary = { sourceId: source.id, found: 0, toFetch: 0, fetched: 0, extracted: 0, skipped: {}, failed: {}, durationMs: 0 };
  const state = CrawlState.open(opts.stateDir, source.id);
  const fetchOptions = { timeoutMs: opts.timeoutMs ?? 20_000, maxBytes: opts.maxPageBytes ?? 10 * 1024 * 1024, allowPrivateNetwork: source.allowPrivateNetwork };
  const robots = new RobotsCache(fetchOptions);
  const log = opts.log.child({ source: source.id });

  try {
    await assertPublicUrl(source.homepage, source.allowPrivateNetwork);
  } catch (err) {
    count(summary.failed, (err as { name?: string }).name === 'PrivateAddressError' ? 'private-address' : 'unreachable');
    log.warn({ error: (err as Error).message }, 'source refused or unreachable');
    summary.durationMs = Date.now() - started;
    return summary;
  }

  const discovery = await discover(source, { robots, fetchOptions, ...opts.discovery });
  for (const p of discovery.problems) count(summary.failed, `${p.kind}-${p.reason}`);
  if (discovery.robotsBlocked.length) count(summary.skipped, 'robots', discovery.robotsBlocked.length);
  if (discovery.problems.length) log.warn({ problems: discovery.problems.slice(0, 10) }, 'discovery problems');
  summary.found = discovery.candidates.length;

  const byUrl = new Map(discovery.candidates.map((c) => [c.url, c]));
  const toFetch: string[] = [];
  for (const c of discovery.candidates) {
    const decision = state.needsFetch(c.url, c.modifiedAt);
    if (!decision.fetch) continue;
    // The canonical address of an article already fetched under another URL (a redirect or an alias): not again.
    const owner = state.canonicalOwner(c.url);
    if (owner && owner !== c.url && state.get(owner)) {
      count(summary.skipped, 'duplicate-url');
      continue;
    }
    if (opts.since && c.publishedAt && Date.parse(c.publishedAt) < opts.since.getTime()) {
      count(summary.skipped, 'before-since');
      continue;
    }
    if (opts.until && c.publishedAt && Date.parse(c.publishedAt) > opts.until.getTime()) {
      count(summary.skipped, 'after-until');
      continue;
    }
    if (!(await robots.isAllowed(c.url))) {
      count(summary.skipped, 'robots');
      state.record(c.url, { status: 'skipped', at: now().toISOString(), reason: 'robots' });
      continue;
    }
    if (opts.maxPages !== undefined && toFetch.length >= opts.maxPages) {
      count(summary.skipped, 'max-pages');
      continue;
    }
    toFetch.push(c.url);
  }
  summary.toFetch = toFetch.length;
  opts.onProgress?.(summary);

  const delay = await robots.crawlDelayMs(source.homepage);
  const perMinute = delay ? Math.min(source.rate.perMinute, Math.max(1, Math.floor(60_000 / delay))) : source.rate.perMinute;

  const onPage = async (page: FetchedPage) => {
    summary.fetched++;
    const at = now().toISOString();
    const skip = (reason: string) => {
      count(summary.skipped, reason);
      state.record(page.url, { status: 'skipped', at, reason });
    };
    if (page.status >= 400) return skip(`http-${page.status}`);
    if (page.bytes > fetchOptions.maxBytes) return skip('too-large');
    let extracted;
    try {
      extracted = extractArticle(page.html, { url: page.finalUrl, overrides: source.overrides, now: now(), dom: page.dom });
    } catch (err) {
      log.warn({ url: page.url, error: (err as Error).message }, 'extraction failed');
      return skip('extraction-error');
    }
    if (!extracted.title || !extracted.body) return skip('not-an-article');
    const canonicalUrl = normalizeUrl(extracted.canonicalUrl || page.finalUrl);
    const owner = state.canonicalOwner(canonicalUrl);
    const hash = contentHash(extracted);
    const previous = owner ? state.get(owner) : undefined;
    if (owner && owner !== page.url) return skip('duplicate-url');
    if (previous?.contentHash === hash) {
      state.record(page.url, { status: 'extracted', at, canonicalUrl, contentHash: hash });
      return count(summary.skipped, 'unchanged');
    }
    const candidate = byUrl.get(page.url);
    const raw = RawArticle.parse({
      ...extracted,
      canonicalUrl,
      publishedAt: extracted.publishedAt ?? candidate?.publishedAt ?? null,
      sourceId: source.id,
      fetchedAt: at,
      contentHash: hash,
      redirects: page.redirects,
      httpStatus: page.status,
    });
    await opts.sink(raw);
    summary.extracted++;
    state.record(page.url, { status: 'extracted', at, canonicalUrl, contentHash: hash });
    if (summary.extracted % 10 === 0) opts.onProgress?.(summary);
  };
  const onFailure = (f: PageFailure) => {
    count(summary.failed, f.reason);
    state.record(f.url, { status: 'failed', at: now().toISOString(), reason: f.reason });
    log.warn({ url: f.url, reason: f.reason, error: f.message.slice(0, 200) }, 'page failed');
  };

  if (toFetch.length > 0) {
    const pageOptions = {
      concurrency: source.rate.concurrency,
      perMinute,
      timeoutMs: fetchOptions.timeoutMs,
      maxBytes: fetchOptions.maxBytes,
      retries: opts.retries ?? 2,
      allowPrivateNetwork: source.allowPrivateNetwork,
      onPage,
      onFailure,
    };
    try {
      await (source.render === 'browser' ? fetchBrowserPages(toFetch, pageOptions) : fetchStaticPages(toFetch, pageOptions));
    } catch (err) {
      // A crawler that cannot even start (e.g. no Chromium) fails this source, not the run.
      log.error({ error: (err as Error).message }, 'page fetching failed');
      count(summary.failed, 'crawler-error', toFetch.length - summary.fetched);
    }
  }
  state.finishRun(now().toISOString(), summary.extracted, failedCount(summary));
  state.save();
  summary.durationMs = Date.now() - started;
  opts.onProgress?.(summary);
  return summary;
}

/**
 * Crawl the given sources: discover, fetch only what is new (or edited, or failed before), extract, and
 * hand each article to the sink. Never throws for a source's problems; they are counted by reason.
 */
export async function crawl(sources: Source[], opts: CrawlOptions): Promise<SourceSummary[]> {
  bridgeCrawleeLogs(opts.log);
  const queue = new PQueue({ concurrency: opts.parallelSources ?? 4 });
  const results = await Promise.all(
    sources.map((source) =>
      queue.add(async () => {
        try {
          return await crawlSource(source, opts);
        } catch (err) {
          opts.log.error({ source: source.id, error: (err as Error).message }, 'source crawl failed');
          return { sourceId: source.id, found: 0, toFetch: 0, fetched: 0, extracted: 0, skipped: {}, failed: { error: 1 }, durationMs: 0 };
        }
      }),
    ),
  );
  return results as SourceSummary[];
}
