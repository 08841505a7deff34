import { Source, type SourceInput } from '../../crawlers/sources/schema.ts';
import type { NewsWeb } from '../fixtures/news-web/server.ts';

export const PROFILE: Record<string, Pick<SourceInput, 'kind' | 'level' | 'homeProvince'>> = {
  tinnhanh: { kind: 'e-paper', level: 'national', homeProvince: null },
  baoangiang: { kind: 'print+web', level: 'provincial', homeProvince: { code: '91', pre2025: '89' } },
  ptthquangngai: { kind: 'radio-tv', level: 'provincial', homeProvince: { code: '51', pre2025: '51' } },
  tapchidiaphuong: { kind: 'magazine', level: 'national', homeProvince: null },
  ninhbinhso: { kind: 'e-paper', level: 'provincial', homeProvince: { code: '37', pre2025: '37' } },
};

/** The sources registry of the sample news web as served right now (its ports change every start). */
export function newsWebSources(web: NewsWeb, overrides: Partial<SourceInput> = {}): Source[] {
  return Object.values(web.outlets).map((o) =>
    Source.parse({
      id: `mau-${o.key}`,
      name: o.name,
      homepage: o.homepage,
      ...PROFILE[o.key],
      feeds: o.feeds,
      sitemaps: o.sitemaps,
      listings: o.listings.map((url) => ({ url })),
      render: o.render,
      interval: '1m',
      rate: { perMinute: 600, concurrency: 4 },
      allowPrivateNetwork: true,
      verified: true,
      ...overrides,
    }),
  );
}
