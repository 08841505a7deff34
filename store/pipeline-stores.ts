import type { CopyEntry, CopyStore } from '../pipeline/stories/copies.ts';
import { decodeSignature } from '../pipeline/stories/minhash.ts';
import type { StoryRecord, StoryStore } from '../pipeline/stories/stories.ts';
import { fold } from '../pipeline/normalize/vi-text.ts';
import type { Store } from './es.ts';

/** Earlier articles' copy signatures, found through the LSH band keys stored on each indexed article. */
export class EsCopyStore implements CopyStore {
  constructor(private readonly store: Store) {}

  async candidates(bands: string[]): Promise<CopyEntry[]> {
    const res = await this.store.client.search<{ id: string; copySignature?: string; duplicateOf?: string | null }>({
      index: this.store.names.alias('articles'),
      query: { terms: { copyBands: bands } },
      _source: ['id', 'copySignature', 'duplicateOf'],
      size: 50,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return res.hits.hits
      .filter((h) => h._source?.copySignature)
      .map((h) => ({ id: h._source!.id, signature: decodeSignature(h._source!.copySignature!), duplicateOf: h._source!.duplicateOf ?? null }));
  }

  /** The article document itself carries its signature once indexed. */
  async add(): Promise<void> {}
}

/** Stories in the stories index: those active in the time window, or holding one of the given articles. */
export class EsStoryStore implements StoryStore {
  constructor(private readonly store: Store) {}

  async candidates(q: { from: string; to: string; articleIds: string[] }): Promise<StoryRecord[]> {
    const res = await this.store.client.search<StoryRecord>({
      index: this.store.names.alias('stories'),
      query: {
        bool: {
          should: [
            { bool: { filter: [{ range: { lastSeen: { gte: q.from } } }, { range: { firstSeen: { lte: q.to } } }] } },
            { terms: { articleIds: q.articleIds } },
          ],
          minimum_should_match: 1,
        },
      },
      sort: [{ lastSeen: 'desc' }],
      size: 300,
      ignore_unavailable: true,
    });
    return res.hits.hits.map((h) => h._source!).filter(Boolean);
  }

  async save(story: StoryRecord): Promise<void> {
    await this.store.client.index({
      index: this.store.names.alias('stories'),
      id: story.id,
      document: { ...story, title_folded: fold(story.title) },
    });
  }
}

/** The index for history plus memory for the current run (the index lags by its refresh interval). */
export class LayeredCopyStore implements CopyStore {
  constructor(
    private readonly base: CopyStore,
    private readonly recent: CopyStore,
  ) {}

  async candidates(bands: string[]): Promise<CopyEntry[]> {
    const merged = new Map<string, CopyEntry>();
    for (const c of await this.base.candidates(bands)) merged.set(c.id, c);
    for (const c of await this.recent.candidates(bands)) merged.set(c.id, c);
    return [...merged.values()];
  }

  async add(entry: CopyEntry, bands: string[]): Promise<void> {
    await this.recent.add(entry, bands);
  }
}

export class LayeredStoryStore implements StoryStore {
  constructor(
    private readonly base: StoryStore,
    private readonly recent: StoryStore,
    private readonly writeThrough: boolean,
  ) {}

  async candidates(q: Parameters<StoryStore['candidates']>[0]): Promise<StoryRecord[]> {
    const merged = new Map<string, StoryRecord>();
    for (const s of await this.base.candidates(q)) merged.set(s.id, s);
    for (const s of await this.recent.candidates(q)) merged.set(s.id, s);
    return [...merged.values()];
  }

  async save(story: StoryRecord): Promise<void> {
    await this.recent.save(story);
    if (this.writeThrough) await this.base.save(story);
  }
}
