import { CheerioCrawler } from '@crawlee/cheerio';
import { Configuration, type Request } from '@crawlee/core';
import { PlaywrightCrawler } from '@crawlee/playwright';
import type { CheerioAPI } from 'cheerio';
import { chromium } from 'playwright';
import { charsetFromContentType, charsetFromMeta, decodeHtml } from '../extract/decode.ts';
import { assertPublicUrl, PrivateAddressError } from './net-guard.ts';
import { USER_AGENT } from './http-fetch.ts';
import { CHROMIUM_LAUNCH } from '../../lib/chromium.ts';

export interface FetchedPage {
  /** The page as crawlee parsed it (static pages), so extraction does not parse it again. */
  dom?: CheerioAPI;
  url: string;
  finalUrl: string;
  status: number;
  contentType: string | null;
  html: string;
  bytes: number;
  redirects: string[];
}

export interface PageFailure {
  url: string;
  reason: string;
  message: string;
}

export interface PageFetchOptions {
  concurrency: number;
  perMinute: number;
  timeoutMs: number;
  maxBytes: number;
  retries: number;
  allowPrivateNetwork: boolean;
  onPage: (page: FetchedPage) => Promise<void>;
  onFailure: (failure: PageFailure) => void;
}


export function classifyFailure(message: string): string {
  if (/Content-Type/i.test(message)) return 'non-html';
  if (/page larger than \d+ bytes/.test(message)) return 'too-large';
  const status = /^(\d{3}) -/.exec(message) ?? /status code (\d{3})/i.exec(message);
  if (status) return `http-${status[1]}`;
  if (/timed? ?out|timeout/i.test(message)) return 'timeout';
  if (/private or loopback/.test(message)) return 'private-address';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up/i.test(message)) return 'network';
  return 'error';
}

/** The redirect chain, first to last: every hop when they were recorded, else the first and the final URL. */
function redirectsOf(request: Request, hops: string[] = []): string[] {
  if (hops.length > 0) return [request.url, ...hops];
  const loaded = request.loadedUrl;
  return loaded && loaded !== request.url ? [request.url, loaded] : [];
}

export class PageTooLargeError extends Error {
  constructor(url: string, maxBytes: number) {
    super(`${url}: page larger than ${maxBytes} bytes`);
    this.name = 'PageTooLargeError';
  }
}

interface SizedResponse {
  headers?: Record<string, string | string[] | undefined>;
  on?(event: 'downloadProgress', listener: (p: { transferred: number }) => void): unknown;
  destroy?(error?: Error): unknown;
}

function capResponseSize(request: Request, response: unknown, maxBytes: number): void {
  const r = response as SizedResponse | undefined;
  if (!r) return;
  const announced = Number(r.headers?.['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    request.noRetry = true;
    throw new PageTooLargeError(request.url, maxBytes);
  }
  r.on?.('downloadProgress', (p) => {
    if (p.transferred <= maxBytes) return;
    request.noRetry = true;
    r.destroy?.(new PageTooLargeError(request.url, maxBytes));
  });
}

/** Each crawl gets its own in-memory request queue: crawls of different sources never share state. */
function isolatedConfig(): Configuration {
  return new Configuration({ persistStorage: false, purgeOnStart: true, headless: true });
}

async function guardFinalUrl(request: Request, allowPrivate: boolean): Promise<void> {
  if (request.loadedUrl && request.loadedUrl !== request.url) await assertPublicUrl(request.loadedUrl, allowPrivate);
}

/** Rate, retries and timeouts shared by both crawlers; failures are reported, never thrown. */
function politeness(opts: PageFetchOptions) {
  return {
    maxRequestsPerMinute: opts.perMinute,
    maxRequestRetries: opts.retries,
    navigationTimeoutSecs: Math.ceil(opts.timeoutMs / 1000),
    requestHandlerTimeoutSecs: Math.ceil(opts.timeoutMs / 1000) + 30,
    useSessionPool: false,
    retryOnBlocked: false,
  };
}

/** Static pages with crawlee's CheerioCrawler; the page's charset is honoured (windows-1258 included). */
export async function fetchStaticPages(urls: string[], opts: PageFetchOptions): Promise<void> {
  const hopsByRequest = new Map<string, string[]>();
  const crawler = new CheerioCrawler(
    {
      ...politeness(opts),
      maxConcurrency: opts.concurrency,
      // Start at the configured concurrency: crawlee otherwise starts at 1 and adds 5 % every 10 s, so a
      // crawl of a few hundred pages never gets past 1–2 parallel requests. maxConcurrency and the
      // per-minute cap still bound it, and crawlee still scales down when CPU or memory is overloaded.
      autoscaledPoolOptions: { desiredConcurrency: opts.concurrency },
      preNavigationHooks: [
        ({ request }, gotOptions) => {
          gotOptions.headers = { ...gotOptions.headers, 'user-agent': USER_AGENT, 'accept-language': 'vi,en;q=0.5' };
          // Every redirect hop is recorded and checked before it is requested: a public page must not bounce
          // the crawler onto a private or loopback address (the final URL alone would be checked too late).
          const hops: string[] = [];
          hopsByRequest.set(request.uniqueKey, hops);
          const hooks = gotOptions.hooks ?? {};
          gotOptions.hooks = {
            ...hooks,
            beforeRedirect: [
              ...(hooks.beforeRedirect ?? []),
              async (next) => {
                const url = next.url?.toString() ?? '';
                hops.push(url);
                try {
                  await assertPublicUrl(url, opts.allowPrivateNetwork);
                } catch (err) {
                  request.noRetry = true;
                  throw err;
                }
              },
            ],
          };
        },
      ],
      // The size cap holds while downloading: a page that announces or streams more is cut off, not read into memory.
      postNavigationHooks: [({ request, response }) => capResponseSize(request, response, opts.maxBytes)],
      requestHandler: async ({ request, response, body, sendRequest, $ }) => {
        await guardFinalUrl(request, opts.allowPrivateNetwork);
        let dom: CheerioAPI | undefined = $ as unknown as CheerioAPI;
        const contentType = (response.headers['content-type'] as string | undefined) ?? null;
        let html = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
        let bytes = Buffer.byteLength(html);
        // Crawlee decodes by the HTTP header only; a legacy page that declares its charset in <meta> alone
        // is fetched again as bytes and decoded properly.
        if (!charsetFromContentType(contentType ?? undefined)) {
          const meta = charsetFromMeta(Buffer.from(html.slice(0, 4096), 'utf8'));
          if (meta && meta !== 'utf-8') {
            const raw = await sendRequest({ responseType: 'buffer' });
            const buffer = raw.rawBody as Buffer;
            bytes = buffer.byteLength;
            html = decodeHtml(buffer, contentType ?? undefined).html;
            dom = undefined;
          }
        }
        await opts.onPage({
          dom,
          url: request.url,
          finalUrl: request.loadedUrl ?? request.url,
          status: response.statusCode ?? 0,
          contentType,
          html,
          bytes,
          redirects: redirectsOf(request, hopsByRequest.get(request.uniqueKey)),
        });
        hopsByRequest.delete(request.uniqueKey);
      },
      failedRequestHandler: async ({ request }, error) => {
        hopsByRequest.delete(request.uniqueKey);
        const message = error instanceof Error ? error.message : String(error);
        opts.onFailure({ url: request.url, reason: error instanceof PrivateAddressError ? 'private-address' : classifyFailure(message), message });
      },
    },
    isolatedConfig(),
  );
  await crawler.run(urls.map((url) => ({ url, uniqueKey: url })));
}

/** JS-rendered pages with crawlee's PlaywrightCrawler driving Debian's Chromium. */
export async function fetchBrowserPages(urls: string[], opts: PageFetchOptions): Promise<void> {
  const crawler = new PlaywrightCrawler(
    {
      ...politeness(opts),
      maxConcurrency: Math.min(opts.concurrency, 2),
      autoscaledPoolOptions: { desiredConcurrency: Math.min(opts.concurrency, 2) },
      headless: true,
      browserPoolOptions: { useFingerprints: false },
      launchContext: {
        launcher: chromium,
        userAgent: USER_AGENT,
        launchOptions: CHROMIUM_LAUNCH,
      },
      requestHandler: async ({ request, response, page }) => {
        await guardFinalUrl(request, opts.allowPrivateNetwork);
        // Chromium follows redirects itself and has already requested every hop by now (Playwright's routing does not
        // see redirects); the chain is read back so a page reached through a private address is still refused.
        const hops: string[] = [];
        for (let r = response?.request().redirectedFrom() ?? null; r; r = r.redirectedFrom()) hops.unshift(r.url());
        if (hops.length > 0) hops.push(response!.url());
        for (const hop of hops.slice(1)) {
          await assertPublicUrl(hop, opts.allowPrivateNetwork).catch((err: unknown) => {
            request.noRetry = true;
            throw err;
          });
        }
        const status = response?.status() ?? 0;
        if (status < 400) await page.waitForLoadState('networkidle', { timeout: opts.timeoutMs }).catch(() => undefined);
        const html = await page.content();
        await opts.onPage({
          url: request.url,
          finalUrl: page.url() || request.url,
          status,
          contentType: (await response?.headerValue('content-type')) ?? null,
          html,
          bytes: Buffer.byteLength(html),
          redirects: hops.length > 0 ? hops : redirectsOf(request),
        });
      },
      failedRequestHandler: async ({ request }, error) => {
        const message = error instanceof Error ? error.message : String(error);
        opts.onFailure({ url: request.url, reason: error instanceof PrivateAddressError ? 'private-address' : classifyFailure(message), message });
      },
    },
    isolatedConfig(),
  );
  await crawler.run(urls.map((url) => ({ url, uniqueKey: url })));
}
