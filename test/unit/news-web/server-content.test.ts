/**
 * The sample news web on the real content: every outlet's entry points, feeds, sitemaps, robots.txt,
 * the planted traps, the JS-rendered outlet, the clock revealing planted articles.
 * Expected texts are the planted articles' own words (content/planted-*.yaml).
 */
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { load } from 'cheerio';
import { parseFeed } from 'feedsmith';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNewsClock } from '../../fixtures/news-web/clock.ts';
import { startNewsWeb } from '../../fixtures/news-web/server.ts';
import type { NewsWeb } from '../../fixtures/news-web/server.ts';

let web: NewsWeb;
beforeAll(async () => {
  web = await startNewsWeb({ clock: createNewsClock(), slowMs: 400, serverErrorFailures: 1 });
});
afterAll(async () => {
  await web.close();
});

async function get(url: string): Promise<{ status: number; text: string; bytes: Buffer; res: Response }> {
  const res = await fetch(url, { redirect: 'manual' });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: bytes.toString('utf8'), bytes, res };
}

function feedLinks(xml: string): string[] {
  const parsed = parseFeed(xml);
  if (parsed.format === 'atom') return (parsed.feed.entries ?? []).map((e) => e.links?.[0]?.href ?? '');
  if (parsed.format === 'rss') return (parsed.feed.items ?? []).map((i) => i.link ?? '');
  throw new Error(`unexpected feed format ${parsed.format}`);
}

describe('entry points of every outlet', () => {
  it('homepage, robots.txt, main feed, sitemap and first listing answer 200 with the right type', async () => {
    for (const o of Object.values(web.outlets)) {
      const home = await get(o.homepage);
      expect(home.status, o.key).toBe(200);
      expect(home.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const robots = await get(o.robots);
      expect(robots.text).toContain(`Sitemap: ${o.sitemaps[0]}`);
      const feed = await get(o.feeds[0]!);
      expect(feed.status).toBe(200);
      const links = feedLinks(feed.text);
      expect(links.length, o.key).toBeGreaterThanOrEqual(20);
      expect(links.length).toBeLessThanOrEqual(50);
      expect((await get(o.sitemaps[0]!)).status).toBe(200);
      expect((await get(o.listings[0]!)).status).toBe(200);
    }
  });

  it('tinnhanh publishes Atom, the others RSS 2.0', async () => {
    expect(parseFeed((await get(web.outlets.tinnhanh.feeds[0]!)).text).format).toBe('atom');
    for (const key of ['baoangiang', 'ptthquangngai', 'tapchidiaphuong', 'ninhbinhso'] as const) {
      expect(parseFeed((await get(web.outlets[key].feeds[0]!)).text).format, key).toBe('rss');
    }
  });

  it('templates differ: JSON-LD on tinnhanh, OpenGraph only on baoangiang, no metadata on ptthquangngai', async () => {
    const tn = load((await get(web.urlOf('tn-p-s1-a'))).text);
    const ld = JSON.parse(tn('script[type="application/ld+json"]').first().text()) as Record<string, unknown>;
    expect(ld).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'Hơn 60 m đường tỉnh ở An Giang sụp xuống sông trong đêm',
      datePublished: '2026-11-20T06:45:00+07:00',
    });
    expect(tn('span.date').text()).toBe('Thứ sáu, 20/11/2026, 06:45 (GMT+7)');

    const bag = load((await get(web.urlOf('bag-p-s1-a'))).text);
    expect(bag('script[type="application/ld+json"]')).toHaveLength(0);
    expect(bag('meta[property="og:title"]').attr('content')).toBe(
      'Sạt lở bờ sông Tiền ở xã Chợ Mới, tạm cấm lưu thông đường tỉnh 942',
    );
    expect(bag('.detail-meta .date').text().trim()).toBe('19/11/2026 21:40');
    expect(bag('.detail-content figure figcaption').text()).toBe(
      'Hiện trường đoạn đường tỉnh 942 bị sạt lở xuống sông Tiền tối 19/11.',
    );

    const qn = load((await get(web.urlOf('qn-p-s2-a'))).text);
    expect(
      qn('meta[property^="og:"], meta[property^="article:"], script[type="application/ld+json"]'),
    ).toHaveLength(0);
    expect(qn('h2.news-title').text()).toBe('Hơn 40 học sinh ở xã Bình Sơn nhập viện sau bữa ăn bán trú');
    expect(qn('.news-date').text()).toBe('18:30 ngày 18/11/2026');

    const tc = load((await get(web.urlOf('tc-p-s4'))).text);
    expect(tc('meta[property="article:published_time"]').attr('content')).toBe('2026-11-16T09:00:00+07:00');
    expect(tc('time.entry-date').text()).toBe('16-11-2026 - 09:00');
    expect(tc('.author-info .author').text()).toBe('Hoàng Nam');
  });
});

describe('sitemaps', () => {
  it('tinnhanh: index → monthly sitemaps, older months gzipped; the gz decompresses to a urlset', async () => {
    const index = (await get(web.outlets.tinnhanh.sitemaps[0]!)).text;
    expect(index).toContain('<sitemapindex');
    const locs = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    expect(locs.some((l) => l.endsWith('/sitemaps/sitemap-2026-11.xml'))).toBe(true);
    const october = locs.find((l) => l.endsWith('/sitemaps/sitemap-2026-10.xml.gz'));
    expect(october).toBeDefined();
    const gz = await get(october!);
    expect(gz.res.headers.get('content-type')).toBe('application/gzip');
    expect(gz.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const xml = gunzipSync(gz.bytes).toString('utf8');
    expect(xml).toContain('<urlset');
    expect(xml).toContain(`<loc>${web.urlOf('tn-p-c2')}</loc>`);
    expect(xml).toContain('<lastmod>2026-10-05T08:15:00+07:00</lastmod>');
  });

  it('tinnhanh Google News sitemap lists only the last 48 hours with publication_date', async () => {
    const news = (await get(web.outlets.tinnhanh.sitemaps[1]!)).text;
    expect(news).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    expect(news).toContain(`<loc>${web.urlOf('tn-p-s1-a')}</loc>`);
    expect(news).toContain('<news:publication_date>2026-11-20T06:45:00+07:00</news:publication_date>');
    expect(news).not.toContain(web.urlOf('tn-p-s4')); // 14/11, too old
  });
});

describe('traps', () => {
  it('redirect: the feed links a legacy URL answering 301 to the canonical URL', async () => {
    const legacy = web.feedUrlOf('bag-p-t-redirect');
    expect(legacy).toMatch(/\/Tin-tuc\/\d+\.aspx$/);
    expect(feedLinks((await get(web.outlets.baoangiang.feeds[0]!)).text)).toContain(legacy);
    const r = await get(legacy);
    expect(r.status).toBe(301);
    expect(r.res.headers.get('location')).toBe(web.urlOf('bag-p-t-redirect'));
  });

  it('tracking-duplicate: the feed adds utm parameters and a fragment, the sitemap has the clean URL', async () => {
    const clean = web.urlOf('tn-p-t-utm');
    const links = feedLinks((await get(web.outlets.tinnhanh.feeds[0]!)).text);
    const tracked = links.find((l) => l.startsWith(`${clean}?`));
    expect(tracked).toBe(`${clean}?utm_source=rss&utm_medium=feed&utm_campaign=kinh-te#box_comment`);
    expect(links).not.toContain(clean);
    const month = (await get(`${web.outlets.tinnhanh.origin}/sitemaps/sitemap-2026-11.xml`)).text;
    expect(month).toContain(`<loc>${clean}</loc>`);
    const page = load((await get(tracked!)).text);
    expect(page('link[rel="canonical"]').attr('href')).toBe(clean);
  });

  it('not-found: the article answers 404 although the feed links it', async () => {
    expect(feedLinks((await get(web.outlets.ptthquangngai.feeds[0]!)).text)).toContain(
      web.urlOf('qn-p-t-404'),
    );
    expect((await get(web.urlOf('qn-p-t-404'))).status).toBe(404);
  });

  it('server-error: 500 (here recovering after one failure, as configured)', async () => {
    const first = await get(web.urlOf('tc-p-t-500'));
    expect(first.status).toBe(500);
    expect(first.text).toContain('500 Internal Server Error');
    const second = await get(web.urlOf('tc-p-t-500'));
    expect(second.status).toBe(200);
    expect(second.text).toContain('Khai thác cát trái phép trên sông Hậu: Cần chế tài đủ sức răn đe');
  });

  it('slow: answers after the configured delay', async () => {
    const t0 = Date.now();
    const r = await get(web.urlOf('bag-p-t-slow'));
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
  });

  it('huge: the page is over 5 MB but its article text is normal', async () => {
    const r = await get(web.urlOf('tn-p-t-huge'));
    expect(r.bytes.length).toBeGreaterThan(5 * 1024 * 1024);
    // (no DOM parse of 6 MB here: it would block the in-process servers for seconds)
    const article = /<article class="fck_detail">([\s\S]*?)<\/article>/.exec(r.text)?.[1] ?? '';
    expect(article.length).toBeLessThan(10_000);
    expect(article).toContain(
      '<p class="Normal">Đầu tháng 11, phụ huynh học sinh Trường THCS Thành Nam B, phường Nam Định',
    );
    expect(r.text.indexOf('class="comment_item"')).toBeGreaterThan(r.text.indexOf('</article>'));
  });

  it('windows-1258: declared in header and meta, bytes decode to the Vietnamese text', async () => {
    const r = await get(web.urlOf('qn-p-t-cp1258'));
    expect(r.res.headers.get('content-type')).toBe('text/html; charset=windows-1258');
    expect(r.text).not.toContain('Măng Đen'); // not UTF-8
    const decoded = iconv.decode(r.bytes, 'windows-1258').normalize('NFC');
    expect(decoded).toContain('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">');
    expect(decoded).toContain(
      '<h2 class="news-title">Xã Măng Đen phát triển du lịch cộng đồng mùa dã quỳ</h2>',
    );
    expect(decoded).toContain('Những ngày này, sắc vàng dã quỳ phủ kín các triền đồi ở xã Măng Đen');
    expect(decoded).toContain('&#9679; Trực tuyến QNgTV'); // "●" has no CP1258 byte
  });

  it('broken-html: malformed markup, text still there', async () => {
    const r = await get(web.urlOf('bag-p-t-broken'));
    expect(r.text).toContain('</b></i>');
    expect(r.text).not.toContain('</html>');
    expect(load(r.text)('body').text()).toContain('Phường cũng đang nghiên cứu phân định phần vỉa hè');
  });

  it('missing-date: no date in page, metadata or feed', async () => {
    const r = await get(web.urlOf('tc-p-t-nodate'));
    expect(r.status).toBe(200);
    expect(r.text).toContain('Phát huy vai trò người phát ngôn cấp xã: Kinh nghiệm từ Quảng Ngãi');
    expect(r.text).not.toContain('published_time');
    expect(r.text).not.toMatch(/18-11-2026|2026-11-18|18\/11\/2026/);
    expect(r.res.headers.get('last-modified')).toBeNull();
    const feed = parseFeed((await get(web.outlets.tapchidiaphuong.feeds[0]!)).text);
    if (feed.format !== 'rss') throw new Error('rss expected');
    const item = feed.feed.items?.find((i) => i.link === web.urlOf('tc-p-t-nodate'));
    expect(item).toBeDefined();
    expect(item!.pubDate).toBeUndefined();
  });

  it('robots-disallowed: /noi-bo/ disallowed, linked from the sitemap only', async () => {
    const o = web.outlets.baoangiang;
    expect((await get(o.robots)).text).toContain('Disallow: /noi-bo/');
    const url = web.urlOf('bag-p-t-noibo');
    expect(new URL(url).pathname.startsWith('/noi-bo/')).toBe(true);
    expect((await get(o.sitemaps[0]!)).text).toContain(`<loc>${url}</loc>`);
    expect(feedLinks((await get(o.feeds[0]!)).text)).not.toContain(url);
    expect((await get(o.homepage)).text).not.toContain(new URL(url).pathname);
    expect(o.listings.some((l) => l.includes('/noi-bo/'))).toBe(false);
  });

  it('a listing links a PDF document served as application/pdf', async () => {
    const listing = load((await get(`${web.outlets.baoangiang.origin}/thoi-su/`)).text);
    const href = listing('.list-news a[href$=".pdf"]').attr('href');
    expect(href).toBe('/uploads/van-ban/nghi-quyet-ky-hop-thu-5-hdnd-tinh.pdf');
    const pdf = await get(web.outlets.baoangiang.origin + href);
    expect(pdf.res.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('the mobile variant /m/… points by canonical to the desktop URL', async () => {
    const desktop = web.urlOf('qn-p-s2-b');
    const mobile = desktop.replace(web.outlets.ptthquangngai.origin, `${web.outlets.ptthquangngai.origin}/m`);
    const $ = load((await get(mobile)).text);
    expect($('link[rel="canonical"]').attr('href')).toBe(desktop);
    expect($('h1.m-title').text()).toBe('Sở Y tế thông tin kết quả ban đầu vụ học sinh ngộ độc ở Bình Sơn');
  });
});

describe('the JS-rendered outlet (ninhbinhso)', () => {
  it('the article page is a shell: title only in <title>, no text; the JSON endpoint has the text', async () => {
    const url = web.urlOf('nb-p-s3-a');
    const shell = await get(url);
    expect(shell.status).toBe(200);
    const $ = load(shell.text);
    expect($('title').text()).toBe(
      'Phường Tây Hoa Lư đối thoại với người dân về bồi thường dự án khu đô thị | Ninh Bình Số',
    );
    expect($('h1')).toHaveLength(0);
    expect(shell.text.match(/Phường Tây Hoa Lư đối thoại/g)).toHaveLength(1);
    expect(shell.text).not.toContain('Khu đô thị sinh thái Tràng An Riverside');
    const id = $('#app').attr('data-id');
    expect(shell.text).toContain("fetch('/api/bai-viet/' + id + '.json'");
    const api = await get(`${web.outlets.ninhbinhso.origin}/api/bai-viet/${id}.json`);
    expect(api.res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const json = JSON.parse(api.text) as {
      title: string;
      content: string;
      publishedAt: string;
      author: string;
    };
    expect(json.title).toBe('Phường Tây Hoa Lư đối thoại với người dân về bồi thường dự án khu đô thị');
    expect(json.content).toContain(
      'Khu đô thị sinh thái Tràng An Riverside do Công ty cổ phần Đầu tư phát triển Hoàng Long Xanh làm chủ đầu tư',
    );
    expect(json.publishedAt).toBe('2026-11-17T16:00:00+07:00');
    expect(json.author).toBe('Minh Đức');
  });

  it('the inline script renders the article from the JSON (run without a browser)', async () => {
    const origin = web.outlets.ninhbinhso.origin;
    const $ = load((await get(web.urlOf('nb-p-c3'))).text);
    const script = $('script')
      .filter((_, el) => $(el).text().includes('/api/bai-viet/'))
      .text();
    const app = {
      attrs: { 'data-id': $('#app').attr('data-id') } as Record<string, string | undefined>,
      innerHTML: '',
    };
    const done = new Promise<void>((resolve) => {
      const element = {
        getAttribute: (n: string) => app.attrs[n] ?? null,
        setAttribute: (n: string, v: string) => {
          app.attrs[n] = v;
          if (n === 'data-loaded') resolve();
        },
        set innerHTML(v: string) {
          app.innerHTML = v;
        },
      };
      const document = { title: '', getElementById: () => element };
      runInNewContext(script, { document, fetch: (u: string, o: RequestInit) => fetch(origin + u, o) });
    });
    await done;
    const rendered = load(app.innerHTML);
    expect(rendered('h1.nb-title').text()).toBe(
      'Ninh Bình ra mắt tuyến du lịch đường thủy kết nối Tam Chúc - Tràng An',
    );
    expect(rendered('time').attr('datetime')).toBe('2026-09-15T10:00:00+07:00');
    expect(rendered('.nb-content figure figcaption').text()).toBe(
      'Tàu du lịch trên tuyến đường thủy Tam Chúc - Tràng An trong ngày ra mắt.',
    );
    expect(rendered('.nb-content p').first().text()).toMatch(
      /^Tuyến du lịch mới khởi hành từ bến thuyền Tam Chúc/,
    );
  });

  it('the JSON of a future article is 404 until the clock reaches it', async () => {
    const id = new URL(web.urlOf('nb-p-s3-b')).pathname.split('-').pop();
    const api = `${web.outlets.ninhbinhso.origin}/api/bai-viet/${id}.json`;
    expect((await get(api)).status).toBe(404);
    web.clock.set('2026-11-21T10:00:00+07:00');
    try {
      expect((await get(api)).status).toBe(200);
    } finally {
      web.clock.set('2026-11-20T12:00:00+07:00');
    }
  });
});

describe('planted articles and the clock', () => {
  it('the fire story and its copy appear only after the clock passes them', async () => {
    const feed = web.outlets.tinnhanh.feeds[0]!;
    expect((await get(web.urlOf('tn-p-s5'))).status).toBe(404);
    expect(feedLinks((await get(feed)).text)).not.toContain(web.urlOf('tn-p-s5'));
    web.clock.set('2026-11-21T16:00:00+07:00');
    try {
      const links = feedLinks((await get(feed)).text);
      expect(links).toContain(web.urlOf('tn-p-s5'));
      expect(links).toContain(web.urlOf('tn-p-c6'));
      expect((await get(web.urlOf('bag-p-s5-a'))).status).toBe(200);
    } finally {
      web.clock.set('2026-11-20T12:00:00+07:00');
    }
  });

  it('the correction cites the corrected article by its URL and shows in its home-page box', async () => {
    web.clock.set('2026-11-21T15:00:00+07:00');
    try {
      const $ = load((await get(web.urlOf('tn-p-fc-cc'))).text);
      expect($('article.fck_detail').text()).toContain(
        `tại chuyên mục Sức khỏe, địa chỉ ${web.urlOf('tn-p-fc')}.`,
      );
      const home = load((await get(web.outlets.tinnhanh.homepage)).text);
      expect(home('.box-cai-chinh a').first().text()).toBe('Thông tin cải chính');
      expect(home('.box-cai-chinh h3 a').attr('href')).toBe(new URL(web.urlOf('tn-p-fc-cc')).pathname);
    } finally {
      web.clock.set('2026-11-20T12:00:00+07:00');
    }
  });

  it('the updated article changes title at 16:00 on 20/11', async () => {
    const url = web.urlOf('bag-p-s1-b');
    expect(load((await get(url)).text)('h1.detail-title').text()).toBe(
      'Di dời khẩn cấp 15 hộ dân khỏi vùng sạt lở ở xã Chợ Mới',
    );
    web.clock.set('2026-11-20T16:00:00+07:00');
    try {
      const $ = load((await get(url)).text);
      expect($('h1.detail-title').text()).toBe(
        'Di dời khẩn cấp 27 hộ dân khỏi vùng sạt lở ở xã Chợ Mới, tỉnh hỗ trợ mỗi hộ 30 triệu đồng',
      );
      expect($('.detail-meta .updated').text()).toBe('Cập nhật: 20/11/2026 16:00');
    } finally {
      web.clock.set('2026-11-20T12:00:00+07:00');
    }
  });
});
