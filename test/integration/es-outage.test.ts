/**
 * Elasticsearch goes away in the middle of a run: a private node (its own ports and data dir, never the
 * shared test node) is really stopped between two turns. The turn during the outage spools its processed
 * records to disk and reports a degraded health; once the node is started again the next turn replays the
 * spool, and every article is indexed exactly once (also after a replay that "crashed" before deleting).
 */
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { crawl } from '../../crawlers/crawl.ts';
import { normalizeUrl } from '../../crawlers/extract/url.ts';
import { articleId } from '../../lib/ids.ts';
import type { Source } from '../../crawlers/sources/schema.ts';
import type { RawArticle } from '../../model/records.ts';
import { ingest, type IngestResult } from '../../runner/ingest.ts';
import { openIngest } from '../../runner/setup.ts';
import { createClient } from '../../store/es.ts';
import { probeNode, startLocalNode, stopLocalNode } from '../../store/local-node/node.ts';
import { spoolStatus } from '../../store/spool.ts';
import { createNewsClock } from '../fixtures/news-web/clock.ts';
import { startNewsWeb, type NewsWeb } from '../fixtures/news-web/server.ts';
import { newsWebSources } from '../fixtures/news-web/sources.ts';
import { testLog } from '../helpers/es.ts';

const PORT = Number(process.env.OUTAGE_ES_PORT ?? 9291);
const OUTLETS = ['baoangiang', 'tinnhanh'];
const UNSERVED = ['not-found', 'server-error', 'robots-disallowed'];

const { ELASTICSEARCH_URL: _shared, ...baseEnv } = process.env;
void _shared;
// The private node: same distribution as the shared one, its own ports, data dir (data-9291) and pid file.
const nodeEnv = { ...baseEnv, MONITOR_ES_PORT: String(PORT), MONITOR_ES_TRANSPORT_PORT: String(PORT + 100), MONITOR_ES_HEAP: '512m' };
const nodeConfig = loadConfig({ env: nodeEnv });
const prefix = `tout${Date.now().toString(36)}`;
const storageDir = mkdtempSync(join(tmpdir(), 'outage-'));
const config: Config = loadConfig({ env: { ...nodeEnv, ELASTICSEARCH_URL: `http://127.0.0.1:${PORT}`, MONITOR_INDEX_PREFIX: prefix, MONITOR_STORAGE_DIR: storageDir } });
const client = createClient(config.elasticsearch.url!, config);
const stateDir = join(storageDir, 'crawl-state');

let web: NewsWeb;
let sources: Source[];
let deps: Awaited<ReturnType<typeof openIngest>>;

async function turn(): Promise<{ batch: RawArticle[]; result: IngestResult }> {
  const batch: RawArticle[] = [];
  await crawl(sources, { stateDir, log: testLog, now: () => web.clock.now(), sink: async (a) => void batch.push(a) });
  return { batch, result: await ingest(batch, deps) };
}

const published = () =>
  web.articles.filter((a) => OUTLETS.includes(a.outlet) && Date.parse(a.publishedAt) <= web.clock.now().getTime() && !UNSERVED.includes(a.trap ?? ''));

async function indexed(): Promise<{ total: number; ids: Set<string>; urls: Map<string, number> }> {
  await client.indices.refresh({ index: `${prefix}-*` });
  const res = await client.search<{ canonicalUrl: string }>({ index: `${prefix}-articles`, size: 1000, _source: ['canonicalUrl'] });
  const urls = new Map<string, number>();
  for (const h of res.hits.hits) urls.set(h._source!.canonicalUrl, (urls.get(h._source!.canonicalUrl) ?? 0) + 1);
  return { total: (await client.count({ index: `${prefix}-articles` })).count, ids: new Set(res.hits.hits.map((h) => h._id!)), urls };
}

beforeAll(async () => {
  await startLocalNode(nodeConfig, testLog);
  web = await startNewsWeb({ clock: createNewsClock({ start: '2026-11-19T12:00:00+07:00' }), slowMs: 200 });
  sources = newsWebSources(web).filter((s) => OUTLETS.some((o) => s.id === `mau-${o}`));
  deps = await openIngest(config, testLog, sources, { now: () => web.clock.now(), screenshots: false });
}, 300_000);

afterAll(async () => {
  await deps?.closeEvidence();
  await deps?.store.close();
  await web?.close();
  if ((await probeNode(config.elasticsearch.url!)).up) {
    await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
  }
  await client.close();
  // Only the private node this file runs (found by its own pid file); the shared node is never touched.
  await stopLocalNode(nodeConfig, testLog);
}, 120_000);

describe('Elasticsearch outage in the middle of a run', () => {
  it('spools the processed records while the node is down, reports degraded health, and replays them exactly once', async () => {
    // Turn 1, node up: the articles published so far are indexed directly.
    const first = await turn();
    expect(first.batch.length).toBeGreaterThan(10);
    expect(first.result.spooled).toBe(0);
    expect((await indexed()).total).toBe(published().length);
    expect(spoolStatus(storageDir)).toMatchObject({ health: 'ok', spooled: 0 });

    // The node really stops; new articles appear meanwhile.
    expect(await stopLocalNode(nodeConfig, testLog)).toBe(true);
    expect((await probeNode(config.elasticsearch.url!)).up).toBe(false);
    web.clock.set('2026-11-20T12:00:00+07:00');
    const during = await turn();
    expect(during.batch.length).toBeGreaterThan(3);
    // Nothing failed or was dropped: the articles, their flags and stories are on disk.
    expect(during.result.articles).toBe(during.batch.length);
    expect(during.result.spooled).toBeGreaterThanOrEqual(during.batch.length);
    const degraded = spoolStatus(storageDir);
    // Articles, flags and (written by the pipeline) stories.
    expect(degraded).toMatchObject({ health: 'degraded', esReachable: false });
    expect(degraded.spooled).toBeGreaterThanOrEqual(during.result.spooled);
    expect(degraded.oldestAt).not.toBeNull();
    expect(degraded.lastError).toMatch(/ECONNREFUSED|connect|No Living/i);
    const spoolDir = join(storageDir, 'spool');
    const segments = readdirSync(spoolDir).filter((n) => n.startsWith('seg-'));
    expect(segments.length).toBeGreaterThan(0);
    // Spooled counts as done for the crawl state: a second turn while down fetches nothing again.
    const again = await turn();
    expect(again.batch).toEqual([]);
    expect(spoolStatus(storageDir).spooled).toBe(degraded.spooled);
    // Keep a copy of the segments, as a process killed after its replay wrote them but before it deleted them would.
    const crashCopy = mkdtempSync(join(tmpdir(), 'spool-copy-'));
    for (const s of segments) cpSync(join(spoolDir, s), join(crashCopy, s));

    // The node comes back (same data dir); more articles appear. The next turn replays the spool first.
    await startLocalNode(nodeConfig, testLog);
    web.clock.set('2026-11-22T12:00:00+07:00');
    const after = await turn();
    expect(after.result.replayed).toMatchObject({ segments: segments.length, remaining: 0, dead: 0 });
    expect(after.result.replayed!.records).toBe(degraded.spooled);
    expect(after.result.spooled).toBe(0);
    expect(spoolStatus(storageDir)).toMatchObject({ health: 'ok', esReachable: true, spooled: 0, oldestAt: null });

    const check = async () => {
      const now = await indexed();
      const expected = published();
      expect(now.total).toBe(expected.length);
      expect(now.ids.size).toBe(expected.length);
      expect([...now.urls.values()].every((n) => n === 1)).toBe(true);
      for (const a of expected) expect(now.urls.has(normalizeUrl(web.urlOf(a.id))), a.id).toBe(true);
      return now;
    };
    const once = await check();
    // The outage articles got their flags and cases once replayed.
    const outageIds = during.batch.map((r) => r.canonicalUrl);
    expect(outageIds.every((u) => once.urls.has(u))).toBe(true);
    // Counted on the outage articles themselves (not totals that turn 1 already filled): their flags reached
    // the index, and cases (opened only by the replay) contain them.
    const outageArticleIds = outageIds.map(articleId);
    await client.indices.refresh({ index: `${prefix}-*` });
    expect((await client.count({ index: `${prefix}-flags`, query: { terms: { articleId: outageArticleIds } } })).count).toBeGreaterThan(0);
    expect((await client.count({ index: `${prefix}-cases`, query: { terms: { articleIds: outageArticleIds } } })).count).toBeGreaterThan(0);
    const flags = (await client.count({ index: `${prefix}-flags` })).count;
    const cases = (await client.count({ index: `${prefix}-cases` })).count;

    // A restart after a crash in the middle of that replay finds the segments again and replays them: still once.
    for (const s of segments) cpSync(join(crashCopy, s), join(spoolDir, s));
    await deps.closeEvidence();
    await deps.store.close();
    deps = await openIngest(config, testLog, sources, { now: () => web.clock.now(), screenshots: false });
    const replayAgain = await ingest([], deps);
    expect(replayAgain.replayed).toMatchObject({ segments: segments.length, records: degraded.spooled, remaining: 0 });
    await check();
    await client.indices.refresh({ index: `${prefix}-*` });
    expect((await client.count({ index: `${prefix}-flags` })).count).toBe(flags);
    expect((await client.count({ index: `${prefix}-cases` })).count).toBe(cases);
  }, 600_000);
});
