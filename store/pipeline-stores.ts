import type { CopyEntry, CopyStore } from '../pipeline/stories/copies.ts';
import { decodeSignature } from '../pipeline/stories/minhash.ts';
import type { StoryQuery, StoryRecord, StoryStore, TermStats } from '../pipeline/stories/stories.ts';
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

/** How many stories the candidate lookup returns: the best-matching few, however dense the window. */
export const STORY_CANDIDATES = 20;
const STATS_TTL_MS = 5 * 60_000;
const STATS_CACHE_TERMS = 200_000;

/**
 * Stories in the stories index. Candidates are selective: stories active in the time window ranked by the
 * article's heaviest terms matched against each story's indexed key terms (BM25 on a keyword field: the sum
 * of the matched terms' IDF, boosted by their weight in the article), so the lookup returns the few stories
 * that share the most distinctive terms however many stories the window holds. Stories holding one of the
 * given articles always come back.
 */
export class EsStoryStore implements StoryStore {
  private readonly dfCache = new Map<string, number>();
  private storyCount = 0;
  private statsAt = 0;

  constructor(
    private readonly store: Store,
    private readonly size = STORY_CANDIDATES,
  ) {}

  async candidates(q: StoryQuery): Promise<StoryRecord[]> {
    const window = [{ range: { lastSeen: { gte: q.from } } }, { range: { firstSeen: { lte: q.to } } }];
    const res = await this.store.client.search<StoryRecord>({
      index: this.store.names.alias('stories'),
      query: {
        bool: {
          should: [
            { constant_score: { filter: { terms: { articleIds: q.articleIds } }, boost: 1e6 } },
            ...(q.terms.length > 0
              ? [{ bool: { filter: window, should: q.terms.map((t, i) => ({ term: { keyTerms: { value: t, boost: termBoost(i, q.terms.length) } } })) } }]
              : []),
            // Stories written before key terms were indexed (a migrated index): still compared while active.
            { constant_score: { filter: { bool: { filter: window, must_not: { exists: { field: 'keyTerms' } } } }, boost: 1e-3 } },
          ],
          minimum_should_match: 1,
        },
      },
      _source: { excludes: ['keyTerms', 'title_folded'] },
      size: this.size,
      ignore_unavailable: true,
    });
    return res.hits.hits.map((h) => h._source!).filter(Boolean);
  }

  /**
   * Document frequencies over the index's key terms, read from the term dictionary (one shard's). They change
   * slowly (this run's own stories are counted by the memory layer), so they are cached for a few minutes and
   * only terms not seen lately are looked up.
   */
  async termStats(terms: string[]): Promise<TermStats> {
    const now = Date.now();
    if (now - this.statsAt > STATS_TTL_MS || this.dfCache.size > STATS_CACHE_TERMS) {
      this.dfCache.clear();
      this.statsAt = now;
    }
    const missing = [...new Set(terms)].filter((t) => !this.dfCache.has(t));
    if (missing.length > 0) {
      try {
        const res = await this.store.client.termvectors({
          index: this.store.names.alias('stories'),
          doc: { keyTerms: missing },
          fields: ['keyTerms'],
          term_statistics: true,
          field_statistics: true,
          positions: false,
          offsets: false,
          payloads: false,
        });
        const field = res.term_vectors?.keyTerms;
        for (const t of missing) this.dfCache.set(t, field?.terms?.[t]?.doc_freq ?? 0);
        this.storyCount = field?.field_statistics?.doc_count ?? 0;
      } catch (err) {
        if ((err as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw err;
        return { stories: 0, df: {} };
      }
    }
    const df: Record<string, number> = {};
    for (const t of terms) {
      const n = this.dfCache.get(t);
      if (n) df[t] = n;
    }
    return { stories: this.storyCount, df };
  }

  async save(story: StoryRecord): Promise<void> {
    await this.store.client.index({
      index: this.store.names.alias('stories'),
      id: story.id,
      document: { ...story, title_folded: fold(story.title) },
    });
  }
}

/** The article's terms come heaviest first: the title's outweigh the lead's. */
const termBoost = (rank: number, n: number) => Math.round((1 - (0.75 * rank) / n) * 100) / 100;

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

  async candidates(q: StoryQuery): Promise<StoryRecord[]> {
    const [base, recent] = await Promise.all([this.base.candidates(q), this.recent.candidates(q)]);
    const merged = new Map<string, StoryRecord>();
    for (const s of base) merged.set(s.id, s);
    for (const s of recent) merged.set(s.id, s);
    return [...merged.values()];
  }

  /** Both layers' counts added up (a story written through is counted twice once the index is refreshed, its share unchanged). */
  async termStats(terms: string[]): Promise<TermStats> {
    const [base, recent] = await Promise.all([this.base.termStats?.(terms) ?? null, this.recent.termStats?.(terms) ?? null]);
    const df: Record<string, number> = { ...base?.df };
    for (const [t, n] of Object.entries(recent?.df ?? {})) df[t] = (df[t] ?? 0) + n;
    return { stories: (base?.stories ?? 0) + (recent?.stories ?? 0), df };
  }

  async save(story: StoryRecord): Promise<void> {
    await this.recent.save(story);
    if (this.writeThrough) await this.base.save(story);
  }
}
