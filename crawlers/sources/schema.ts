import { z } from 'zod';
import { SiteOverrides } from '../extract/overrides.ts';

const HttpUrl = z.url({ protocol: /^https?$/, message: 'an http(s) URL' });
const ProvinceCode = z.string().regex(/^\d{2}$/, 'a 2-digit GSO province code');

/** "90s", "15m", "2h", "1d" → milliseconds. */
export const Duration = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, 'a duration like 90s, 15m, 2h or 1d')
  .transform((s) => Number(s.slice(0, -1)) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[s.slice(-1) as 's' | 'm' | 'h' | 'd']);

export const Listing = z
  .object({
    url: HttpUrl,
    /** Page N's URL with `{page}` (page 2 onwards), e.g. https://x.vn/thoi-su/trang-{page}.html */
    pagination: z.string().includes('{page}', { message: 'must contain {page}' }).optional(),
    maxPages: z.number().int().min(1).max(50).default(3),
  })
  .strict();

export const Source = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1),
    homepage: HttpUrl,
    kind: z.enum(['e-paper', 'print+web', 'radio-tv', 'magazine', 'portal']),
    level: z.enum(['national', 'provincial']),
    /** Current (2025) province code, and the pre-2025 one where the outlet's province changed. */
    homeProvince: z.object({ code: ProvinceCode, pre2025: ProvinceCode.optional() }).strict().nullable().default(null),
    feeds: z.array(HttpUrl).default([]),
    sitemaps: z.array(HttpUrl).default([]),
    listings: z.array(Listing).default([]),
    /** Which discovered links are articles (regular expression on the URL); default: the generic heuristic. */
    articleUrlPattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'a valid regular expression')
      .optional(),
    render: z.enum(['static', 'browser']).default('static'),
    overrides: SiteOverrides.optional(),
    /** Full discovery (feeds, sitemaps, listings); the scheduler adapts it to how often the outlet publishes. */
    interval: Duration.prefault('15m'),
    /**
     * Between full discoveries, only the feeds are polled this often: a feed is one small request, and it is
     * what brings a new article to the alerts within a minute. Sources without feeds wait for `interval`.
     */
    feedInterval: Duration.prefault('30s'),
    rate: z
      .object({
        perMinute: z.number().int().min(1).max(600).default(30),
        concurrency: z.number().int().min(1).max(16).default(2),
      })
      .strict()
      .prefault({}),
    /** Crawling private or loopback addresses is refused unless a source opts in (the sample web does). */
    allowPrivateNetwork: z.boolean().default(false),
    /** false: URLs as best known, never fetched from these offline machines. */
    verified: z.boolean().default(false),
    enabled: z.boolean().default(true),
    notes: z.string().optional(),
  })
  .strict()
  .refine((s) => s.feeds.length + s.sitemaps.length + s.listings.length > 0, {
    message: 'needs at least one feed, sitemap or listing',
    path: ['feeds'],
  });
export type Source = z.infer<typeof Source>;
export type SourceInput = z.input<typeof Source>;

export const SourceFile = z.array(Source);
