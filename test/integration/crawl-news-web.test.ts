import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../crawlers/crawl.ts';
import type { SourceSummary } from '../../crawlers/summary.ts';
import { normalizeUrl } from '../../crawlers/extract/url.ts';
import type { RawArticle } from '../../model/records.ts';
import type { NewsArticle } from '../fixtures/news-web/content.ts';
import { startNewsWeb, type NewsWeb } from '../fixtures/news-web/server.ts';
import { testLog } from '../helpers/es.ts';
import { newsWebSources } from '../fixtures/news-web/sources.ts';

// Real HTTP on loopback against the sample news web, real Chromium for the JS-rendered outlet.
let web: NewsWeb;
let stateDir: string;
const firstRun: RawArticle[] = [];
let firstSummary: SourceSummary[];

const NOT_EXTRACTABLE = new Set(['not-found', 'server-error', 'robots-disallowed']);

async function run(into: RawArticle[]): Promise<SourceSummary[]> {
  return crawl(newsWebSources(web), {
    stateDir,
    log: testLog,
    now: () => web.clock.now(),
    retries: 1,
    timeoutMs: 15_000,
    sink: async (a) => {
      into.push(a);
    },
  });
}

const published = (a: NewsArticle) => Date.parse(a.publishedAt) <= web.clock.now().getTime();
const total = (rows: SourceSummary[], pick: (r: SourceSummary) => number) => rows.reduce((n, r) => n + pick(r), 0);
const reasonCount = (rows: SourceSummary[], bag: 'skipped' | 'failed', reason: string) => rows.reduce((n, r) => n + (r[bag][reason] ?? 0), 0);
const byCanonical = (records: RawArticle[], a: NewsArticle) => records.filter((r) => r.canonicalUrl === normalizeUrl(web.urlOf(a.id)));

beforeAll(async () => {
  web = await startNewsWeb({ slowMs: 1500 });
  stateDir = mkdtempSync(join(tmpdir(), 'crawl-state-'));
  firstSummary = await run(firstRun);
}, 300_000);
afterAll(() => web?.close());

describe('crawling the sample news web', () => {
  it('extracts every published sample article exactly once, with its fields', () => {
    const expected = web.articles.filter((a) => published(a) && !NOT_EXTRACTABLE.has(a.trap ?? ''));
    expect(expected.length).toBeGreaterThan(120);
    const problems: string[] = [];
    for (const a of expected) {
      const found = byCanonical(firstRun, a);
      if (found.length !== 1) {
        problems.push(`${a.id}: ${found.length} records`);
        continue;
      }
      const r = found[0]!;
      if (r.title !== a.title.normalize('NFC')) problems.push(`${a.id}: title ${JSON.stringify(r.title)}`);
      const paragraphs = r.body?.split('\n\n') ?? [];
      if (paragraphs[0] !== a.body[0]?.normalize('NFC')) problems.push(`${a.id}: first paragraph ${JSON.stringify(paragraphs[0]?.slice(0, 80))}`);
      if (paragraphs.length !== a.body.length) problems.push(`${a.id}: ${paragraphs.length} paragraphs, expected ${a.body.length}`);
      const expectedDate = a.trap === 'missing-date' ? null : a.publishedAt;
      if ((r.publishedAt && Date.parse(r.publishedAt)) !== (expectedDate && Date.parse(expectedDate))) {
        problems.push(`${a.id}: publishedAt ${r.publishedAt} expected ${expectedDate}`);
      }
      if (r.publishedAt && !r.publishedAt.endsWith('+07:00')) problems.push(`${a.id}: publishedAt not in +07:00`);
    }
    expect(problems).toEqual([]);
    // Nothing that is not a sample article (menus, listings, the PDF) became a record.
    const known = new Set(expected.map((a) => normalizeUrl(web.urlOf(a.id))));
    expect(firstRun.filter((r) => !known.has(r.canonicalUrl)).map((r) => `${r.canonicalUrl} ${r.title}`)).toEqual([]);
  });

  it('handles every trap with a correct record or a counted skip', () => {
    const trap = (t: string) => web.articles.find((a) => a.trap === t)!;
    expect(byCanonical(firstRun, trap('windows-1258'))[0]!.title).toBe(trap('windows-1258').title.normalize('NFC'));
    expect(byCanonical(firstRun, trap('redirect'))[0]!.redirects.length).toBeGreaterThan(0);
    expect(byCanonical(firstRun, trap('tracking-duplicate'))).toHaveLength(1);
    expect(byCanonical(firstRun, trap('huge'))[0]!.body!.length).toBeLessThan(20_000);
    expect(byCanonical(firstRun, trap('missing-date'))[0]!.publishedAt).toBeNull();
    expect(reasonCount(firstSummary, 'skipped', 'http-404')).toBeGreaterThanOrEqual(1);
    expect(reasonCount(firstSummary, 'failed', 'http-500')).toBeGreaterThanOrEqual(1);
    expect(reasonCount(firstSummary, 'skipped', 'robots')).toBeGreaterThanOrEqual(1);
  });

  it('never fetches a page robots.txt disallows', () => {
    const disallowed = web.articles.filter((a) => a.trap === 'robots-disallowed');
    expect(disallowed.length).toBeGreaterThan(0);
    for (const a of disallowed) {
      const path = new URL(web.urlOf(a.id)).pathname;
      expect(web.requests.filter((r) => r.path.startsWith(path))).toEqual([]);
    }
    expect(web.requests.every((r) => r.userAgent?.startsWith('PressMonitorBot/'))).toBe(true);
  });

  it('fetches nothing new on a second run', async () => {
    const again: RawArticle[] = [];
    const before = web.requests.length;
    const summary = await run(again);
    expect(again).toEqual([]);
    // Only discovery (robots, feeds, sitemaps, listings) and the failed page's retry are requested.
    const articleRequests = web.requests.slice(before).filter((r) => web.articles.some((a) => new URL(web.urlOf(a.id)).pathname === r.path));
    const retried = web.articles.filter((a) => a.trap === 'server-error').map((a) => new URL(web.urlOf(a.id)).pathname);
    expect(articleRequests.every((r) => retried.includes(r.path))).toBe(true);
    expect(total(summary, (r) => r.extracted)).toBe(0);
  });

  it('picks up newly published and edited articles on the next poll', async () => {
    const later = new Date('2026-11-23T00:00:00+07:00');
    const fresh = web.articles.filter((a) => !published(a) && Date.parse(a.publishedAt) <= later.getTime() && !NOT_EXTRACTABLE.has(a.trap ?? ''));
    expect(fresh.length).toBeGreaterThan(3);
    const edited = web.articles.filter((a) => a.update && published(a) && Date.parse(a.update.at) <= later.getTime());
    web.clock.set(later);
    const next: RawArticle[] = [];
    await run(next);
    for (const a of fresh) expect(byCanonical(next, a), a.id).toHaveLength(1);
    for (const a of edited) {
      const r = byCanonical(next, a);
      expect(r, a.id).toHaveLength(1);
      expect(r[0]!.title).toBe((a.update!.title ?? a.title).normalize('NFC'));
    }
    expect(next).toHaveLength(fresh.length + edited.length);
  });
});
