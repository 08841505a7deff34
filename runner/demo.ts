import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { crawl } from '../crawlers/crawl.ts';
import type { Logger } from '../lib/log.ts';
import type { RawArticle } from '../model/records.ts';
import { createNewsClock } from '../test/fixtures/news-web/clock.ts';
import { startNewsWeb } from '../test/fixtures/news-web/server.ts';
import { newsWebSources } from '../test/fixtures/news-web/sources.ts';
import { ingest } from './ingest.ts';
import { openIngest } from './setup.ts';
import { accountsText, startWebApp } from '../web/start.ts';

export interface DemoOptions {
  once: boolean;
  /** Fixture seconds per real second: how fast new sample articles appear. */
  speed: number;
  pollSeconds: number;
  fresh: boolean;
  /** Port of the web app (continuous mode only). */
  webPort: number;
  /** First of the five ports of the sample news web's outlets. */
  newsWebPort: number;
  out: (line: string) => void;
}

/**
 * The end-to-end job on the embedded defaults: the local Elasticsearch, the sample news web (new
 * articles appear as its clock runs), crawl → pipeline → rules → index, polled until interrupted.
 */
export async function runDemo(config: Config, log: Logger, opts: DemoOptions): Promise<void> {
  const clock = createNewsClock({ speed: opts.once ? 0 : opts.speed });
  // Fixed ports: article URLs (and so their ids) stay the same from one demo run to the next.
  const newsWeb = await startNewsWeb({ clock, slowMs: 1500, basePort: opts.newsWebPort });
  const sources = newsWebSources(newsWeb);
  const stateDir = resolve(config.storageDir, 'demo', 'crawl-state');
  if (opts.fresh) rmSync(stateDir, { recursive: true, force: true });
  const deps = await openIngest(config, log, sources, { now: () => clock.now() });
  // Continuous mode is for people to look at: serve the web app on the same data.
  const web = opts.once ? null : await startWebApp(deps.store, config, log, { port: opts.webPort, host: '127.0.0.1', clock: () => clock.now() });
  if (web) {
    opts.out(`Ứng dụng web: ${web.url}`);
    process.stderr.write(`${accountsText(web.created)}\n`);
    opts.out('Dừng: Ctrl-C');
  }
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (let round = 1; !stopping; round++) {
      const batch: RawArticle[] = [];
      const summaries = await crawl(sources, { stateDir, log, now: () => clock.now(), sink: async (a) => void batch.push(a) });
      const result = await ingest(batch, deps);
      const failed = summaries.reduce((n, s) => n + Object.values(s.failed).reduce((a, b) => a + b, 0), 0);
      opts.out(
        `[${clock.now().toISOString()}] round ${round}: ${batch.length} new article(s) indexed, ${result.flags} flag(s), ${failed} failure(s), ${result.index.rejected.length} rejected`,
      );
      if (opts.once) break;
      for (let s = 0; s < opts.pollSeconds && !stopping; s++) await new Promise((r) => setTimeout(r, 1000));
    }
    await deps.store.client.indices.refresh({ index: `${config.elasticsearch.indexPrefix}-*` });
    opts.out(await report(deps.store, config));
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await web?.close();
    await newsWeb.close();
    await deps.closeEvidence();
    await deps.store.close();
  }
}

async function report(store: Awaited<ReturnType<typeof openIngest>>['store'], config: Config): Promise<string> {
  const articles = await store.client.search({
    index: store.names.alias('articles'),
    size: 0,
    aggs: { level: { terms: { field: 'sensitivity.level' } }, copies: { filter: { term: { isCopy: true } } } },
  });
  const flags = await store.client.search({ index: store.names.alias('flags'), size: 0, aggs: { kind: { terms: { field: 'kind' } } } });
  const cases = await store.client.search({ index: store.names.alias('cases'), size: 0, aggs: { state: { terms: { field: 'state' } } } });
  const hot = await store.client.search<{ title: string; articleCount: number; outletCount: number }>({
    index: store.names.alias('stories'),
    size: 5,
    query: { term: { highestLevel: 'hot' } },
    sort: [{ outletCount: 'desc' }, { lastSeen: 'desc' }],
  });
  const buckets = (aggs: unknown, name: string) =>
    ((aggs as Record<string, { buckets: Array<{ key: string; doc_count: number }> }>)[name]?.buckets ?? []).map((b) => `${b.key} ${b.doc_count}`).join(', ');
  const total = typeof articles.hits.total === 'number' ? articles.hits.total : articles.hits.total?.value;
  return [
    '',
    `Elasticsearch indices "${config.elasticsearch.indexPrefix}-*":`,
    `  articles: ${total} (${buckets(articles.aggregations, 'level')}; copies ${(articles.aggregations as { copies: { doc_count: number } }).copies.doc_count})`,
    `  flags:    ${buckets(flags.aggregations, 'kind') || 'none'}`,
    `  cases:    ${buckets(cases.aggregations, 'state') || 'none'}`,
    '  hot stories:',
    ...hot.hits.hits.map((h) => `    - ${h._source!.title} (${h._source!.articleCount} bài, ${h._source!.outletCount} báo)`),
  ].join('\n');
}
