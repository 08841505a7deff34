import { describe, expect, it } from 'vitest';
import type { SourceSummary } from '../../../crawlers/summary.ts';
import { Source } from '../../../crawlers/sources/schema.ts';
import { MAX_BACKOFF_MS, Scheduler } from '../../../runner/scheduler.ts';

const MIN = 60_000;
const source = (id: string, interval: string) =>
  Source.parse({ id, name: id, homepage: `https://${id}.vn/`, kind: 'e-paper', level: 'national', feeds: [`https://${id}.vn/rss`], interval });
const summary = (sourceId: string, s: Partial<SourceSummary>): SourceSummary => ({ sourceId, found: 10, toFetch: 0, fetched: 0, extracted: 0, skipped: {}, failed: {}, durationMs: 1, ...s });

describe('adaptive scheduling', () => {
  it('starts with every source due, then waits each source by its interval', () => {
    const s = new Scheduler([source('a', '10m'), source('b', '1h')], 0);
    expect(s.due(0).map((x) => x.id)).toEqual(['a', 'b']);
    s.record(summary('a', {}), 0);
    s.record(summary('b', {}), 0);
    expect(s.due(9 * MIN)).toEqual([]);
    // Nothing new: a little slower than configured.
    expect(s.get('a')!.interval).toBe(15 * MIN);
    // Their feeds are polled on their own between full crawls (30 s by default).
    expect(s.waitMs(0)).toBe(30_000);
  });

  it('polls the feeds alone between full crawls, and not those of a failing source', () => {
    const s = new Scheduler([source('a', '10m'), source('b', '10m')], 0);
    s.record(summary('a', {}), 0);
    s.record(summary('b', { found: 0, failed: { unreachable: 1 } }), 0);
    expect(s.feedsDue(29_000)).toEqual([]);
    expect(s.feedsDue(30_000).map((x) => x.id)).toEqual(['a']);
    expect(s.due(30_000)).toEqual([]);
    s.recordFeeds(summary('a', { extracted: 1 }), 30_000);
    expect(s.feedsDue(59_000)).toEqual([]);
    expect(s.feedsDue(60_000).map((x) => x.id)).toEqual(['a']);
    // A feed that stops answering waits for the next full crawl.
    s.recordFeeds(summary('a', { found: 0, failed: { 'feed-http-500': 1 } }), 60_000);
    expect(s.feedsDue(5 * MIN)).toEqual([]);
    expect(s.waitMs(60_000)).toBe(15 * MIN - 60_000);
  });

  it('has no separate feed poll for sources without feeds or polled as often in full', () => {
    const noFeeds = Source.parse({ id: 'c', name: 'c', homepage: 'https://c.vn/', kind: 'portal', level: 'provincial', sitemaps: ['https://c.vn/sitemap.xml'], interval: '10m' });
    const s = new Scheduler([noFeeds, source('d', '20s')], 0);
    expect(s.get('c')!.feedDue).toBeNull();
    expect(s.get('d')!.feedDue).toBeNull();
  });

  it('polls a source that publishes often faster, down to a quarter of its interval', () => {
    const s = new Scheduler([source('a', '20m')], 0);
    s.record(summary('a', { extracted: 3 }), 0);
    expect(s.get('a')!.interval).toBe(10 * MIN);
    s.record(summary('a', { extracted: 2 }), 0);
    s.record(summary('a', { extracted: 2 }), 0);
    expect(s.get('a')!.interval).toBe(5 * MIN);
    // Quiet again: back up, capped at four times the configured interval.
    for (let i = 0; i < 20; i++) s.record(summary('a', {}), 0);
    expect(s.get('a')!.interval).toBe(80 * MIN);
  });

  it('backs off a failing source exponentially and restores it on success', () => {
    const s = new Scheduler([source('a', '10m')], 0);
    const down = summary('a', { found: 0, failed: { unreachable: 1 } });
    expect(s.record(down, 0).interval).toBe(20 * MIN);
    expect(s.record(down, 0).interval).toBe(40 * MIN);
    for (let i = 0; i < 10; i++) s.record(down, 0);
    expect(s.get('a')!.interval).toBe(MAX_BACKOFF_MS);
    s.record(summary('a', { extracted: 1 }), 0);
    expect(s.get('a')!.failures).toBe(0);
    expect(s.get('a')!.interval).toBe(5 * MIN);
  });
});
