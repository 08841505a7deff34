import { decodeHtml } from '../extract/decode.ts';
import { normalizeUrl } from '../extract/url.ts';
import { httpFetch, maybeGunzip, type FetchOptions, type FetchResult } from '../fetch/http-fetch.ts';
import type { RobotsCache } from '../fetch/robots.ts';
import type { Source } from '../sources/schema.ts';
import type { Candidate } from './candidate.ts';
import { parseFeedCandidates } from './feeds.ts';
import { listingCandidates, looksLikeArticleUrl } from './listings.ts';
import { parseSitemapXml } from './sitemaps.ts';

export interface DiscoveryProblem {
  url: string;
  kind: 'feed' | 'sitemap' | 'listing';
  reason: string;
}

export interface Discovery {
  candidates: Candidate[];
  problems: DiscoveryProblem[];
  robotsBlocked: string[];
}

export interface DiscoverDeps {
  robots: RobotsCache;
  fetchOptions: FetchOptions;
  fetch?: (url: string, opts: FetchOptions) => Promise<FetchResult>;
  maxSitemaps?: number;
  /** Only these ways of discovery (the quick feed poll between full discoveries); all by default. */
  kinds?: ReadonlySet<DiscoveryProblem['kind']>;
  /** Listing pages followed per listing, instead of the source's `maxPages` (backfills go deeper). */
  maxListingPages?: number;
}

const text = (res: FetchResult) => Buffer.from(maybeGunzip(res.bytes)).toString('utf8');

/** Later information about the same URL fills in what earlier sources lacked. */
function merge(into: Map<string, Candidate>, c: Candidate): void {
  const url = normalizeUrl(c.url);
  const existing = into.get(url);
  if (!existing) {
    into.set(url, { ...c, url });
    return;
  }
  existing.publishedAt ??= c.publishedAt;
  if (c.modifiedAt && (!existing.modifiedAt || c.modifiedAt > existing.modifiedAt)) existing.modifiedAt = c.modifiedAt;
}

/**
 * Every article URL a source currently advertises: its feeds, its sitemaps (following sitemap indexes,
 * gzipped or not) and its listing pages (following pagination). Failures are collected, never thrown:
 * one broken feed must not hide the sitemap.
 */
export async function discover(source: Source, deps: DiscoverDeps): Promise<Discovery> {
  const fetch = deps.fetch ?? httpFetch;
  const found = new Map<string, Candidate>();
  const problems: DiscoveryProblem[] = [];
  const robotsBlocked: string[] = [];
  const pattern = source.articleUrlPattern ? new RegExp(source.articleUrlPattern) : undefined;

  const get = async (url: string, kind: DiscoveryProblem['kind']): Promise<FetchResult | null> => {
    if (!(await deps.robots.isAllowed(url))) {
      robotsBlocked.push(url);
      return null;
    }
    try {
      const res = await fetch(url, deps.fetchOptions);
      if (res.status >= 400) {
        problems.push({ url, kind, reason: `http-${res.status}` });
        return null;
      }
      return res;
    } catch (err) {
      problems.push({ url, kind, reason: (err as { reason?: string }).reason ?? 'error' });
      return null;
    }
  };

  const wanted = (kind: DiscoveryProblem['kind']) => !deps.kinds || deps.kinds.has(kind);
  for (const feedUrl of wanted('feed') ? source.feeds : []) {
    const res = await get(feedUrl, 'feed');
    if (!res) continue;
    try {
      for (const c of parseFeedCandidates(text(res))) merge(found, c);
    } catch {
      problems.push({ url: feedUrl, kind: 'feed', reason: 'not-a-feed' });
    }
  }

  const queue = wanted('sitemap') ? [...source.sitemaps] : [];
  const visited = new Set<string>();
  const maxSitemaps = deps.maxSitemaps ?? 50;
  while (queue.length > 0 && visited.size < maxSitemaps) {
    const sitemapUrl = queue.shift()!;
    if (visited.has(sitemapUrl)) continue;
    visited.add(sitemapUrl);
    const res = await get(sitemapUrl, 'sitemap');
    if (!res) continue;
    const parsed = parseSitemapXml(text(res));
    if (parsed.sitemaps.length === 0 && parsed.urls.length === 0) {
      problems.push({ url: sitemapUrl, kind: 'sitemap', reason: 'not-a-sitemap' });
    }
    queue.push(...parsed.sitemaps);
    // Sitemaps also list the homepage, sections and tag pages; keep what looks like an article.
    for (const c of parsed.urls) if (looksLikeArticleUrl(normalizeUrl(c.url), source.homepage, pattern)) merge(found, c);
  }

  for (const listing of wanted('listing') ? source.listings : []) {
    const pages = [listing.url];
    if (listing.pagination) {
      for (let n = 2; n <= (deps.maxListingPages ?? listing.maxPages); n++) pages.push(listing.pagination.replace('{page}', String(n)));
    }
    for (const pageUrl of pages) {
      const res = await get(pageUrl, 'listing');
      if (!res) break;
      const html = decodeHtml(res.bytes, res.contentType ?? undefined).html;
      const links = listingCandidates(html, res.finalUrl, source.homepage, pattern);
      if (links.length === 0) break;
      for (const c of links) merge(found, c);
    }
  }

  return { candidates: [...found.values()], problems, robotsBlocked };
}
