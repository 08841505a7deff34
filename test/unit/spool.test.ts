import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, errors } from '@elastic/elasticsearch';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { confirmCrawled, CrawlState, releaseCrawled, requireDurableCommit } from '../../crawlers/state/crawl-state.ts';
import { BulkWriter, type WriteOp } from '../../store/bulk-writer.ts';
import { Spool, spoolStatus, type SpoolRecord } from '../../store/spool.ts';

/** A logger whose lines the test can read. */
function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

const op = (id: string, extra: Partial<WriteOp> = {}): WriteOp => ({ index: 'x-articles-2026-11', id, mode: 'upsert', doc: { id, title: `Bài ${id}` }, tag: 'article', ...extra });
const unreachable = () => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9291');

let clockMs = Date.parse('2026-11-20T05:00:00Z');
const clock = () => new Date(clockMs);
const storage = () => mkdtempSync(join(tmpdir(), 'spool-'));
const segments = (dir: string) => readdirSync(join(dir, 'spool')).filter((n) => n.startsWith('seg-'));

afterEach(() => {
  clockMs = Date.parse('2026-11-20T05:00:00Z');
});

describe('outage spool', () => {
  it('appends records durably as JSONL with index, id and op, and reports count and oldest age', () => {
    const dir = storage();
    const { log } = captureLog();
    const spool = Spool.open(dir, log, clock);
    expect(spool.status()).toMatchObject({ health: 'ok', spooled: 0, oldestAt: null, esReachable: null });
    spool.markDown(unreachable());
    spool.append([op('a1'), op('a2', { mode: 'create', index: 'x-flags' })]);
    clockMs += 60_000;
    spool.append([op('a3')]);
    const files = segments(dir);
    expect(files).toHaveLength(1);
    const lines = readFileSync(join(dir, 'spool', files[0]!), 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const first = JSON.parse(lines[0]!) as SpoolRecord;
    expect(first).toMatchObject({ v: 1, op: 'upsert', index: 'x-articles-2026-11', id: 'a1', tag: 'article', at: '2026-11-20T05:00:00.000Z' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ op: 'create', index: 'x-flags', id: 'a2' });

    clockMs += 60_000;
    const status = spool.status();
    expect(status).toMatchObject({ health: 'degraded', esReachable: false, spooled: 3, segments: 1, oldestAt: '2026-11-20T05:00:00.000Z', oldestAgeMs: 120_000 });
    expect(status.lastError).toMatch(/ECONNREFUSED/);
    // The live status of the process's spool, and the same read from disk by another process.
    expect(spoolStatus(dir, clock())).toMatchObject({ spooled: 3, esReachable: false });
    spool.close();
    expect(spoolStatus(dir, clock())).toMatchObject({ health: 'degraded', spooled: 3, segments: 1, esReachable: false, oldestAgeMs: 120_000 });
    // A restart finds the records waiting.
    expect(Spool.open(dir, log, clock).pending).toBe(3);
  });

  it('replays segments oldest first and deletes each only after its handler succeeded', async () => {
    const dir = storage();
    const { log } = captureLog();
    const first = Spool.open(dir, log, clock);
    first.append([op('a1'), op('a2')]);
    first.close();
    const spool = Spool.open(dir, log, clock);
    spool.append([op('a3')]);
    expect(segments(dir)).toHaveLength(2);
    const seen: string[][] = [];
    const result = await spool.replay(async (records) => {
      seen.push(records.map((r) => r.id));
      // Still on disk while being replayed.
      expect(segments(dir)).toHaveLength(2 - (seen.length - 1));
    });
    expect(seen).toEqual([['a1', 'a2'], ['a3']]);
    expect(result).toEqual({ segments: 2, records: 3, remaining: 0, dead: 0 });
    expect(segments(dir)).toEqual([]);
    expect(spool.status()).toMatchObject({ spooled: 0, replayed: 3 });
    // Appends after a replay start a new segment.
    spool.append([op('a4')]);
    expect(segments(dir)).toHaveLength(1);
  });

  it('keeps a segment and the ones after it when Elasticsearch goes away again mid-replay (partial failure)', async () => {
    const dir = storage();
    const { log } = captureLog();
    const spool = Spool.open(dir, log, clock);
    spool.append([op('a1')]);
    spool.close();
    spool.append([op('a2')]);
    spool.close();
    spool.append([op('a3')]);
    spool.markUp();
    let calls = 0;
    const result = await spool.replay(async (records) => {
      calls++;
      if (records[0]!.id === 'a2') throw unreachable();
    });
    expect(calls).toBe(2);
    expect(result).toEqual({ segments: 1, records: 1, remaining: 2, dead: 0 });
    expect(spool.isDown).toBe(true);
    expect(spool.pending).toBe(2);
    // Once it answers again, the rest goes through, in order.
    spool.markUp();
    const ids: string[] = [];
    await spool.replay(async (records) => void ids.push(...records.map((r) => r.id)));
    expect(ids).toEqual(['a2', 'a3']);
    expect(spool.pending).toBe(0);
  });

  it('moves a segment that keeps failing for another reason to dead/ after three replays, never deleting it', async () => {
    const dir = storage();
    const { log, lines } = captureLog();
    const spool = Spool.open(dir, log, clock);
    spool.append([op('bad')]);
    spool.close();
    spool.append([op('good')]);
    const fail = async (records: SpoolRecord[]) => {
      if (records[0]!.id === 'bad') throw new Error('mapper_parsing_exception');
    };
    expect((await spool.replay(fail)).remaining).toBe(2);
    expect((await spool.replay(fail)).remaining).toBe(2);
    const third = await spool.replay(fail);
    expect(third).toEqual({ segments: 1, records: 1, remaining: 0, dead: 1 });
    expect(readdirSync(join(dir, 'spool', 'dead'))).toHaveLength(1);
    expect(spool.status()).toMatchObject({ health: 'degraded', deadSegments: 1, spooled: 0 });
    expect(lines.some((l) => String(l.msg).includes('moved to dead/'))).toBe(true);
  });

  it('skips an incomplete last line left by a crash, with a log line, and replays the rest', async () => {
    const dir = storage();
    const { log, lines } = captureLog();
    const before = Spool.open(dir, log, clock);
    before.append([op('a1'), op('a2')]);
    before.close();
    // kill -9 in the middle of a write: half a JSON line without its newline.
    appendFileSync(join(dir, 'spool', segments(dir)[0]!), '{"v":1,"at":"2026-11-20T05:00:00.000Z","op":"upsert","index":"x-art');
    const after = Spool.open(dir, log, clock);
    expect(after.pending).toBe(2);
    const ids: string[] = [];
    const result = await after.replay(async (records) => void ids.push(...records.map((r) => r.id)));
    expect(ids).toEqual(['a1', 'a2']);
    expect(result.segments).toBe(1);
    expect(segments(dir)).toEqual([]);
    const warning = lines.find((l) => String(l.msg).includes('incomplete last line'));
    expect(warning).toMatchObject({ level: 40, line: 3 });
  });
});

describe('a spool shared by several processes', () => {
  it("replays the segments of processes that are gone, never one another live process may still append to", async () => {
    const dir = storage();
    const { log } = captureLog();
    const host = hostname().toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'host';
    const line = (id: string) => `${JSON.stringify({ v: 1, at: '2026-11-20T05:00:00.000Z', op: 'upsert', index: 'x', id, doc: { id }, tag: 'article' })}\n`;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(join(dir, 'spool'), { recursive: true });
    writeFileSync(join(dir, 'spool', `seg-1795000000000-${host}-${dead}-000000.jsonl`), line('gone'));
    // The parent of this test process is alive: its segment is its own to replay.
    writeFileSync(join(dir, 'spool', `seg-1795000000001-${host}-${process.ppid}-000000.jsonl`), line('live'));
    const spool = Spool.open(dir, log, clock);
    expect(spool.pending).toBe(1);
    expect(spool.status().spooled).toBe(2);
    const ids: string[] = [];
    const result = await spool.replay(async (records) => void ids.push(...records.map((r) => r.id)));
    expect(ids).toEqual(['gone']);
    expect(result).toMatchObject({ segments: 1, remaining: 0 });
    expect(segments(dir)).toEqual([`seg-1795000000001-${host}-${process.ppid}-000000.jsonl`]);
    spool.close();
  });
});

describe('bulk writer with a spool', () => {
  it('spools the writes when Elasticsearch stays unreachable after its retries, then writes straight to the spool', async () => {
    const dir = storage();
    const { log } = captureLog();
    const spool = Spool.open(dir, log, clock);
    // A real connection to a port nothing listens on.
    const client = new Client({ node: 'http://127.0.0.1:9', maxRetries: 0, requestTimeout: 2000 });
    const sleeps: number[] = [];
    const writer = new BulkWriter(client, { log, spool, maxRetries: 2, sleep: async (ms) => void sleeps.push(ms) });
    try {
      const result = await writer.write([op('a1'), op('a2')]);
      expect(result).toMatchObject({ created: 0, spooled: 2, rejected: [] });
      expect(sleeps).toHaveLength(2);
      expect(spool.isDown).toBe(true);
      // Known down: no more waiting on retries.
      const again = await writer.write([op('a3')]);
      expect(again.spooled).toBe(1);
      expect(sleeps).toHaveLength(2);
      expect(spool.pending).toBe(3);
      // Without a spool the failure surfaces, as before.
      await expect(writer.direct().write([op('a4')])).rejects.toBeInstanceOf(errors.ConnectionError);
    } finally {
      await client.close();
    }
  });
});

describe('crawl state with durable commits', () => {
  afterEach(() => requireDurableCommit(false));

  it('keeps an extracted URL pending (fetched again) until its article is confirmed durable', () => {
    requireDurableCommit(true);
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const url = 'https://bao.vn/a.html';
    const s = CrawlState.open(dir, 'bao');
    s.record(url, { status: 'extracted', at: '2026-11-20T10:00:00+07:00', canonicalUrl: url, contentHash: 'h1' });
    s.save();
    // A crash now (before the ingest): the next crawl fetches it again and does not take it as unchanged.
    const afterCrash = CrawlState.open(dir, 'bao');
    expect(afterCrash.needsFetch(url, null)).toEqual({ fetch: true, why: 'retry' });
    expect(afterCrash.get(url)).toBeUndefined();
    // Indexed (or spooled): confirmed, written to the file at once.
    expect(confirmCrawled([{ sourceId: 'bao', canonicalUrl: url, contentHash: 'h1' }])).toBe(1);
    const done = CrawlState.open(dir, 'bao');
    expect(done.needsFetch(url, null)).toEqual({ fetch: false, why: 'seen' });
    expect(done.get(url)).toMatchObject({ status: 'extracted', contentHash: 'h1' });
    expect(JSON.parse(readFileSync(join(dir, 'bao.json'), 'utf8')).urls[url].pending).toBeUndefined();
    // Re-recording the unchanged page keeps it done.
    done.record(url, { status: 'extracted', at: '2026-11-20T11:00:00+07:00', canonicalUrl: url, contentHash: 'h1' });
    expect(done.needsFetch(url, null).fetch).toBe(false);
  });

  it('confirms even when the crawl never saved its state file, and gives up on an article whose processing keeps failing', () => {
    requireDurableCommit(true);
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const s = CrawlState.open(dir, 'bao');
    s.record('https://bao.vn/x.html', { status: 'extracted', at: 'x', canonicalUrl: 'https://bao.vn/x.html', contentHash: 'h' });
    confirmCrawled([{ sourceId: 'bao', canonicalUrl: 'https://bao.vn/x.html', contentHash: 'h' }]);
    expect(existsSync(join(dir, 'bao.json'))).toBe(true);
    expect(CrawlState.open(dir, 'bao').needsFetch('https://bao.vn/x.html', null).fetch).toBe(false);

    const url = 'https://bao.vn/p.html';
    for (let i = 0; i < 3; i++) {
      const t = CrawlState.open(dir, 'bao');
      const decision = t.needsFetch(url, null);
      if (i < 2) expect(decision.fetch).toBe(true);
      else {
        expect(decision).toEqual({ fetch: false, why: 'seen' });
        break;
      }
      t.record(url, { status: 'extracted', at: 'x', canonicalUrl: url, contentHash: 'p' });
      t.save();
      releaseCrawled([{ sourceId: 'bao', canonicalUrl: url, contentHash: 'p' }], 'pipeline-error');
    }
    expect(CrawlState.open(dir, 'bao').get(url)).toMatchObject({ status: 'failed', reason: 'pipeline-error', attempts: 3 });
  });

  it('is off by default: a crawl to a file is done when its sink returned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const s = CrawlState.open(dir, 'bao');
    s.record('https://bao.vn/a.html', { status: 'extracted', at: 'x', canonicalUrl: 'https://bao.vn/a.html', contentHash: 'h' });
    s.save();
    expect(CrawlState.open(dir, 'bao').needsFetch('https://bao.vn/a.html', null).fetch).toBe(false);
  });
});
