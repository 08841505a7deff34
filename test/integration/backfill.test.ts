import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/schema.ts';
import { backfill, checkpointPath } from '../../runner/backfill.ts';
import { createClient } from '../../store/es.ts';
import { startNewsWeb, type NewsWeb } from '../fixtures/news-web/server.ts';
import { newsWebSources } from '../fixtures/news-web/sources.ts';
import { testConfig, testLog } from '../helpers/es.ts';

const UNREACHABLE_TRAPS = ['not-found', 'server-error', 'robots-disallowed'];
let web: NewsWeb;
let config: Config;
let client: ReturnType<typeof createClient>;

beforeAll(async () => {
  web = await startNewsWeb({ slowMs: 100 });
  config = { ...testConfig(), storageDir: mkdtempSync(join(tmpdir(), 'backfill-')) };
  client = createClient(config.elasticsearch.url!, config);
});
afterAll(async () => {
  await web?.close();
  await client.indices.delete({ index: `${config.elasticsearch.indexPrefix}-*`, expand_wildcards: 'all', ignore_unavailable: true });
  await client.close();
});

describe('monitor backfill', () => {
  it('indexes a period of one outlet in passes, resumes after an interruption without re-fetching, and finishes', async () => {
    const source = newsWebSources(web).find((s) => s.id === 'mau-baoangiang')!;
    const from = new Date('2025-01-01T00:00:00+07:00');
    const to = web.clock.now();
    const expected = web.articles.filter(
      (a) => a.outlet === 'baoangiang' && Date.parse(a.publishedAt) >= from.getTime() && Date.parse(a.publishedAt) <= to.getTime() && !UNREACHABLE_TRAPS.includes(a.trap ?? ''),
    );
    expect(expected.length).toBeGreaterThan(20);

    // First run: interrupted after its first pass of 8 pages.
    const stop = new AbortController();
    const progress: number[] = [];
    const first = await backfill(config, testLog, {
      source,
      from,
      to,
      pagesPerPass: 8,
      signal: stop.signal,
      onProgress: (p) => {
        progress.push(p.done);
        if (p.pass === 1 && p.done >= 8) stop.abort();
      },
    });
    expect(first.finished).toBe(false);
    expect(first.passes).toBe(1);
    expect(first.done).toBe(8);
    expect(progress.at(-1)).toBe(8);
    const saved = JSON.parse(readFileSync(checkpointPath(config.storageDir, { sourceId: source.id, from, to }), 'utf8'));
    expect(saved).toMatchObject({ passes: 1, done: 8, finished: false });
    const fetchedBefore = new Set(web.requests.filter((r) => expected.some((a) => r.path === new URL(web.urlOf(a.id)).pathname)).map((r) => r.path));

    // Same command again: carries on from the checkpoint and the crawl state, to the end.
    const requestsBefore = web.requests.length;
    const second = await backfill(config, testLog, { source, from, to, pagesPerPass: 8 });
    expect(second.finished).toBe(true);
    expect(second.passes).toBeGreaterThan(2);
    const refetched = web.requests.slice(requestsBefore).filter((r) => fetchedBefore.has(r.path));
    expect(refetched.map((r) => r.path)).toEqual([]);

    await client.indices.refresh({ index: `${config.elasticsearch.indexPrefix}-*` });
    const res = await client.search<{ canonicalUrl: string }>({
      index: `${config.elasticsearch.indexPrefix}-articles`,
      size: 1000,
      query: { term: { sourceId: source.id } },
      _source: ['canonicalUrl'],
    });
    const urls = res.hits.hits.map((h) => h._source!.canonicalUrl);
    expect(new Set(urls).size).toBe(urls.length);
    for (const a of expected) expect(urls).toContain(web.urlOf(a.id));

    // A finished backfill run again fetches no article.
    const third = await backfill(config, testLog, { source, from, to, pagesPerPass: 8 });
    expect(third.finished).toBe(true);
    expect(third.done).toBe(second.done);
  }, 300_000);
});
