import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFeedCandidates } from '../../../crawlers/discover/feeds.ts';
import { listingCandidates, looksLikeArticleUrl } from '../../../crawlers/discover/listings.ts';
import { parseSitemapXml } from '../../../crawlers/discover/sitemaps.ts';
import { maybeGunzip } from '../../../crawlers/fetch/http-fetch.ts';
import { isPrivateAddress } from '../../../crawlers/fetch/net-guard.ts';
import { CrawlState } from '../../../crawlers/state/crawl-state.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('feeds', () => {
  it('reads RSS items with their dates in +07:00', () => {
    const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo</title><link>https://bao.vn/</link><description>x</description>
      <item><title>Sạt lở bờ sông</title><link>https://bao.vn/sat-lo-bo-song-123.html?utm_source=rss</link><pubDate>Mon, 23 Nov 2026 01:30:00 GMT</pubDate></item>
      <item><title>Không ngày</title><link>https://bao.vn/khong-ngay-124.html</link></item></channel></rss>`;
    expect(parseFeedCandidates(rss)).toEqual([
      { url: 'https://bao.vn/sat-lo-bo-song-123.html?utm_source=rss', via: 'feed', publishedAt: '2026-11-23T08:30:00+07:00', modifiedAt: null },
      { url: 'https://bao.vn/khong-ngay-124.html', via: 'feed', publishedAt: null, modifiedAt: null },
    ]);
  });

  it('reads Atom entries with published and updated', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>t</id><updated>2026-11-23T08:30:00+07:00</updated>
      <entry><title>A</title><id>a</id><link rel="alternate" href="https://bao.vn/a-1.html"/><published>2026-11-22T08:00:00+07:00</published><updated>2026-11-23T09:00:00+07:00</updated></entry></feed>`;
    const [c] = parseFeedCandidates(atom);
    expect(c).toMatchObject({ url: 'https://bao.vn/a-1.html', publishedAt: '2026-11-22T08:00:00+07:00', modifiedAt: '2026-11-23T09:00:00+07:00' });
  });

  it('throws on text that is not a feed, so the caller can count it', () => {
    expect(() => parseFeedCandidates('<html><body>Lỗi 502</body></html>')).toThrow();
  });
});

describe('sitemaps', () => {
  it('reads a sitemap index, a Google News sitemap and survives garbage', () => {
    const index = parseSitemapXml('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://bao.vn/sitemap-2026-11.xml.gz</loc></sitemap></sitemapindex>');
    expect(index).toEqual({ sitemaps: ['https://bao.vn/sitemap-2026-11.xml.gz'], urls: [] });
    const news = parseSitemapXml(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://bao.vn/tin-1.html</loc><news:news><news:publication_date>2026-11-23T08:00:00+07:00</news:publication_date></news:news></url>
      <url><loc>https://bao.vn/tin-2.html</loc><lastmod>2026-11-22</lastmod></url><url><loc>javascript:alert(1)</loc></url></urlset>`);
    expect(news.urls).toEqual([
      { url: 'https://bao.vn/tin-1.html', via: 'sitemap', publishedAt: '2026-11-23T08:00:00+07:00', modifiedAt: null },
      { url: 'https://bao.vn/tin-2.html', via: 'sitemap', publishedAt: null, modifiedAt: '2026-11-22T00:00:00+07:00' },
    ]);
    expect(parseSitemapXml('garbage <<< <url><loc>')).toEqual({ sitemaps: [], urls: [] });
  });

  it('unzips gzipped sitemaps by their magic bytes', () => {
    const xml = '<urlset><url><loc>https://bao.vn/a.html</loc></url></urlset>';
    expect(Buffer.from(maybeGunzip(gzipSync(xml))).toString()).toBe(xml);
    expect(Buffer.from(maybeGunzip(Buffer.from(xml))).toString()).toBe(xml);
  });
});

describe('listing pages', () => {
  const home = 'https://baomau.vn/';
  it('keeps article links and drops sections, tags, pagination, files and other sites', () => {
    const html = `<nav><a href="/thoi-su/">Thời sự</a><a href="/tag/an-giang">An Giang</a></nav>
      <a href="/thoi-su/ubnd-tinh-hop-ban-phong-chong-sat-lo-mua-mua-4512.html">Bài 1</a>
      <a href="https://baomau.vn/thoi-su/ubnd-tinh-hop-ban-phong-chong-sat-lo-mua-mua-4512.html#comments">Bài 1 lặp</a>
      <a href="/kinh-te/gia-lua-tang-nong-dan-phan-khoi-thu-hoach-vu-dong-xuan">Bài 2</a>
      <a href="/thoi-su/trang-2.html">Trang 2</a><a href="/files/bao-cao.pdf">PDF</a><a href="https://khac.vn/bai-viet-rat-dai-cua-trang-khac-99999.html">Khác</a>`;
    expect(listingCandidates(html, 'https://baomau.vn/thoi-su/', home).map((c) => c.url)).toEqual([
      'https://baomau.vn/thoi-su/ubnd-tinh-hop-ban-phong-chong-sat-lo-mua-mua-4512.html',
      'https://baomau.vn/kinh-te/gia-lua-tang-nong-dan-phan-khoi-thu-hoach-vu-dong-xuan',
    ]);
  });
  it('uses the source pattern when one is given', () => {
    expect(looksLikeArticleUrl('https://vnexpress.net/thoi-su', 'https://vnexpress.net/', /-\d{6,}\.html$/)).toBe(false);
    expect(looksLikeArticleUrl('https://vnexpress.net/sat-lo-4799123.html', 'https://vnexpress.net/', /-\d{6,}\.html$/)).toBe(true);
  });
});

describe('private addresses', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1'])(
    '%s is private',
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  );
  it.each(['8.8.8.8', '203.113.131.1', '172.32.0.1', '2001:4860::8888'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

describe('crawl state', () => {
  it('persists what was seen, retries failures three times, and refetches edited articles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const s = CrawlState.open(dir, 'bao');
    s.record('https://bao.vn/a.html', { status: 'extracted', at: '2026-11-20T10:00:00+07:00', canonicalUrl: 'https://bao.vn/a.html', contentHash: 'h' });
    s.record('https://bao.vn/b.html', { status: 'failed', at: '2026-11-20T10:00:00+07:00', reason: 'http-500' });
    s.save();
    const t = CrawlState.open(dir, 'bao');
    expect(t.needsFetch('https://bao.vn/a.html', null).fetch).toBe(false);
    expect(t.needsFetch('https://bao.vn/a.html', '2026-11-21T08:00:00+07:00')).toEqual({ fetch: true, why: 'updated' });
    expect(t.needsFetch('https://bao.vn/new.html', null)).toEqual({ fetch: true, why: 'new' });
    expect(t.needsFetch('https://bao.vn/b.html', null)).toEqual({ fetch: true, why: 'retry' });
    t.record('https://bao.vn/b.html', { status: 'failed', at: 'x', reason: 'http-500' });
    t.record('https://bao.vn/b.html', { status: 'failed', at: 'x', reason: 'http-500' });
    expect(t.needsFetch('https://bao.vn/b.html', null).fetch).toBe(false);
    expect(t.canonicalOwner('https://bao.vn/a.html')).toBe('https://bao.vn/a.html');
  });
  it('sets a corrupt state file aside instead of failing the crawl', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    writeFileSync(join(dir, 'bao.json'), '{ not json');
    expect(CrawlState.open(dir, 'bao').size).toBe(0);
  });
});
