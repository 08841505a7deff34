import { afterEach, describe, expect, it } from 'vitest';
import { loadIndexDefinitions, type IndexDefinition } from '../../index-mappings/definitions.ts';
import { migrate } from '../../index-mappings/migrate.ts';
import { openTestStore, testLog, type TestStore } from '../helpers/es.ts';

let store: TestStore | undefined;
afterEach(async () => {
  await store?.drop();
  store = undefined;
});

const run = (s: TestStore, definitions: IndexDefinition[]) =>
  migrate(s.client, { prefix: s.config.elasticsearch.indexPrefix, definitions, log: testLog });

describe('monitor es migrate', () => {
  it('creates every index behind its alias, and a second run changes nothing', async () => {
    store = await openTestStore({ migrate: false });
    const defs = loadIndexDefinitions();
    const first = await run(store, defs);
    expect(first.filter((a) => a.kind === 'created').length).toBe(defs.filter((d) => !d.monthly).length);
    expect(first.some((a) => a.kind === 'template')).toBe(true);
    for (const def of defs.filter((d) => !d.monthly)) {
      const alias = store.names.alias(def.name);
      const res = await store.client.indices.getAlias({ name: alias });
      expect(Object.keys(res)).toEqual([store.names.concrete(def.name)]);
    }
    // A monthly article index appears with its alias as soon as a document lands in it.
    const month = store.names.monthly('articles', '2026-11-23T08:00:00+07:00');
    expect(month).toMatch(/-articles-v1-2026\.11$/);
    await store.client.index({ index: month, id: 'a', document: { id: 'a', title: 'x' }, refresh: true });
    const aliased = await store.client.indices.getAlias({ name: store.names.alias('articles') });
    expect(Object.keys(aliased)).toEqual([month]);

    const second = await run(store, defs);
    expect(second.every((a) => a.kind === 'unchanged')).toBe(true);
  });

  it('adds new fields in place and copies documents into a new version on an incompatible change', async () => {
    const v1: IndexDefinition = {
      name: 'things',
      version: 1,
      monthly: false,
      settings: {},
      mappings: { dynamic: 'strict', properties: { id: { type: 'keyword' }, code: { type: 'keyword' } } },
    };
    const monthlyV1: IndexDefinition = { ...v1, name: 'notes', monthly: true };
    store = await openTestStore({ definitions: [v1, monthlyV1], migrate: false });
    await run(store, [v1, monthlyV1]);
    const docs = Array.from({ length: 1203 }, (_, i) => ({ id: `d${i}`, code: String(i) }));
    const operations = docs.flatMap((d) => [{ index: { _index: store!.names.alias('things'), _id: d.id } }, d]);
    await store.client.bulk({ operations, refresh: true });
    const months = ['2026.05', '2026.06'];
    for (const [i, m] of months.entries()) {
      await store.client.index({ index: `${store.names.concrete('notes')}-${m}`, id: `n${i}`, document: { id: `n${i}`, code: m }, refresh: true });
    }

    // Compatible: a new field is added in place.
    const added: IndexDefinition = { ...v1, mappings: { ...v1.mappings, properties: { ...(v1.mappings.properties as object), note: { type: 'text' } } } };
    const addActions = await run(store, [added, monthlyV1]);
    expect(addActions).toContainEqual({ kind: 'mapping-updated', index: store.names.concrete('things', 1) });

    // Incompatible: `code` becomes a long → version 2; every document must survive the copy.
    const v2: IndexDefinition = { ...added, version: 2, mappings: { dynamic: 'strict', properties: { id: { type: 'keyword' }, code: { type: 'long' }, note: { type: 'text' } } } };
    const monthlyV2: IndexDefinition = { ...monthlyV1, version: 2, mappings: { dynamic: 'strict', properties: { id: { type: 'keyword' }, code: { type: 'keyword' }, extra: { type: 'keyword' } } } };
    const actions = await run(store, [v2, monthlyV2]);
    expect(actions).toContainEqual({ kind: 'migrated', from: store.names.concrete('things', 1), to: store.names.concrete('things', 2), documents: 1203 });
    expect(actions.filter((a) => a.kind === 'migrated' && a.from.includes('notes'))).toHaveLength(2);

    const alias = await store.client.indices.getAlias({ name: store.names.alias('things') });
    expect(Object.keys(alias)).toEqual([store.names.concrete('things', 2)]);
    const count = await store.client.count({ index: store.names.alias('things') });
    expect(count.count).toBe(1203);
    const ranged = await store.client.count({ index: store.names.alias('things'), query: { range: { code: { gte: 1000 } } } });
    expect(ranged.count).toBe(203); // numeric now: the new mapping really applies
    const notes = await store.client.search({ index: store.names.alias('notes'), size: 10 });
    expect(notes.hits.hits.map((h) => h._index).sort()).toEqual(months.map((m) => `${store!.names.concrete('notes', 2)}-${m}`));

    // And again: nothing left to do.
    expect((await run(store, [v2, monthlyV2])).every((a) => a.kind === 'unchanged')).toBe(true);
  });

  it('keeps the old index and alias when a document does not fit the new mapping', async () => {
    const v1: IndexDefinition = { name: 'things', version: 1, monthly: false, settings: {}, mappings: { dynamic: 'strict', properties: { code: { type: 'keyword' } } } };
    store = await openTestStore({ definitions: [v1], migrate: false });
    await run(store, [v1]);
    await store.client.index({ index: store.names.alias('things'), id: 'bad', document: { code: 'not-a-number' }, refresh: true });
    const v2: IndexDefinition = { ...v1, version: 2, mappings: { dynamic: 'strict', properties: { code: { type: 'long' } } } };
    await expect(run(store, [v2])).rejects.toThrow(/1 document\(s\) rejected.*old index kept/s);
    const alias = await store.client.indices.getAlias({ name: store.names.alias('things') });
    expect(Object.keys(alias)).toEqual([store.names.concrete('things', 1)]);
  });
});
