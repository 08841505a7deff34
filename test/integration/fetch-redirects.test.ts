import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchStaticPages, type FetchedPage, type PageFailure, type PageFetchOptions } from '../../crawlers/fetch/pages.ts';

// A real HTTP server on loopback: /a → /b → /c (an article), and /leak → a second loopback address.
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
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><head><title>Bài</title></head><body><p>Nội dung</p></body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function fetchAll(urls: string[], allowPrivateNetwork: boolean) {
  const pages: FetchedPage[] = [];
  const failures: PageFailure[] = [];
  const opts: PageFetchOptions = {
    concurrency: 2,
    perMinute: 600,
    timeoutMs: 10_000,
    maxBytes: 1_000_000,
    retries: 2,
    allowPrivateNetwork,
    onPage: async (p) => void pages.push(p),
    onFailure: (f) => void failures.push(f),
  };
  await fetchStaticPages(urls, opts);
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
});
