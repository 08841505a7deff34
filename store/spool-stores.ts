/**
 * The pipeline's Elasticsearch-backed copy and story stores, made to survive an outage: lookups answer
 * from memory only (this run's articles) while Elasticsearch is unreachable, and story writes go to the
 * outage spool (in order with the other spooled records) instead of failing the article.
 */
import type { CopyEntry, CopyStore } from '../pipeline/stories/copies.ts';
import type { StoryRecord, StoryStore } from '../pipeline/stories/stories.ts';
import { fold } from '../pipeline/normalize/vi-text.ts';
import type { Store } from './es.ts';
import { isEsUnreachable, type Spool } from './spool.ts';

export const STORY_TAG = 'story';

/** The lookup's answer, or `fallback` while Elasticsearch is unreachable (and the spool learns it is). */
async function orFallback<T>(spool: Spool, fallback: T, lookup: () => Promise<T>): Promise<T> {
  if (spool.isDown) return fallback;
  try {
    return await lookup();
  } catch (err) {
    if (!isEsUnreachable(err)) throw err;
    spool.markDown(err);
    return fallback;
  }
}

/** Copy candidates from the index, or none while it is unreachable (copies within the run are still found from memory). */
export class SpoolingCopyStore implements CopyStore {
  constructor(
    private readonly base: CopyStore,
    private readonly spool: Spool,
  ) {}

  candidates(bands: string[]): Promise<CopyEntry[]> {
    return orFallback(this.spool, [], () => this.base.candidates(bands));
  }

  add(entry: CopyEntry, bands: string[]): Promise<void> {
    return this.base.add(entry, bands);
  }
}

type TermStatsFn = NonNullable<StoryStore['termStats']>;

/** Story candidates from the index (none while unreachable); saves go to the spool while it is down or not yet replayed. */
export class SpoolingStoryStore implements StoryStore {
  /** Passed through when the index store has it; while unreachable, no statistics (every term weighs the same). */
  readonly termStats?: TermStatsFn;

  constructor(
    private readonly base: StoryStore,
    private readonly store: Store,
    private readonly spool: Spool,
  ) {
    const stats = base.termStats?.bind(base);
    if (stats) this.termStats = (terms) => orFallback(this.spool, { stories: 0, df: {} }, () => stats(terms));
  }

  candidates(q: Parameters<StoryStore['candidates']>[0]): Promise<StoryRecord[]> {
    return orFallback(this.spool, [], () => this.base.candidates(q));
  }

  async save(story: StoryRecord): Promise<void> {
    if (!this.spool.isDown && this.spool.pending === 0) {
      try {
        return await this.base.save(story);
      } catch (err) {
        if (!isEsUnreachable(err)) throw err;
        this.spool.markDown(err);
      }
    }
    // The same document EsStoryStore writes.
    this.spool.append([{ index: this.store.names.alias('stories'), id: story.id, mode: 'index', doc: { ...story, title_folded: fold(story.title) }, tag: STORY_TAG }]);
  }
}
