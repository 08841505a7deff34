import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, getVersioned, replaceIfUnchanged, updateOptimistic } from '../../store/occ.ts';
import { openTestStore, type TestStore } from '../helpers/es.ts';

interface CaseDoc {
  id: string;
  state: string;
  notes: string[];
}

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.drop());

describe('optimistic concurrency on the real node', () => {
  it('never loses an update when many people edit one case at once', async () => {
    const index = store.names.alias('cases');
    await store.client.index({ index, id: 'c1', document: { id: 'c1', state: 'mới', notes: [] }, refresh: true });
    const editors = Array.from({ length: 12 }, (_, i) => `ghi chú ${i}`);
    await Promise.all(
      editors.map((note) => updateOptimistic<CaseDoc>(store.client, index, 'c1', (c) => ({ ...c, notes: [...c.notes, note] }))),
    );
    const final = await getVersioned<CaseDoc>(store.client, index, 'c1');
    expect(final!.doc.notes.sort()).toEqual([...editors].sort());
  });

  it('refuses a write based on a stale read', async () => {
    const index = store.names.alias('cases');
    await store.client.index({ index, id: 'c2', document: { id: 'c2', state: 'mới', notes: [] }, refresh: true });
    const alice = (await getVersioned<CaseDoc>(store.client, index, 'c2'))!;
    const bob = (await getVersioned<CaseDoc>(store.client, index, 'c2'))!;
    await replaceIfUnchanged(store.client, alice, { ...alice.doc, state: 'đang xử lý' });
    await expect(replaceIfUnchanged(store.client, bob, { ...bob.doc, state: 'không cần xử lý' })).rejects.toBeInstanceOf(ConflictError);
    expect((await getVersioned<CaseDoc>(store.client, index, 'c2'))!.doc.state).toBe('đang xử lý');
  });

  it('reads a missing document as null', async () => {
    expect(await getVersioned(store.client, store.names.alias('cases'), 'nope')).toBeNull();
  });
});
