import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBrowserPages, fetchStaticPages, type FetchedPage, type PageFailure, type PageFetchOptions } from '../../crawlers/fetch/pages.ts';

// A real HTTP server on loopback: /a → /b → /c (an article), and /leak → a second loopback address.
const BIG = Buffer.from(`<html><body>${'<p>Đoạn văn rất dài của một trang quá lớn.</p>'.repeat(60_000)}</body></html>`);
let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const { port } = server.address() as AddressInfo;
    if (req.url === '/a') res.writeHead(301, { location: '/b' }).end();
    else if (req.url === '/b') res.writeHead(302, { location: `http://localhost:${port}/c` }).end();
    else if (req.url === '/leak') res.writeHead(302, { location: `http://127.0.0.2:${port}/secret` }).end();
    else if (req.url === '/big-announced') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(BIG.length) }).end(BIG);
    else if (req.url === '/big-streamed') {
      // Chunked, no length announced: only counting the bytes as they arrive can stop it.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      let sent = 0;
      const more = () => {
        while (sent < BIG.length) {
          const chunk = BIG.subarray(sent, sent + 64 * 1024);
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => undefined);
      more();
    }
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><head><title>Bài</title></head><body><p>Nội dung</p></body></html>');
  });
  // All loopback addresses (127.0.0.2 too), so a browser that follows a redirect there would really get an answer.
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function fetchAll(urls: string[], allowPrivateNetwork: boolean, maxBytes = 1_000_000, fetcher = fetchStaticPages) {
  const pages: FetchedPage[] = [];
  const failures: PageFailure[] = [];
  const opts: PageFetchOptions = {
    concurrency: 2,
    perMinute: 600,
    timeoutMs: 10_000,
    maxBytes,
    retries: 2,
    allowPrivateNetwork,
    onPage: async (p) => void pages.push(p),
    onFailure: (f) => void failures.push(f),
  };
  await fetcher(urls, opts);
  return { pages, failures };
}

describe('static page fetching and redirects', () => {
  it('records every hop of a redirect chain, first to last', async () => {
    const { pages, failures } = await fetchAll([`${base}/a`], true);
    expect(failures).toEqual([]);
    expect(pages).toHaveLength(1);
    const port = new URL(base).port;
    expect(pages[0]!.redirects).toEqual([`${base}/a`, `${base}/b`, `http://localhost:${port}/c`]);
    expect(pages[0]!.finalUrl).toBe(`http://localhost:${port}/c`);
  });

  it('refuses a redirect hop to a private or loopback address without following it, and does not retry', async () => {
    hits.length = 0;
    // The first URL is the operator's own (checked by the crawl before fetching); the hop it answers with is not.
    const { pages, failures } = await fetchAll([`${base}/leak`], false);
    expect(pages).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toBe('private-address');
    expect(hits).toEqual(['/leak']);
  });

  it('stops a page larger than the cap while it downloads, announced or streamed, without retrying', async () => {
    expect(BIG.length).toBeGreaterThan(3_000_000);
    hits.length = 0;
    const { pages, failures } = await fetchAll([`${base}/big-announced`, `${base}/big-streamed`], true, 1_000_000);
    expect(pages).toEqual([]);
    expect(failures.map((f) => [new URL(f.url).pathname, f.reason]).sort()).toEqual([
      ['/big-announced', 'too-large'],
      ['/big-streamed', 'too-large'],
    ]);
    expect(hits.sort()).toEqual(['/big-announced', '/big-streamed']);
  });

  it('in Chromium too (JS-rendered outlets): the whole redirect chain is recorded and a hop to a private address refuses the page', async () => {
    const chain = await fetchAll([`${base}/a`], true, 1_000_000, fetchBrowserPages);
    const port = new URL(base).port;
    expect(chain.failures).toEqual([]);
    expect(chain.pages[0]!.redirects).toEqual([`${base}/a`, `${base}/b`, `http://localhost:${port}/c`]);
    const leak = await fetchAll([`${base}/leak`], false, 1_000_000, fetchBrowserPages);
    expect(leak.pages).toEqual([]);
    expect(leak.failures.map((f) => f.reason)).toEqual(['private-address']);
  });
});
