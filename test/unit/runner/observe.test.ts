import { describe, expect, it } from 'vitest';
import { RunHealth } from '../../../runner/observe/health.ts';
import { createMetrics, lagSeconds, recordCrawl } from '../../../runner/observe/metrics.ts';
import { startObserveServer } from '../../../runner/observe/server.ts';
import { createLogger } from '../../../lib/log.ts';

const summary = { sourceId: 'bao-a', found: 12, toFetch: 4, fetched: 4, extracted: 3, skipped: {}, failed: { 'http-500': 1 }, durationMs: 900 };

describe('the monitor observe port', () => {
  it('serves Prometheus metrics per source and a health report that turns 503 when Elasticsearch is down', async () => {
    let clock = Date.parse('2026-11-23T08:00:00Z');
    const metrics = createMetrics();
    const health = new RunHealth(() => clock, 10 * 60_000, () => ({ records: 0, oldestAt: null }));
    const server = await startObserveServer({ metrics, health, port: 0, host: '127.0.0.1', log: createLogger('test', 'silent') });
    try {
      recordCrawl(metrics, summary, new Date(clock));
      metrics.lagToIndex.observe(42);
      const text = await (await fetch(`${server.url}metrics`)).text();
      expect(text).toMatch(/^monitor_articles_crawled_total\{source="bao-a"\} 3$/m);
      expect(text).toMatch(/^monitor_crawl_failures_total\{source="bao-a",reason="http-500"\} 1$/m);
      expect(text).toMatch(/^monitor_lag_publication_to_index_seconds_bucket\{le="45"\} 1$/m);
      expect(text).toMatch(/^monitor_lag_publication_to_index_seconds_bucket\{le="30"\} 0$/m);
      expect(text).toContain('monitor_process_resident_memory_bytes');

      health.elasticsearch(true);
      health.turnDone();
      let res = await fetch(`${server.url}healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', elasticsearch: 'up', turns: 1 });

      health.elasticsearch(false);
      res = await fetch(`${server.url}healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'degraded', elasticsearch: 'down' });

      // Up again, but no turn for longer than the loop ever waits: stalled.
      health.elasticsearch(true);
      clock += 11 * 60_000;
      res = await fetch(`${server.url}healthz`);
      expect(res.status).toBe(503);
      expect((await res.json()).status).toBe('stalled');
      expect((await fetch(`${server.url}other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('measures lag only for articles with a valid publication time', () => {
    const at = new Date('2026-11-23T08:01:00Z');
    expect(lagSeconds('2026-11-23T15:00:00+07:00', at)).toBe(60);
    expect(lagSeconds(null, at)).toBeNull();
    expect(lagSeconds('not a date', at)).toBeNull();
  });

  it('marks a source failing when its crawl reached nothing', async () => {
    const metrics = createMetrics();
    recordCrawl(metrics, { ...summary, found: 0, fetched: 0, extracted: 0, failed: { unreachable: 1 } }, new Date());
    expect(await metrics.registry.getSingleMetricAsString('monitor_source_failing')).toMatch(/monitor_source_failing\{source="bao-a"\} 1/);
  });
});
