/**
 * Matching throughput of saved searches against new batches (no percolator): articles/s against 1k and 10k
 * subscriptions, 70 % default (agency filter, evaluated in Node) and 30 % text searches (msearch restricted
 * to the batch). Runs on its own index prefix, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/load.ts';
import { loadIndexDefinitions } from '../index-mappings/definitions.ts';
import { migrate } from '../index-mappings/migrate.ts';
import { articleId } from '../lib/ids.ts';
import { createLogger } from '../lib/log.ts';
import { Article } from '../model/records.ts';
import { fetchBatch, matchBatch, recordMatches } from '../notify/match.ts';
import type { Subscription } from '../notify/subscriptions.ts';
import { indexArticles } from '../store/articles.ts';
import { BulkWriter } from '../store/bulk-writer.ts';
import { openStore } from '../store/es.ts';
import { fmt, type BenchRow } from './table.ts';

const BATCH = Number(process.env.BENCH_NOTIFY_BATCH ?? 2000);
const TYPES = ['ubnd-tinh', 'so-y-te', 'so-xay-dung', 'so-nn-mt', 'cong-an', 'so-gd-dt', 'so-tai-chinh', 'so-vh-tt-dl', 'thanh-tra', 'so-cong-thuong'];
const PROVINCES = ['91', '51', '37', '01', '79'];
const WORDS = ['sạt lở', 'ngộ độc', 'giải phóng mặt bằng', 'ô nhiễm', 'tai nạn giao thông', 'học phí', 'bệnh viện', 'cháy', 'dự án chậm tiến độ', 'đất đai', 'lúa', 'du lịch', 'đầu tư công', 'tham nhũng', 'an toàn thực phẩm'];
const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;

function articles(n: number, salt: string): Article[] {
  return Array.from({ length: n }, (_, i) => {
    const p = pick(PROVINCES, i * 7);
    const t = pick(TYPES, i * 3);
    const w = pick(WORDS, i);
    const url = `https://bao-mau.example.vn/${salt}/bai-${i}.html`;
    return Article.parse({
      url,
      canonicalUrl: url,
      title: `${w[0]!.toUpperCase()}${w.slice(1)} ở địa phương: người dân phản ánh số ${i}`,
      sapo: `Bài viết về ${w} và ${pick(WORDS, i + 5)} tại tỉnh mã ${p}.`,
      body: `Nội dung chi tiết về ${w}, ${pick(WORDS, i + 3)} và trách nhiệm của cơ quan chức năng. `.repeat(8),
      author: null, publishedAt: '2026-11-20T08:30:00+07:00', modifiedAt: null, section: null, tags: [], image: null, lang: 'vi',
      sourceId: pick(['tinnhanh', 'baoangiang', 'ptthquangngai'], i), fetchedAt: '2026-11-20T09:00:00+07:00', contentHash: 'x', id: articleId(url),
      agencies: [{ id: `2025-${p}-${t}`, name: t, type: t, level: 'province', province: p, provinceName: p, validFrom: null, validTo: null, successors: [], mentions: [], prominence: 'primary', confidence: 0.9 }],
      sensitivity: { level: pick(['normal', 'normal', 'sensitive', 'hot'] as const, i), score: 0.5, tone: 'negative', toneByAgency: {}, categories: [], reasons: [] },
      storyId: `story-${salt}-${Math.floor(i / 3)}`,
    });
  });
}

function subscriptions(n: number): Subscription[] {
  const at = '2026-11-20T00:00:00+07:00';
  return Array.from({ length: n }, (_, i) => {
    const agencyId = `2025-${pick(PROVINCES, i)}-${pick(TYPES, Math.floor(i / PROVINCES.length))}-${Math.floor(i / 50)}`;
    const text = i % 10 >= 7;
    const real = `2025-${pick(PROVINCES, i)}-${pick(TYPES, Math.floor(i / PROVINCES.length))}`;
    return {
      id: `s${i}`, name: `s${i}`, agencyId, ownerId: agencyId,
      // Two-word combinations: 225 distinct texts, so text grouping cannot collapse everything into a few queries.
      query: text ? `${pick(WORDS, i)} ${pick(WORDS, Math.floor(i / WORDS.length))}` : null,
      filters: text ? { provinces: [pick(PROVINCES, i)] } : { agencyIds: [real] },
      channels: ['email'], mode: 'hourly', active: true, isDefault: !text, createdAt: at, updatedAt: at,
    };
  });
}

export async function benchNotify(): Promise<BenchRow[]> {
  const log = createLogger('bench', 'error');
  const config = loadConfig({ env: { ...process.env, MONITOR_INDEX_PREFIX: `bench-notify-${randomBytes(3).toString('hex')}` } });
  const store = await openStore(config, log);
  const prefix = config.elasticsearch.indexPrefix;
  const rows: BenchRow[] = [];
  try {
    await migrate(store.client, { prefix, definitions: loadIndexDefinitions(), log });
    const writer = new BulkWriter(store.client, { log, refresh: 'wait_for' });
    for (const n of [1000, 10_000]) {
      const subs = subscriptions(n);
      const rates: number[] = [];
      let matched = 0;
      let recordRate = 0;
      for (let round = 0; round < 3; round++) {
        const batch = articles(BATCH, `${n}-${round}`);
        await indexArticles(store, writer, batch);
        await store.client.indices.refresh({ index: store.names.alias('articles') });
        const t = performance.now();
        const docs = await fetchBatch(store, batch.map((a) => a.id));
        const matches = await matchBatch(store, subs, docs);
        const ms = performance.now() - t;
        rates.push(BATCH / (ms / 1000));
        matched = matches.length;
        if (round === 2) {
          const r = performance.now();
          await recordMatches(store, writer, matches, new Date());
          recordRate = BATCH / ((performance.now() - r + ms) / 1000);
        }
      }
      const rate = [...rates].sort((a, b) => a - b)[1]!;
      const goal = n === 10_000 ? '≥ 1000' : '-';
      rows.push({ area: 'notify', metric: `articles/s matched against ${n} subscriptions (batch ${BATCH}, 30 % text, ≤ 225 distinct texts)`, value: fmt(rate, 0), goal, ok: n === 10_000 ? rate >= 1000 : null });
      rows.push({ area: 'notify', metric: `articles/s incl. recording ${matched} matches (${n} subs)`, value: fmt(recordRate, 0), goal: '-', ok: null });
    }
    return rows;
  } finally {
    await store.client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true }).catch(() => undefined);
    await store.client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
    await store.close();
  }
}
