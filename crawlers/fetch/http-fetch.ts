import { gunzipSync } from 'node:zlib';
import { assertPublicUrl } from './net-guard.ts';

export const USER_AGENT = 'PressMonitorBot/0.1 (+press monitoring for Vietnamese state agencies; https://github.com/press-monitor)';

export interface FetchResult {
  requestedUrl: string;
  finalUrl: string;
  status: number;
  contentType: string | null;
  headers: Headers;
  bytes: Uint8Array;
  /** Every URL in the redirect chain, first to last (empty without redirects). */
  redirects: string[];
}

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  allowPrivateNetwork?: boolean;
  headers?: Record<string, string>;
}

export class FetchError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'too-large' | 'too-many-redirects' | 'network' | 'private-address',
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

async function readLimited(res: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new FetchError(`${url}: ${declared} bytes is over the ${maxBytes}-byte limit`, 'too-large');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new FetchError(`${url}: over the ${maxBytes}-byte limit`, 'too-large');
      }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

/**
 * GET with a timeout, a size cap and redirects followed by hand, so every hop is recorded and checked
 * against the private-address rule. Used for robots.txt, feeds, sitemaps and listing pages.
 */
export async function httpFetch(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const maxRedirects = opts.maxRedirects ?? 5;
  const redirects: string[] = [];
  let current = url;
  for (let hop = 0; ; hop++) {
    try {
      await assertPublicUrl(current, opts.allowPrivateNetwork ?? false);
    } catch (err) {
      throw new FetchError((err as Error).message, 'private-address');
    }
    let res: Response;
    try {
      res = await fetch(current, {
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
        headers: { 'user-agent': USER_AGENT, accept: '*/*', 'accept-language': 'vi,en;q=0.5', ...opts.headers },
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new FetchError(`${current}: timed out`, 'timeout');
      throw new FetchError(`${current}: ${e.cause?.code ?? e.message}`, 'network');
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (hop >= maxRedirects) throw new FetchError(`${url}: more than ${maxRedirects} redirects`, 'too-many-redirects');
      if (redirects.length === 0) redirects.push(current);
      current = new URL(location, current).toString();
      redirects.push(current);
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(res, opts.maxBytes ?? 10 * 1024 * 1024, current);
    } catch (err) {
      if (err instanceof FetchError) throw err;
      const e = err as Error;
      throw new FetchError(`${current}: ${e.name === 'TimeoutError' ? 'timed out' : e.message}`, e.name === 'TimeoutError' ? 'timeout' : 'network');
    }
    return { requestedUrl: url, finalUrl: current, status: res.status, contentType: res.headers.get('content-type'), headers: res.headers, bytes, redirects };
  }
}

/** Gzipped bodies (sitemap.xml.gz) are recognised by their magic bytes, whatever the headers say. */
export function maybeGunzip(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch {
      return bytes;
    }
  }
  return bytes;
}
