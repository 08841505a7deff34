import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../config/load.ts';
import { shardOf } from '../../runner/shard.ts';
import { createClient } from '../../store/es.ts';
import { startNewsWeb } from '../fixtures/news-web/server.ts';
import { newsWebSourceInputs } from '../fixtures/news-web/sources.ts';
import { runMonitor } from '../helpers/cli.ts';

const prefix = `tshard${Date.now().toString(36)}`;
const config = loadConfig({ env: { ...process.env, ELASTICSEARCH_URL: inject('esUrl'), MONITOR_INDEX_PREFIX: prefix } });
const client = createClient(config.elasticsearch.url!, config);
afterAll(async () => {
  await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true });
  await client.close();
});

describe('two workers with --shard 1/2 and 2/2', () => {
  it('split the sources between them: together they index every published article, none twice', async () => {
    const web = await startNewsWeb({ slowMs: 100 });
    try {
      // The registry file both workers read, as an operator would deploy it.
      const dir = mkdtempSync(join(tmpdir(), 'shard-'));
      const sourcesFile = join(dir, 'sources.yaml');
      writeFileSync(
        sourcesFile,
        stringify(
          newsWebSourceInputs(web),
        ),
      );
      const worker = (i: number) =>
        runMonitor(['run', '--sources', sourcesFile, '--shard', `${i}/2`, '--max-turns', '1', '--no-web', '--metrics-port', '0', '--no-screenshots'], {
          env: { ELASTICSEARCH_URL: config.elasticsearch.url, MONITOR_INDEX_PREFIX: prefix, MONITOR_STORAGE_DIR: join(dir, `worker-${i}`), LOG_LEVEL: 'info' },
          timeoutMs: 400_000,
        });
      // Both at the same time, each with its own storage (its own crawl state), as on two machines.
      const [one, two] = await Promise.all([worker(1), worker(2)]);
      expect(one.code, one.stderr.slice(-2000)).toBe(0);
      expect(two.code, two.stderr.slice(-2000)).toBe(0);

      const crawledBy = (r: { stderr: string }) =>
        new Set(
          r.stderr
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as { msg?: string; sources?: string[] })
            .find((l) => l.msg === 'this worker crawls its shard of the sources')?.sources ?? [],
        );
      const a = crawledBy(one);
      const b = crawledBy(two);
      expect(a.size).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect([...a].filter((s) => b.has(s))).toEqual([]);
      expect(a.size + b.size).toBe(Object.keys(web.outlets).length);
      for (const s of a) expect(shardOf(s, 2)).toBe(1);

      // Each worker said how many articles it handled; together exactly the published ones.
      const handled = (r: { stdout: string }) => Number(/(\d+) article\(s\)/.exec(r.stdout)?.[1] ?? Number.NaN);
      const published = web.articles.filter((x) => Date.parse(x.publishedAt) <= web.clock.now().getTime() && !['not-found', 'server-error', 'robots-disallowed'].includes(x.trap ?? ''));
      expect(handled(one) + handled(two)).toBe(published.length);
      await client.indices.refresh({ index: `${prefix}-*` });
      const res = await client.search<{ canonicalUrl: string }>({ index: `${prefix}-articles`, size: 1000, _source: ['canonicalUrl'] });
      const urls = res.hits.hits.map((h) => h._source!.canonicalUrl);
      expect(urls).toHaveLength(published.length);
      expect(new Set(urls).size).toBe(urls.length);
    } finally {
      await web.close();
    }
  }, 500_000);
});
