import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { runMonitor } from '../../runner/run.ts';
import { createClient } from '../../store/es.ts';
import { startNewsWeb } from '../fixtures/news-web/server.ts';
import { testLog } from '../helpers/es.ts';
import { newsWebSources } from '../fixtures/news-web/sources.ts';

const prefix = `trun${Date.now().toString(36)}`;
const storageDir = mkdtempSync(join(tmpdir(), 'run-'));
const config = loadConfig({ env: { ...process.env, ELASTICSEARCH_URL: inject('esUrl'), MONITOR_INDEX_PREFIX: prefix, MONITOR_STORAGE_DIR: storageDir } });
const client = createClient(config.elasticsearch.url!, config);
afterAll(async () => {
  await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true });
  await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
  await client.close();
});

describe('monitor run', () => {
  it('crawls the due sources, indexes, flags, opens cases and re-checks them in one turn, then stops on abort', async () => {
    const web = await startNewsWeb({ slowMs: 200 });
    const lines: string[] = [];
    try {
      await runMonitor(config, testLog, { sources: newsWebSources(web), now: () => web.clock.now(), maxTurns: 1, recheckEveryMs: 0, onTurn: (l) => lines.push(l) });
    } finally {
      await web.close();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/5 source\(s\) crawled, \d{3} article\(s\)/);
    // Open cases' articles are re-fetched for edits and removals on the recheck interval.
    expect(lines[1]).toMatch(/re-checked [1-9]\d* open case\(s\)/);
    await client.indices.refresh({ index: `${prefix}-*` });
    const published = web.articles.filter((a) => Date.parse(a.publishedAt) <= web.clock.now().getTime() && !['not-found', 'server-error', 'robots-disallowed'].includes(a.trap ?? '')).length;
    expect((await client.count({ index: `${prefix}-articles` })).count).toBe(published);
    expect((await client.count({ index: `${prefix}-flags` })).count).toBeGreaterThan(0);
    expect((await client.count({ index: `${prefix}-cases` })).count).toBeGreaterThan(0);
    // Each new case kept its articles as published: HTML, text, hash, and a Chromium screenshot.
    const cases = await client.search<{ evidence: Array<{ files?: Record<string, string>; sha256?: string }> }>({ index: `${prefix}-cases`, size: 100 });
    const evidence = cases.hits.hits.flatMap((h) => h._source!.evidence ?? []);
    expect(evidence.length).toBeGreaterThan(0);

    // An abort before the first turn ends the loop without crawling.
    const stop = new AbortController();
    stop.abort();
    const none: string[] = [];
    await runMonitor(config, testLog, { sources: [], signal: stop.signal, onTurn: (l) => none.push(l) });
    expect(none).toEqual([]);
  }, 400_000);
});
