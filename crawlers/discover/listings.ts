import { load } from 'cheerio';
import { normalizeUrl, resolveUrl, sameSite } from '../extract/url.ts';
import type { Candidate } from './candidate.ts';

const NOT_ARTICLE = /\.(pdf|jpe?g|png|gif|webp|mp4|mp3|zip|docx?|xlsx?)(\?|$)|\/(tag|tags|tim-kiem|search|chuyen-muc|video|rss|lien-he|gioi-thieu)(\/|$)|[?&]page=|\/trang-\d+/i;

/**
 * Is this link probably an article page? Without a per-source pattern: same site, a path that is not a
 * section, tag, media file or pagination, with a long slug or an id (how Vietnamese CMSs name articles).
 */
export function looksLikeArticleUrl(url: string, homepage: string, pattern?: RegExp): boolean {
  if (!sameSite(url, homepage)) return false;
  const { pathname } = new URL(url);
  if (pattern) return pattern.test(url);
  if (NOT_ARTICLE.test(url)) return false;
  const last = pathname.split('/').filter(Boolean).pop() ?? '';
  const slugWords = last.replace(/\.[a-z]+$/i, '').split('-').length;
  return /\d{4,}/.test(last) || slugWords >= 5 || /\.(html?|ldo|vov|vnp)$/i.test(last);
}

/** Links on a listing page that look like articles, in page order, without duplicates. */
export function listingCandidates(html: string, pageUrl: string, homepage: string, pattern?: RegExp): Candidate[] {
  const $ = load(html);
  const seen = new Set<string>();
  const out: Candidate[] = [];
  $('a[href]').each((_, el) => {
    const resolved = resolveUrl($(el).attr('href'), pageUrl);
    if (!resolved) return;
    const url = normalizeUrl(resolved);
    if (seen.has(url) || !looksLikeArticleUrl(url, homepage, pattern)) return;
    seen.add(url);
    out.push({ url, via: 'listing', publishedAt: null, modifiedAt: null });
  });
  return out;
}
