import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../config/load.ts';
import { loadIndexDefinitions } from '../index-mappings/definitions.ts';
import { migrate } from '../index-mappings/migrate.ts';
import { createLogger } from '../lib/log.ts';
import { fold } from '../pipeline/normalize/vi-text.ts';
import { openStore, type Store } from '../store/es.ts';
import { loadContent } from '../test/fixtures/news-web/content.ts';
import type { Principal } from '../web/auth/principal.ts';
import { csvStream, xlsxStream } from '../web/search/export.ts';
import { EXPORT_COLUMNS, exportRows, runSearch, SearchParams } from '../web/search/run.ts';
import { fmt, type BenchRow } from './table.ts';

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '100000').split(',').map(Number);
const QUERIES = ['ngộ độc thực phẩm', 'ngo doc thuc pham', 'sạt lở', 'sat lo bo song', '"giải phóng mặt bằng"', 'ô nhiễm NOT cá', 'Sở Y tế', 'so tai nguyen va moi truong', 'khiếu nại đất đai', 'UBND xã'];
const LEVELS = ['normal', 'sensitive', 'hot'];
const AGENCIES = ['2025-91-so-y-te', '2025-91-ubnd-tinh', '2025-51-so-y-te', '2025-37-so-nn-mt', '2025-91-cong-an', '2025-51-so-gd-dt'];
const OUTLETS = ['mau-tinnhanh', 'mau-baoangiang', 'mau-ptthquangngai', 'mau-tapchidiaphuong', 'mau-ninhbinhso'];

/** Sample-web paragraphs recombined into distinct articles with facets spread like real coverage. */
export async function fill(store: Store, from: number, to: number): Promise<number> {
  const content = loadContent();
  const paragraphs = content.flatMap((a) => a.body);
  const t = performance.now();
  for (let start = from; start < to; start += 2000) {
    const operations: unknown[] = [];
    for (let i = start; i < Math.min(to, start + 2000); i++) {
      const a = content[i % content.length]!;
      const body = [paragraphs[(i * 7) % paragraphs.length]!, paragraphs[(i * 13 + 5) % paragraphs.length]!, paragraphs[(i * 31 + 11) % paragraphs.length]!].join('\n\n');
      const publishedAt = new Date(Date.parse('2025-07-01T00:00:00+07:00') + (i % 510) * 86_400_000 + (i % 86_400) * 1000).toISOString();
      const id = `b${i}`;
      const agencyIds = [AGENCIES[i % AGENCIES.length]!, AGENCIES[(i * 3) % AGENCIES.length]!];
      operations.push(
        { index: { _index: `${store.names.concrete('articles')}-${publishedAt.slice(0, 7).replace('-', '.')}`, _id: id } },
        {
          id,
          url: `https://bench.vn/${id}`,
          canonicalUrl: `https://bench.vn/${id}`,
          sourceId: OUTLETS[i % OUTLETS.length],
          title: a.title,
          title_folded: fold(a.title),
          sapo: a.sapo,
          sapo_folded: a.sapo ? fold(a.sapo) : null,
          body,
          body_folded: fold(body),
          publishedAt,
          fetchedAt: publishedAt,
          agencyIds,
          provinces: [...new Set(agencyIds.map((x) => x.split('-')[1]!))],
          sensitivity: { level: LEVELS[i % 3], score: 0.5, tone: ['negative', 'neutral', 'positive'][i % 3], categories: [] },
          storyId: `s${Math.floor(i / 3)}`,
          duplicateOf: i % 4 === 3 ? `b${i - 1}` : null,
          isCopy: i % 4 === 3,
        },
      );
    }
    const res = await store.client.bulk({ operations, refresh: false });
    if (res.errors) throw new Error('bulk errors while filling the search benchmark');
  }
  await store.client.indices.refresh({ index: `${store.names.prefix}-*` });
  return (to - from) / ((performance.now() - t) / 1000);
}

const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);

async function* take<T>(items: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  if (n <= 0) return;
  let i = 0;
  for await (const x of items) {
    yield x;
    if (++i >= n) return;
  }
}

/**
 * One export as the routes stream it (exportRows paging with search_after → csvStream / xlsxStream),
 * into a sink that only counts bytes: what is measured is Elasticsearch paging plus encoding.
 */
async function measureExport(kind: 'csv' | 'xlsx', store: Store, who: Principal, limit: number): Promise<{ rows: number; bytes: number; seconds: number }> {
  let rows = 0;
  async function* counted() {
    for await (const r of take(exportRows(store, who, SearchParams.parse({ q: '' })), limit)) {
      rows++;
      yield r;
    }
  }
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  const t = performance.now();
  const body = kind === 'csv' ? csvStream(EXPORT_COLUMNS, counted()) : xlsxStream('Kết quả', EXPORT_COLUMNS, counted(), () => undefined);
  await pipeline(body, sink);
  return { rows, bytes, seconds: (performance.now() - t) / 1000 };
}

/** Wait (at most 10 min) until no segment merge is running on the benchmark's indices. */
async function settleMerges(store: Store): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const stats = await store.client.indices.stats({ index: `${store.names.prefix}-*`, metric: 'merge' });
    if ((stats._all.total?.merges?.current ?? 0) === 0) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** Search latency through the web app's search path (query, facets, story folding), p50/p95. */
export async function benchSearch(): Promise<BenchRow[]> {
  const log = createLogger('bench', 'error');
  const prefix = `bsearch${randomBytes(3).toString('hex')}`;
  const store = await openStore(loadConfig({ env: { ...process.env, MONITOR_INDEX_PREFIX: prefix } }), log);
  const staff: Principal = { username: 'bench', displayName: 'bench', role: 'monitor', agencyId: null };
  const rows: BenchRow[] = [];
  try {
    await migrate(store.client, { prefix, definitions: loadIndexDefinitions(), log });
    let filled = 0;
    let exported = false;
    for (const size of SIZES) {
      const rate = await fill(store, filled, size);
      filled = size;
      // Measure the steady state a searcher meets, not the minutes right after a million-document bulk load
      // while Elasticsearch is still merging its segments.
      await settleMerges(store);
      const times: number[] = [];
      for (let r = 0; r < 6; r++) {
        for (const [k, q] of QUERIES.entries()) {
          const params = SearchParams.parse({ q, sort: k % 2 ? 'time' : 'relevance', level: k % 3 === 0 ? ['hot'] : undefined });
          const t = performance.now();
          await runSearch(store, staff, params);
          if (r > 0) times.push(performance.now() - t);
        }
      }
      const p95 = percentile(times, 0.95);
      rows.push({ area: 'search', metric: `bulk indexing to ${size.toLocaleString('en')} articles, docs/s`, value: fmt(rate, 0), goal: '-', ok: null });
      rows.push({ area: 'search', metric: `latency p50 / p95 with ${size.toLocaleString('en')} articles, ms (facets, folding)`, value: `${fmt(percentile(times, 0.5), 0)} / ${fmt(p95, 0)}`, goal: size >= 1_000_000 ? 'p95 ≤ 200' : '-', ok: size >= 1_000_000 ? p95 <= 200 : null });
      // Export throughput once, at the first size holding enough articles (or the largest one).
      if (!exported && (size >= EXPORT_ROWS || size === SIZES.at(-1))) {
        exported = true;
        for (const kind of ['csv', 'xlsx'] as const) {
          const r = await measureExport(kind, store, staff, Math.min(EXPORT_ROWS, size));
          rows.push({
            area: 'search',
            metric: `${kind.toUpperCase()} export of ${r.rows.toLocaleString('en')} rows (of ${size.toLocaleString('en')}), rows/s · MB/s (${fmt(r.bytes / 2 ** 20, 1)} MB)`,
            value: `${fmt(r.rows / r.seconds, 0)} · ${fmt(r.bytes / 2 ** 20 / r.seconds, 1)}`,
            goal: '-',
            ok: null,
          });
        }
      }
    }
  } finally {
    await store.client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true });
    await store.client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
    await store.close();
  }
  return rows;
}
