import { load } from 'cheerio';
import { parseViDate } from '../extract/dates-vi.ts';
import type { Candidate } from './candidate.ts';

export interface ParsedSitemap {
  /** Child sitemaps of a sitemap index. */
  sitemaps: string[];
  urls: Candidate[];
}

const iso = (value: string | undefined): string | null => (value?.trim() ? (parseViDate(value.trim())?.iso ?? null) : null);

/**
 * Sitemap, sitemap index or Google News sitemap → URLs with their dates. A tolerant XML parse (cheerio,
 * htmlparser2): malformed files yield what can be read and never throw. (crawlee's parseSitemap was not
 * used: on malformed raw content its stream error escapes as an uncaught exception, and it drops
 * news:publication_date.)
 */
export function parseSitemapXml(xml: string): ParsedSitemap {
  const $ = load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const sitemaps = $('sitemapindex > sitemap > loc, sitemap > loc')
    .map((_, el) => $(el).text().trim())
    .get()
    .filter((u) => /^https?:\/\//.test(u));
  const urls: Candidate[] = [];
  $('urlset > url').each((_, el) => {
    const node = $(el);
    const loc = node.children('loc').first().text().trim();
    if (!/^https?:\/\//.test(loc)) return;
    const newsDate = node.find('news\\:publication_date, publication_date').first().text();
    const lastmod = node.children('lastmod').first().text();
    urls.push({ url: loc, via: 'sitemap', publishedAt: iso(newsDate), modifiedAt: iso(lastmod) });
  });
  return { sitemaps, urls };
}
