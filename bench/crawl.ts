import { CheerioCrawler } from '@crawlee/cheerio';
import { Configuration, RequestQueue } from '@crawlee/core';
import { extractArticle } from '../crawlers/extract/article.ts';
import { bridgeCrawleeLogs } from '../crawlers/fetch/crawlee-log.ts';
import { fetchStaticPages } from '../crawlers/fetch/pages.ts';
import { CrawlState } from '../crawlers/state/crawl-state.ts';
import { createLogger } from '../lib/log.ts';
import { startNewsWeb } from '../test/fixtures/news-web/server.ts';
import { fmt, withPeakRss, type BenchRow } from './table.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.BENCH_CRAWL_ROUNDS ?? 4);
const CONCURRENCY = 8;

async function bare(urls: string[]): Promise<number> {
  let pages = 0;
  const crawler = new CheerioCrawler(
    {
      maxConcurrency: CONCURRENCY,
      minConcurrency: CONCURRENCY,
      useSessionPool: false,
      // CheerioCrawler has parsed the page before the handler runs: fetching and parsing is all that is timed.
      requestHandler: async () => {
        pages++;
      },
    },
    new Configuration({ persistStorage: false }),
  );
  const t = performance.now();
  await crawler.run(urls.map((url) => ({ url, uniqueKey: url })));
  return pages / ((performance.now() - t) / 1000);
}

async function full(urls: string[]): Promise<{ rate: number; extractMs: number[] }> {
  let pages = 0;
  const extractMs: number[] = [];
  const t = performance.now();
  await fetchStaticPages(urls, {
    concurrency: CONCURRENCY,
    perMinute: 1_000_000,
    timeoutMs: 30_000,
    maxBytes: 10 * 1024 * 1024,
    retries: 0,
    allowPrivateNetwork: true,
    onPage: async (page) => {
      const s = performance.now();
      extractArticle(page.html, { url: page.finalUrl, dom: page.dom });
      extractMs.push(performance.now() - s);
      pages++;
    },
    onFailure: () => undefined,
  });
  return { rate: pages / ((performance.now() - t) / 1000), extractMs };
}

/** Memory held by a 100k-URL frontier: our crawl state plus crawlee's request queue. */
async function frontier(): Promise<number> {
  if (global.gc) global.gc();
  const before = process.memoryUsage().rss;
  const state = CrawlState.open(mkdtempSync(join(tmpdir(), 'bench-frontier-')), 'bench');
  const queue = await RequestQueue.open(null, { config: new Configuration({ persistStorage: false }) });
  const batch: Array<{ url: string }> = [];
  for (let i = 0; i < 100_000; i++) {
    const url = `https://bao-mau-${i % 50}.vn/thoi-su/bai-viet-so-${i}-ve-hoat-dong-cua-so-ban-nganh-${i}.html`;
    state.record(url, { status: 'extracted', at: '2026-11-23T08:00:00+07:00', canonicalUrl: url, contentHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    batch.push({ url: `${url}?next=${i}` });
    if (batch.length === 1000) await queue.addRequests(batch.splice(0));
  }
  const after = process.memoryUsage().rss;
  return Math.max(0, after - before) / 1024 / 1024;
}

export async function benchCrawl(): Promise<BenchRow[]> {
  bridgeCrawleeLogs(createLogger('bench', 'error'));
  const web = await startNewsWeb({ slowMs: 0 });
  try {
    const now = web.clock.now().getTime();
    const pages = web.articles
      .filter((a) => Date.parse(a.publishedAt) <= now && !a.trap && web.outlets[a.outlet as keyof typeof web.outlets].render === 'static')
      .map((a) => web.urlOf(a.id));
    const urls = (round: number) => pages.map((u) => `${u}${u.includes('?') ? '&' : '?'}r=${round}`);
    // Warm up both paths once, then alternate so neither gets the warmer machine.
    await bare(urls(0).slice(0, 20));
    await full(urls(0).slice(0, 20));
    const bareRates: number[] = [];
    const fullRates: number[] = [];
    const extractMs: number[] = [];
    const { peakMb } = await withPeakRss(async () => {
      for (let r = 1; r <= ROUNDS; r++) {
        bareRates.push(await bare(urls(r)));
        const f = await full(urls(r + 100));
        fullRates.push(f.rate);
        extractMs.push(...f.extractMs);
      }
    });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const bareRate = median(bareRates);
    const fullRate = median(fullRates);
    const ratio = fullRate / bareRate;
    extractMs.sort((a, b) => a - b);
    const mean = extractMs.reduce((a, b) => a + b, 0) / extractMs.length;
    const frontierMb = await frontier();
    return [
      { area: 'crawl', metric: `pages/s, crawl + extract (${pages.length} pages × ${ROUNDS})`, value: fmt(fullRate), goal: '-', ok: null },
      { area: 'crawl', metric: 'pages/s, bare CheerioCrawler (fetch + parse)', value: fmt(bareRate), goal: '-', ok: null },
      { area: 'crawl', metric: 'ratio crawl+extract / bare', value: fmt(ratio, 2), goal: '≥ 0.8', ok: ratio >= 0.8 },
      { area: 'crawl', metric: 'extraction ms/page (mean; p95)', value: `${fmt(mean, 2)}; ${fmt(extractMs[Math.floor(extractMs.length * 0.95)]!, 2)}`, goal: '-', ok: null },
      { area: 'crawl', metric: 'peak RSS during crawl, MB', value: fmt(peakMb, 0), goal: '-', ok: null },
      { area: 'crawl', metric: 'memory for a 100k-URL frontier, MB', value: fmt(frontierMb, 0), goal: '≤ 1024', ok: frontierMb <= 1024 },
    ];
  } finally {
    await web.close();
  }
}
