import { outletProvince } from '../crawlers/sources/load.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import type { OutletInfo } from './process.ts';

export type OutletHint = string | { id?: string; name?: string; province?: string; level?: string; kind?: string } | null | undefined;

const host = (url: string) => {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
};

/**
 * Which outlet published an article: by source id, outlet name or domain (from the `outlet` hint or the
 * article URL), looked up in the sources registry; an explicit province in the hint wins.
 */
export function resolveOutlet(hint: OutletHint, url: string | null | undefined, publishedAt: string | null, sources: Source[]): OutletInfo | null {
  const byKey = (key: string) => {
    const k = key.trim().toLowerCase();
    return sources.find((s) => s.id === k || s.name.toLowerCase() === k || host(s.homepage) === k.replace(/^www\./, ''));
  };
  let source: Source | undefined;
  if (typeof hint === 'string') source = byKey(hint);
  else if (hint?.id) source = byKey(hint.id);
  else if (hint?.name) source = byKey(hint.name);
  if (!source && url) {
    const h = host(url);
    if (h) source = sources.find((s) => host(s.homepage) === h || h.endsWith(`.${host(s.homepage)}`));
  }
  const explicitProvince = typeof hint === 'object' && hint?.province && /^\d{2}$/.test(hint.province) ? hint.province : null;
  if (!source && !explicitProvince && typeof hint !== 'object') return null;
  const period = publishedAt !== null && publishedAt < '2025-07-01' ? 'pre2025' : '2025';
  return {
    id: source?.id ?? (typeof hint === 'string' ? hint : (hint?.id ?? hint?.name ?? 'unknown')),
    level: source?.level ?? (typeof hint === 'object' && (hint?.level === 'national' || hint?.level === 'provincial') ? hint.level : null),
    kind: source?.kind ?? (typeof hint === 'object' ? (hint?.kind ?? null) : null),
    province: explicitProvince ? { code: explicitProvince, period } : source ? outletProvince(source, publishedAt) : null,
  };
}
