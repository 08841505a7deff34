import { parseFeed } from 'feedsmith';
import { parseViDate } from '../extract/dates-vi.ts';
import type { Candidate } from './candidate.ts';

const iso = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? (parseViDate(value)?.iso ?? null) : null);

type Item = { link?: string; links?: Array<{ href?: string; rel?: string }>; pubDate?: string; published?: string; updated?: string; dc?: { date?: string } };

/** RSS 2.0, Atom, RDF or JSON Feed text → candidates. Throws on text that is no feed (caller counts it). */
export function parseFeedCandidates(text: string): Candidate[] {
  const { feed } = parseFeed(text) as { feed: { items?: Item[]; entries?: Item[] } };
  const items = feed.items ?? feed.entries ?? [];
  const out: Candidate[] = [];
  for (const item of items) {
    const link =
      item.link ??
      item.links?.find((l) => !l.rel || l.rel === 'alternate')?.href ??
      item.links?.[0]?.href;
    if (!link) continue;
    out.push({
      url: link.trim(),
      via: 'feed',
      publishedAt: iso(item.pubDate ?? item.published ?? item.dc?.date),
      modifiedAt: iso(item.updated),
    });
  }
  return out;
}
