import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexArticles } from '../../store/articles.ts';
import { BulkWriter, type WriteOp } from '../../store/bulk-writer.ts';
import { RejectFile } from '../../store/reject-file.ts';
import { createClient } from '../../store/es.ts';
import { makeArticle } from '../helpers/articles.ts';
import { openTestStore, testLog, type TestStore } from '../helpers/es.ts';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.drop());

const count = async (index: string) => (await store.client.count({ index })).count;

describe('bulk writer', () => {
  it('indexes the same article twice as one document, keeping fields other stages wrote', async () => {
    const writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' });
    const article = makeArticle({ canonicalUrl: 'https://baomau.vn/tin-1.html', title: 'Khánh thành cầu mới' });
    const first = await indexArticles(store, writer, [article]);
    expect(first.created).toBe(1);
    // Another stage adds workflow data to the document.
    await store.client.update({ index: store.names.monthly('articles', article.publishedAt), id: article.id, doc: { caseStates: ['mới'] }, refresh: true });
    const again = await indexArticles(store, writer, [{ ...article, title: 'Khánh thành cầu mới (cập nhật)' }]);
    expect(again.created).toBe(0);
    expect(again.updated).toBe(1);
    expect(await count(store.names.alias('articles'))).toBe(1);
    const doc = await store.client.get<{ title: string; caseStates: string[] }>({ index: store.names.monthly('articles', article.publishedAt), id: article.id });
    expect(doc._source?.title).toBe('Khánh thành cầu mới (cập nhật)');
    expect(doc._source?.caseStates).toEqual(['mới']);
  });

  it('keeps an article in its first month index when its date changes on a later crawl', async () => {
    const writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' });
    const article = makeArticle({ canonicalUrl: 'https://baomau.vn/tin-2.html', title: 'Tin không rõ ngày', publishedAt: null, fetchedAt: '2026-10-31T23:00:00+07:00' });
    await indexArticles(store, writer, [article]);
    await indexArticles(store, writer, [{ ...article, publishedAt: '2026-11-02T08:00:00+07:00' }]);
    const hits = await store.client.search({ index: store.names.alias('articles'), query: { ids: { values: [article.id] } } });
    expect(hits.hits.hits).toHaveLength(1);
    expect(hits.hits.hits[0]!._index).toMatch(/2026\.10$/);
  });

  it('indexes the rest of a batch when one document is malformed, and keeps the bad one for retry', async () => {
    const rejectFile = new RejectFile(join(mkdtempSync(join(tmpdir(), 'rejects-')), 'rejected.jsonl'));
    const writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for', rejectSink: rejectFile });
    const index = store.names.alias('flags');
    const ops: WriteOp[] = [
      { index, id: 'f1', mode: 'create', doc: { id: 'f1', kind: 'needs_response', deadline: '2026-11-24T08:00:00+07:00' } },
      { index, id: 'f2', mode: 'create', doc: { id: 'f2', kind: 'escalate', deadline: 'ngày mai' } },
      { index, id: 'f3', mode: 'create', doc: { id: 'f3', kind: 'correction_review', deadline: null } },
    ];
    const result = await writer.write(ops);
    expect(result.created).toBe(2);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.op.id).toBe('f2');
    expect(result.rejected[0]!.status).toBe(400);
    expect(result.rejected[0]!.reason).toMatch(/deadline/);
    expect(await count(index)).toBe(2);

    const kept = await rejectFile.read();
    expect(kept.map((k) => k.op.id)).toEqual(['f2']);
    // After a fix, the kept operation goes through and the file is empty.
    const retry = (await rejectFile.drain()).map((op) => ({ ...op, doc: { ...op.doc, deadline: '2026-11-25T08:00:00+07:00' } }));
    expect((await writer.write(retry)).created).toBe(1);
    expect(await rejectFile.read()).toEqual([]);
    // A create of an existing id is "already there", not an error.
    const again = await writer.write([ops[0]!]);
    expect(again).toMatchObject({ created: 0, unchanged: 1, rejected: [] });
  });

  it('retries a bulk request the server refuses as overloaded (503), then succeeds', async () => {
    // A real HTTP hop in front of the real node: the first two bulk requests get 503, the rest pass through.
    let bulkCalls = 0;
    const front = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.url?.includes('_bulk') && ++bulkCalls <= 2) {
        res.writeHead(503, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end('{"error":"overloaded","status":503}');
        return;
      }
      const upstream = await fetch(`${store.url}${req.url}`, {
        method: req.method,
        headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json'), accept: String(req.headers.accept ?? '*/*') },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      // fetch already decompressed the body: pass the headers on without its encoding and length.
      const headers = Object.fromEntries([...upstream.headers].filter(([k]) => k !== 'content-encoding' && k !== 'content-length'));
      res.writeHead(upstream.status, headers);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
    const port = (front.address() as AddressInfo).port;
    const client = createClient(`http://127.0.0.1:${port}`, store.config);
    try {
      const writer = new BulkWriter(client, { log: testLog, refresh: 'wait_for', sleep: async () => undefined });
      const result = await writer.write([{ index: store.names.alias('audit'), id: 'a1', mode: 'index', doc: { id: 'a1', action: 'test' } }]);
      expect(bulkCalls).toBe(3);
      expect(result.created).toBe(1);
      expect((await store.client.get({ index: store.names.alias('audit'), id: 'a1' })).found).toBe(true);
    } finally {
      await client.close();
      await new Promise((r) => front.close(r));
    }
  });
});
