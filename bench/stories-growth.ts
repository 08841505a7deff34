import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/load.ts';
import { loadIndexDefinitions } from '../index-mappings/definitions.ts';
import { migrate } from '../index-mappings/migrate.ts';
import { createLogger } from '../lib/log.ts';
import { detectCopy, type CopyStore } from '../pipeline/stories/copies.ts';
import { bandKeys, encodeSignature, minhash } from '../pipeline/stories/minhash.ts';
import { assignStory, termVector, type StoryStore } from '../pipeline/stories/stories.ts';
import { openStore, type Store } from '../store/es.ts';
import { EsCopyStore, EsStoryStore, LayeredCopyStore, LayeredStoryStore } from '../store/pipeline-stores.ts';
import { MemoryCopyStore } from '../pipeline/stories/copies.ts';
import { MemoryStoryStore } from '../pipeline/stories/stories.ts';
import { loadContent } from '../test/fixtures/news-web/content.ts';
import { fmt, type BenchRow } from './table.ts';

const SIZES = (process.env.BENCH_GROWTH_SIZES ?? '10000,100000').split(',').map(Number);

/** Sample-web prose shuffled into distinct synthetic articles spread over 2025–2026. */
function synthetic(i: number, texts: string[]) {
  const a = texts[i % texts.length]!;
  const b = texts[(i * 7 + 3) % texts.length]!;
  const body = `${a}\n\n${b}\n\nMã bài ${i}: ${randomBytes(6).toString('hex')}`;
  const publishedAt = new Date(Date.parse('2025-07-01T00:00:00+07:00') + (i % 500) * 86_400_000 + i * 1000).toISOString();
  return { id: `bench-${i}`, title: a.slice(0, 80), sapo: b.slice(0, 160), body, publishedAt };
}

async function fill(store: Store, from: number, to: number, texts: string[]): Promise<void> {
  const articles = store.names.concrete('articles');
  const stories = store.names.alias('stories');
  for (let start = from; start < to; start += 2000) {
    const operations: unknown[] = [];
    for (let i = start; i < Math.min(to, start + 2000); i++) {
      const a = synthetic(i, texts);
      const sig = minhash(a.body);
      const month = a.publishedAt.slice(0, 7).replace('-', '.');
      operations.push({ index: { _index: `${articles}-${month}`, _id: a.id } }, { id: a.id, title: a.title, body: a.body, publishedAt: a.publishedAt, copyBands: bandKeys(sig), copySignature: encodeSignature(sig) });
      if (i % 3 === 0) {
        // A one-article story as assignStory writes it: its 80 heaviest terms, also indexed as key terms.
        const terms = Object.fromEntries([...termVector(a)].sort((x, y) => y[1] - x[1]).slice(0, 80));
        operations.push(
          { index: { _index: stories, _id: `story-${a.id}` } },
          { id: `story-${a.id}`, title: a.title, canonicalArticleId: a.id, articleIds: [a.id], articleCount: 1, outlets: ['bench'], outletCount: 1, agencyIds: [], provinces: [], firstSeen: a.publishedAt, lastSeen: a.publishedAt, highestLevel: 'normal', levelRank: 0, keyTerms: Object.keys(terms), signature: { terms, agencies: {}, provinces: {} }, updatedAt: a.publishedAt },
        );
      }
    }
    const res = await store.client.bulk({ operations, refresh: false });
    if (res.errors) throw new Error('bulk errors while filling the benchmark index');
  }
  await store.client.indices.refresh({ index: `${store.names.prefix}-*` });
}

async function addCost(store: Store, texts: string[], base: number): Promise<{ ms: number; compared: number }> {
  const copies: CopyStore = new LayeredCopyStore(new EsCopyStore(store), new MemoryCopyStore());
  const layered = new LayeredStoryStore(new EsStoryStore(store), new MemoryStoryStore(), false);
  let compared = 0;
  const stories: StoryStore = {
    candidates: async (q) => {
      const found = await layered.candidates(q);
      compared += found.length;
      return found;
    },
    termStats: (terms) => layered.termStats(terms),
    save: (s) => layered.save(s),
  };
  const n = 100;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const a = synthetic(base + 1_000_000 + i, texts);
    const copy = await detectCopy(a, copies);
    await assignStory({ ...a, sourceId: 'bench', fetchedAt: a.publishedAt, agencyIds: [], provinces: [], level: 'normal', duplicateOf: copy.duplicateOf }, stories);
  }
  return { ms: (performance.now() - t) / n, compared: compared / n };
}

/** Cost of adding one article (copy lookup + story assignment against the index) as the index grows. */
export async function benchStoriesGrowth(): Promise<BenchRow[]> {
  const log = createLogger('bench', 'error');
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const config = loadConfig({ env: { ...process.env, MONITOR_INDEX_PREFIX: prefix } });
  const store = await openStore(config, log);
  const rows: BenchRow[] = [];
  try {
    await migrate(store.client, { prefix, definitions: loadIndexDefinitions(), log });
    const texts = loadContent().flatMap((a) => a.body);
    let filled = 0;
    for (const size of SIZES) {
      const t = performance.now();
      await fill(store, filled, size, texts);
      const fillSeconds = (performance.now() - t) / 1000;
      filled = size;
      const { ms, compared } = await addCost(store, texts, size);
      rows.push({ area: 'stories', metric: `ms to add one article (copies + story) with ${size.toLocaleString('en')} indexed`, value: fmt(ms, 1), goal: '-', ok: null });
      rows.push({ area: 'stories', metric: `stories compared per added article with ${size.toLocaleString('en')} indexed`, value: fmt(compared, 0), goal: '-', ok: null });
      rows.push({ area: 'stories', metric: `bulk indexing rate while filling to ${size.toLocaleString('en')}, docs/s`, value: fmt((size - (SIZES.indexOf(size) > 0 ? SIZES[SIZES.indexOf(size) - 1]! : 0)) / fillSeconds, 0), goal: '-', ok: null });
    }
  } finally {
    await store.client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true });
    await store.client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
    await store.close();
  }
  return rows;
}
