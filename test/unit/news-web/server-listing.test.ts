/**
 * The sample news web on a small hand-made content set: pagination, clock visibility, updates,
 * per-outlet URL shapes. Expected values are derived by hand from the articles below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from 'cheerio';
import { stringify } from 'yaml';
import { createNewsClock } from '../../fixtures/news-web/clock.ts';
import { parseContentFile } from '../../fixtures/news-web/content.ts';
import type { NewsArticle } from '../../fixtures/news-web/content.ts';
import { startNewsWeb } from '../../fixtures/news-web/server.ts';
import type { NewsWeb } from '../../fixtures/news-web/server.ts';

const truth = {
  agencies: [{ id: '2025-51-ubnd-tinh', prominence: 'primary' }],
  sensitivity: 'normal',
  categories: ['activity'],
  tone: 'neutral',
  needsResponse: false,
};

function art(
  id: string,
  outlet: string,
  publishedAt: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    outlet,
    section: 'thoi-su',
    slug: `bai-${id}`,
    publishedAt,
    author: 'Minh Khoa',
    title: `Tiêu đề ${id}`,
    sapo: `Sapo ${id}.`,
    body: [`Đoạn thứ nhất của ${id}.`, `Đoạn thứ hai của ${id}.`],
    truth,
    ...extra,
  };
}

// ptthquangngai shows 6 per page: qn-t01..qn-t07 (1st..7th of November) fill page 1 (t07..t02) and page 2 (t01).
const RAW = [
  ...[1, 2, 3, 4, 5, 6, 7].map((d) => art(`qn-t0${d}`, 'ptthquangngai', `2026-11-0${d}T08:00:00+07:00`)),
  art('qn-t08', 'ptthquangngai', '2026-11-20T13:00:00+07:00'), // one hour after the clock start
  art('tn-t01', 'tinnhanh', '2026-11-20T11:00:00+07:00', {
    update: {
      at: '2026-11-20T12:30:00+07:00',
      title: 'Tiêu đề đã sửa tn-t01',
      body: ['Nội dung đã cập nhật.'],
    },
  }),
  art('bag-t01', 'baoangiang', '2026-11-19T08:00:00+07:00', { section: 'kinh-te' }),
  art('tc-t01', 'tapchidiaphuong', '2026-11-19T08:00:00+07:00', { section: 'phap-luat' }),
  art('nb-t01', 'ninhbinhso', '2026-11-19T08:00:00+07:00', { section: 'du-lich' }),
];

let web: NewsWeb;
let articles: NewsArticle[];

beforeAll(async () => {
  const parsed = parseContentFile(stringify(RAW), 'content/test.yaml');
  expect(parsed.issues).toEqual([]);
  articles = parsed.articles;
  web = await startNewsWeb({ clock: createNewsClock(), articles });
});
afterAll(async () => {
  await web.close();
});

async function get(url: string): Promise<{ status: number; text: string; res: Response }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, text: await res.text(), res };
}

/** Titles in the listing column of a ptthquangngai section page, in page order. */
const listed = (html: string): string[] =>
  load(html)('.cat-list a.title')
    .map((_, el) => load(el).text().replace('Tiêu đề ', ''))
    .get();

describe('URL shapes', () => {
  it('each outlet is its own origin on 127.0.0.1', () => {
    const origins = Object.values(web.outlets).map((o) => o.origin);
    expect(new Set(origins).size).toBe(5);
    for (const o of origins) expect(o).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('article URLs follow each CMS', () => {
    expect(web.urlOf('tn-t01')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bai-tn-t01-\d{7}\.html$/);
    expect(web.urlOf('bag-t01')).toMatch(/\/kinh-te\/bai-bag-t01-a\d+\.html$/);
    expect(web.urlOf('qn-t01')).toMatch(/\/thoi-su\/bai-qn-t01-\d+\.htm$/);
    expect(web.urlOf('tc-t01')).toMatch(/\/phap-luat\/bai-tc-t01-d\d+\.html$/);
    expect(web.urlOf('nb-t01')).toMatch(/\/tin-tuc\/bai-nb-t01-\d+$/);
  });

  it('lists feeds, sitemaps and listings per outlet', () => {
    const qn = web.outlets.ptthquangngai;
    expect(qn.feeds).toEqual([`${qn.origin}/rss/trang-chu.xml`, `${qn.origin}/rss/thoi-su.xml`]);
    expect(qn.sitemaps).toEqual([`${qn.origin}/sitemap.xml`]);
    expect(qn.listings).toEqual([`${qn.origin}/thoi-su`]);
    expect(web.outlets.tinnhanh.sitemaps).toEqual([
      `${web.outlets.tinnhanh.origin}/sitemap.xml`,
      `${web.outlets.tinnhanh.origin}/sitemap-news.xml`,
    ]);
    expect(web.outlets.tapchidiaphuong.listings).toEqual([
      `${web.outlets.tapchidiaphuong.origin}/chuyen-muc/phap-luat/`,
    ]);
    expect(web.outlets.ninhbinhso.render).toBe('browser');
  });

  it('a wrong slug redirects to the canonical path, an unknown path is 404', async () => {
    const url = new URL(web.urlOf('qn-t03'));
    const wrong = `${url.origin}/xa-hoi/ten-khac-${url.pathname.split('-').pop()}`;
    const r = await get(wrong);
    expect(r.status).toBe(301);
    expect(r.res.headers.get('location')).toBe(url.href);
    expect((await get(`${url.origin}/khong-co-trang-nay`)).status).toBe(404);
  });
});

describe('listing pagination', () => {
  it('page 1 has the 6 newest, page 2 the oldest, page 3 does not exist', async () => {
    const base = web.outlets.ptthquangngai.origin;
    const p1 = await get(`${base}/thoi-su`);
    expect(p1.status).toBe(200);
    expect(listed(p1.text)).toEqual(['qn-t07', 'qn-t06', 'qn-t05', 'qn-t04', 'qn-t03', 'qn-t02']);
    expect(p1.text).toContain('href="/thoi-su?page=2"');
    const p2 = await get(`${base}/thoi-su?page=2`);
    expect(listed(p2.text)).toEqual(['qn-t01']);
    expect(p2.text).not.toContain('Trang sau');
    expect((await get(`${base}/thoi-su?page=3`)).status).toBe(404);
  });
});

describe('clock', () => {
  it('hides a future article everywhere, then reveals it after advance()', async () => {
    const base = web.outlets.ptthquangngai.origin;
    const url = web.urlOf('qn-t08');
    expect((await get(url)).status).toBe(404);
    expect((await get(`${base}/rss/trang-chu.xml`)).text).not.toContain('Tiêu đề qn-t08');
    expect((await get(`${base}/sitemap.xml`)).text).not.toContain(url);
    expect((await get(`${base}/`)).text).not.toContain('Tiêu đề qn-t08');

    web.clock.advance(2 * 3600_000); // 14:00
    try {
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Đoạn thứ nhất của qn-t08.');
      expect((await get(`${base}/rss/trang-chu.xml`)).text).toContain(url);
      expect((await get(`${base}/sitemap.xml`)).text).toContain(url);
      const p2 = await get(`${base}/thoi-su?page=2`);
      expect(listed((await get(`${base}/thoi-su`)).text)[0]).toBe('qn-t08');
      expect(listed(p2.text)).toEqual(['qn-t02', 'qn-t01']);
    } finally {
      web.clock.set('2026-11-20T12:00:00+07:00');
    }
  });

  it('serves the updated content and modification time once update.at has passed', async () => {
    const url = web.urlOf('tn-t01');
    const before = await get(url);
    expect(before.text).toContain('<h1 class="title-detail">Tiêu đề tn-t01</h1>');
    expect(before.text).toContain('"dateModified":"2026-11-20T11:00:00+07:00"');
    web.clock.set('2026-11-20T12:31:00+07:00');
    try {
      const after = await get(url);
      expect(after.text).toContain('<h1 class="title-detail">Tiêu đề đã sửa tn-t01</h1>');
      expect(after.text).toContain('Nội dung đã cập nhật.');
      expect(after.text).not.toContain('Đoạn thứ nhất của tn-t01.');
      expect(after.text).toContain('"dateModified":"2026-11-20T12:30:00+07:00"');
      const feed = (await get(web.outlets.tinnhanh.feeds[0]!)).text;
      expect(feed).toContain('<updated>2026-11-20T12:30:00+07:00</updated>');
    } finally {
      web.clock.set('2026-11-20T12:00:00+07:00');
    }
  });
});

describe('HTTP behaviour', () => {
  it('answers 304 to a matching If-None-Match and gzips text when accepted', async () => {
    const url = web.urlOf('tn-t01');
    const first = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.headers.get('content-encoding')).toBe('gzip');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    // the radio-TV station's server does not compress
    const qn = await fetch(web.urlOf('qn-t01'), { headers: { 'accept-encoding': 'gzip' } });
    expect(qn.headers.get('content-encoding')).toBeNull();
  });

  it('HEAD has headers only; other methods are refused', async () => {
    const head = await fetch(web.urlOf('qn-t01'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    expect(await head.text()).toBe('');
    expect((await fetch(web.urlOf('qn-t01'), { method: 'POST' })).status).toBe(405);
  });
});

describe('request log', () => {
  it('records outlet, path with query and status', async () => {
    const base = web.outlets.ptthquangngai.origin;
    await get(`${base}/thoi-su?page=2`);
    const last = web.requests.at(-1)!;
    expect(last).toMatchObject({
      outlet: 'ptthquangngai',
      method: 'GET',
      path: '/thoi-su?page=2',
      status: 200,
    });
    expect(Date.parse(last.at)).not.toBeNaN();
  });
});
