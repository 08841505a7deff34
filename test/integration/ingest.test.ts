import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleId } from '../../lib/ids.ts';
import { RawArticle } from '../../model/records.ts';
import { createPipelineDeps } from '../../pipeline/deps.ts';
import { loadCalendar } from '../../rules/calendar/calendar.ts';
import { loadRules } from '../../rules/engine/load.ts';
import { loadRegimes } from '../../rules/legal/regimes.ts';
import { fromRoot } from '../../lib/paths.ts';
import { ingest, type IngestDeps } from '../../runner/ingest.ts';
import { BulkWriter } from '../../store/bulk-writer.ts';
import { Source } from '../../crawlers/sources/schema.ts';
import { loadContent, type NewsArticle } from '../fixtures/news-web/content.ts';
import { openTestStore, testLog, type TestStore } from '../helpers/es.ts';
import { PROFILE } from '../fixtures/news-web/sources.ts';

let store: TestStore;
const content = loadContent().filter((a) => !a.trap);
const urlOf = (a: NewsArticle) => `https://${a.outlet}.example.vn/${a.section}/${a.slug}.html`;
const idOf = (a: NewsArticle) => articleId(urlOf(a));
const raw = (a: NewsArticle) =>
  RawArticle.parse({
    url: urlOf(a),
    canonicalUrl: urlOf(a),
    title: a.title,
    sapo: a.sapo,
    body: a.body.join('\n\n'),
    author: a.author,
    publishedAt: a.publishedAt,
    modifiedAt: a.modifiedAt,
    section: a.section,
    tags: a.tags,
    image: null,
    lang: 'vi',
    sourceId: `mau-${a.outlet}`,
    fetchedAt: a.publishedAt,
    contentHash: a.id,
  });
const sources = Object.entries(PROFILE).map(([k, profile]) =>
  Source.parse({ id: `mau-${k}`, name: k, homepage: `https://${k}.example.vn/`, ...profile, feeds: [`https://${k}.example.vn/rss`] }),
);

/** Fresh in-memory state each time, so the second half can only find the first through Elasticsearch. */
async function deps(): Promise<IngestDeps> {
  const regimes = loadRegimes();
  const now = () => new Date('2026-11-23T08:00:00+07:00');
  return {
    store,
    writer: new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' }),
    pipeline: await createPipelineDeps({ store, now }),
    engine: { rules: loadRules(fromRoot('rules', 'default'), { regimes }), calendar: loadCalendar(), regimes },
    sources: new Map(sources.map((s) => [s.id, s])),
    log: testLog,
    now,
  };
}

const sorted = [...content].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
const cut = sorted.findIndex((a) => a.publishedAt >= '2026-11-19T12:00:00+07:00');
const firstHalf = sorted.slice(0, cut);
const secondHalf = sorted.slice(cut);

async function docs() {
  await store.client.indices.refresh({ index: `${store.config.elasticsearch.indexPrefix}-*` });
  const res = await store.client.search<{ id: string; duplicateOf: string | null; storyId: string }>({
    index: store.names.alias('articles'),
    size: 1000,
    _source: ['id', 'duplicateOf', 'storyId'],
  });
  return new Map(res.hits.hits.map((h) => [h._source!.id, h._source!]));
}

beforeAll(async () => {
  store = await openTestStore();
  expect(firstHalf.length).toBeGreaterThan(50);
  expect(secondHalf.some((a) => a.truth.copyOf) && secondHalf.some((a) => a.truth.story)).toBe(true);
  await ingest(firstHalf.map(raw), await deps());
  await store.client.indices.refresh({ index: `${store.config.elasticsearch.indexPrefix}-*` });
  await ingest(secondHalf.map(raw), await deps());
}, 300_000);
afterAll(() => store.drop());

describe('ingest into Elasticsearch, in two runs', () => {
  it('indexes every article once', async () => {
    const indexed = await docs();
    expect(indexed.size).toBe(content.length);
  });

  it('links copies to originals indexed by an earlier run', async () => {
    const indexed = await docs();
    for (const a of content.filter((x) => x.truth.copyOf)) {
      const original = content.find((x) => x.id === a.truth.copyOf)!;
      expect(indexed.get(idOf(a))!.duplicateOf, a.id).toBe(idOf(original));
    }
    const falseCopies = content.filter((a) => !a.truth.copyOf && indexed.get(idOf(a))!.duplicateOf).map((a) => a.id);
    expect(falseCopies).toEqual([]);
  });

  it('groups the planted stories across the two runs, and stores the story records', async () => {
    const indexed = await docs();
    const keys = [...new Set(content.map((a) => a.truth.story).filter((k): k is string => Boolean(k)))];
    let spanning = 0;
    for (const key of keys) {
      const members = content.filter((a) => a.truth.story === key);
      if (members.some((m) => firstHalf.includes(m)) && members.some((m) => secondHalf.includes(m))) spanning++;
      const storyIds = new Set(members.map((m) => indexed.get(idOf(m))!.storyId));
      expect(storyIds.size, key).toBe(1);
      const story = await store.client.get<{ articleCount: number; outletCount: number }>({ index: store.names.alias('stories'), id: [...storyIds][0]! });
      expect(story._source!.articleCount, key).toBe(members.length);
      const intruders = content.filter((a) => a.truth.story !== key && storyIds.has(indexed.get(idOf(a))!.storyId)).map((a) => a.id);
      expect(intruders, key).toEqual([]);
    }
    expect(spanning).toBeGreaterThan(0);
    // No unrelated merge: every stand-alone article is alone in its story (tn-r014 / nb-r015 used to merge).
    const alone = new Map<string, string[]>();
    for (const a of content.filter((x) => !x.truth.story)) {
      const storyId = indexed.get(idOf(a))!.storyId;
      alone.set(storyId, [...(alone.get(storyId) ?? []), a.id]);
    }
    expect([...alone.values()].filter((ids) => ids.length > 1)).toEqual([]);
  });

  it('opens cases only for recent articles; archive articles keep their flags', async () => {
    await store.client.indices.refresh({ index: `${store.config.elasticsearch.indexPrefix}-*` });
    const cases = await store.client.search<{ articleIds: string[] }>({ index: store.names.alias('cases'), size: 1000 });
    expect(cases.hits.hits.length).toBeGreaterThan(0);
    const horizon = Date.parse('2026-10-24T08:00:00+07:00');
    const recent = new Set(content.filter((a) => Date.parse(a.publishedAt) >= horizon).map(idOf));
    for (const c of cases.hits.hits) for (const id of c._source!.articleIds) expect(recent.has(id), id).toBe(true);
    const oldFlags = await store.client.count({ index: store.names.alias('flags'), query: { terms: { articleId: content.filter((a) => a.publishedAt < '2025-01-01').map(idOf) } } });
    expect(oldFlags.count).toBeGreaterThan(0);
  });

  it("writes each new case's state onto its articles during the same ingest (search by case state)", async () => {
    await store.client.indices.refresh({ index: `${store.config.elasticsearch.indexPrefix}-*` });
    const cases = await store.client.search<{ agencyId: string; state: string; articleIds: string[] }>({ index: store.names.alias('cases'), size: 1000 });
    const expected = new Map<string, string[]>();
    for (const c of cases.hits.hits) for (const id of c._source!.articleIds) expected.set(id, [...(expected.get(id) ?? []), `${c._source!.agencyId}|${c._source!.state}`].sort());
    const articles = await store.client.search<{ caseAgencyStates?: string[] }>({ index: store.names.alias('articles'), size: 1000, query: { ids: { values: [...expected.keys()] } }, _source: ['caseAgencyStates'] });
    expect(articles.hits.hits.length).toBe(expected.size);
    for (const h of articles.hits.hits) expect(h._source!.caseAgencyStates, h._id).toEqual(expected.get(h._id!));
  });

  it('never duplicates an article or a flag when the same articles are ingested again', async () => {
    const before = await docs();
    const again = await ingest(secondHalf.map(raw), await deps());
    expect(again.index.created).toBe(0);
    const after = await docs();
    expect(after.size).toBe(before.size);
    for (const [id, d] of after) expect(d.storyId, id).toBe(before.get(id)!.storyId);
    // The re-run may add flags the first pass could not see yet (a story that grew while the batch was
    // processed now counts more outlets); once seen, a third run adds nothing.
    await store.client.indices.refresh({ index: store.names.alias('flags') });
    const flags = (await store.client.count({ index: store.names.alias('flags') })).count;
    const third = await ingest(secondHalf.map(raw), await deps());
    expect(third.index.created).toBe(0);
    expect(third.flagWrites.created).toBe(0);
    await store.client.indices.refresh({ index: store.names.alias('flags') });
    expect((await store.client.count({ index: store.names.alias('flags') })).count).toBe(flags);
  });
});
