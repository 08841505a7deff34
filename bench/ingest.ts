/**
 * Indexing: sample-web articles (distinct URLs, dates spread over the last weeks) through the whole ingest
 * path (pipeline, rules, index, cases) against the real Elasticsearch, side by side with a raw bulk index of
 * the very same final documents. The ratio shows what the pipeline costs over Elasticsearch itself; the
 * ingest rate is what one machine sustains per day once crawling (polite, I/O-bound) keeps up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { contentHash } from '../crawlers/crawl.ts';
import { createLogger } from '../lib/log.ts';
import { RawArticle } from '../model/records.ts';
import { ingest, toIndexed } from '../runner/ingest.ts';
import { openIngest } from '../runner/setup.ts';
import { loadContent } from '../test/fixtures/news-web/content.ts';
import { newsWebSources } from '../test/fixtures/news-web/sources.ts';
import { fmt, type BenchRow } from './table.ts';

const N = Number(process.env.BENCH_INGEST_ARTICLES ?? 1500);
const BATCH = 100;

function rawArticles(n: number, sourceIds: string[]): RawArticle[] {
  const content = loadContent().filter((a) => !a.trap);
  const t0 = Date.parse('2026-10-01T06:00:00+07:00');
  return Array.from({ length: n }, (_, i) => {
    const a = content[i % content.length]!;
    // Each round of the corpus is another day's news: same prose, new URL and date (re-publications happen).
    const round = Math.floor(i / content.length);
    const body = [...a.body.slice(round % a.body.length), ...a.body.slice(0, round % a.body.length)].join('\n\n');
    const url = `https://bench-${a.outlet}.vn/bai-${i}.html`;
    const publishedAt = new Date(t0 + i * 17 * 60_000).toISOString();
    const fields = { title: a.title, sapo: a.sapo, body };
    return RawArticle.parse({
      url,
      canonicalUrl: url,
      ...fields,
      author: a.author,
      publishedAt,
      modifiedAt: null,
      section: a.section,
      tags: a.tags,
      image: null,
      lang: 'vi',
      sourceId: sourceIds[i % sourceIds.length],
      fetchedAt: publishedAt,
      contentHash: contentHash(fields),
    });
  });
}

export async function benchIngest(): Promise<BenchRow[]> {
  const log = createLogger('bench', 'error');
  const storageDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const base = loadConfig({ env: { ...process.env, MONITOR_STORAGE_DIR: storageDir } });
  const prefix = `bench-ingest-${Date.now().toString(36)}`;
  const config = { ...base, elasticsearch: { ...base.elasticsearch, indexPrefix: prefix } };
  const rawConfig = { ...base, elasticsearch: { ...base.elasticsearch, indexPrefix: `${prefix}-raw` } };
  // The sample outlets' profiles (home province, kind) without starting the sample web.
  const fakeWeb = {
    outlets: Object.fromEntries(
      ['tinnhanh', 'baoangiang', 'ptthquangngai', 'tapchidiaphuong', 'ninhbinhso'].map((key) => [
        key,
        { key, name: key, homepage: `https://bench-${key}.vn/`, feeds: [`https://bench-${key}.vn/rss`], sitemaps: [], listings: [], render: 'static' },
      ]),
    ),
  } as unknown as Parameters<typeof newsWebSources>[0];
  const sources = newsWebSources(fakeWeb);
  const articles = rawArticles(N, sources.map((s) => s.id));
  // No evidence snapshots: these URLs do not exist (the live monitor fetches them for new cases).
  const { evidence: _e, ...deps } = await openIngest(config, log, sources, { screenshots: false });
  void _e;
  const raw = await openIngest(rawConfig, log, sources, { screenshots: false });
  await raw.closeEvidence();
  try {
    const t = performance.now();
    for (let i = 0; i < articles.length; i += BATCH) await ingest(articles.slice(i, i + BATCH), deps);
    const ingestRate = articles.length / ((performance.now() - t) / 1000);

    // The same final documents, as the pipeline produced them, written by the same bulk writer alone.
    const docs = [];
    for (const a of articles) docs.push((await toIndexed(a, { ...deps, pipeline: deps.pipeline })).article);
    const { indexArticles } = await import('../store/articles.ts');
    const t2 = performance.now();
    for (let i = 0; i < docs.length; i += BATCH) await indexArticles(raw.store, raw.writer, docs.slice(i, i + BATCH));
    const bulkRate = docs.length / ((performance.now() - t2) / 1000);
    const ratio = ingestRate / bulkRate;
    return [
      { area: 'indexing', metric: `articles/s, pipeline + rules + index + cases (${N} articles, batches of ${BATCH})`, value: fmt(ingestRate), goal: '-', ok: null },
      { area: 'indexing', metric: 'articles/s, bulk indexing of the same documents alone', value: fmt(bulkRate), goal: '-', ok: null },
      { area: 'indexing', metric: 'ratio full ingest / bulk alone', value: fmt(ratio, 2), goal: '-', ok: null },
      { area: 'indexing', metric: 'articles/day one machine sustains (full ingest rate × 86,400)', value: `${fmt((ingestRate * 86_400) / 1e6, 1)} M`, goal: '-', ok: null },
    ];
  } finally {
    for (const s of [deps.store, raw.store]) {
      await s.client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all', ignore_unavailable: true }).catch(() => undefined);
    }
    await deps.store.close();
    await raw.store.close();
    rmSync(storageDir, { recursive: true, force: true });
  }
}
