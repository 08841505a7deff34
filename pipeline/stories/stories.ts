import { z } from 'zod';
import { loadYamlFile } from '../../lib/yaml-file.ts';
import { fromRoot } from '../../lib/paths.ts';
import type { SensitivityLevel } from '../../model/records.ts';
import { syllables } from './minhash.ts';

export const LEVEL_RANK: Record<SensitivityLevel, number> = { normal: 0, sensitive: 1, hot: 2 };

export interface StoryRecord {
  id: string;
  title: string;
  canonicalArticleId: string;
  articleIds: string[];
  articleCount: number;
  outlets: string[];
  outletCount: number;
  agencyIds: string[];
  provinces: string[];
  firstSeen: string;
  lastSeen: string;
  highestLevel: SensitivityLevel;
  levelRank: number;
  /**
   * The terms of `signature.terms`, indexed: what candidate lookup matches a new article against, and what
   * document frequencies are counted over. Absent on records written before it existed.
   */
  keyTerms?: string[];
  /**
   * Term weights of the story so far, the IDF each term had when last weighed (see storySimilarity), and how
   * many of its articles name each agency and province.
   */
  signature: {
    terms: Record<string, number>;
    idf?: Record<string, number>;
    agencies: Record<string, number>;
    provinces?: Record<string, number>;
  };
  updatedAt: string;
}

export interface StoryArticle {
  id: string;
  sourceId: string;
  title: string | null;
  sapo: string | null;
  body: string | null;
  publishedAt: string | null;
  fetchedAt: string;
  agencyIds: string[];
  provinces: string[];
  level: SensitivityLevel;
  duplicateOf: string | null;
}

export interface StoryQuery {
  from: string;
  to: string;
  agencyIds: string[];
  /** The article's terms, heaviest first: a selective store returns the stories that share the most distinctive of them. */
  terms: string[];
  articleIds: string[];
}

/** How many stories a store holds and how many of them carry each term (document frequencies). */
export interface TermStats {
  stories: number;
  df: Record<string, number>;
}

/** Where stories live: in memory for a batch, the stories index when connected. */
export interface StoryStore {
  /**
   * Stories active around the article (lastSeen/firstSeen within the window) that may be about the same event
   * (a store may return only those sharing its terms), plus any story containing one of `articleIds`.
   */
  candidates(q: StoryQuery): Promise<StoryRecord[]>;
  /** Document frequencies of `terms` over the stored stories' key terms; without it every term weighs the same. */
  termStats?(terms: string[]): Promise<TermStats>;
  save(story: StoryRecord): Promise<void>;
}

export interface StoryOptions {
  windowHours: number;
  threshold: number;
  now?: () => Date;
}

export const DEFAULT_STORY_OPTIONS: StoryOptions = { windowHours: 72, threshold: 0.35 };

const STOPWORDS = new Set(loadYamlFile(fromRoot('pipeline', 'stories', 'stopwords.yaml'), z.array(z.string())).data);
const MAX_TERMS = 80;
/** How many of an article's heaviest terms a selective store looks up. */
export const QUERY_TERMS = 40;

/** Weighted words and word pairs of the title, sapo and lead: what an event's coverage shares. */
export function termVector(a: { title: string | null; sapo: string | null; body: string | null }): Map<string, number> {
  const v = new Map<string, number>();
  const add = (text: string | null, weight: number) => {
    if (!text) return;
    const words = syllables(text).filter((w) => w.length > 1 && !/^\d+$/.test(w));
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (!STOPWORDS.has(w)) v.set(w, (v.get(w) ?? 0) + weight);
      const next = words[i + 1];
      if (next && !(STOPWORDS.has(w) && STOPWORDS.has(next))) {
        const pair = `${w} ${next}`;
        if (!STOPWORDS.has(pair)) v.set(pair, (v.get(pair) ?? 0) + weight * 1.5);
      }
    }
  };
  add(a.title, 3);
  add(a.sapo, 2);
  add(a.body?.slice(0, 600) ?? null, 1);
  return v;
}

const byWeight = (x: [string, number], y: [string, number]) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1);

/**
 * Inverse document frequency over the stored stories (BM25's form, always positive): a term most stories
 * carry (the province, "dự án", "đầu tư") weighs little, a place or object few stories name weighs a lot.
 * With no statistics every term weighs the same.
 */
export function idfFromStats(stats: TermStats | null): (term: string) => number {
  if (!stats || stats.stories <= 0) return () => 1;
  const n = stats.stories;
  return (term) => {
    const df = Math.min(n, stats.df[term] ?? 0);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
}

/**
 * Cosine of the IDF-weighted term vectors. The article is weighted with today's IDF; the story with the IDF
 * each of its terms had when it was last weighed (kept in the signature, so no lookup is needed), falling back
 * to today's for terms the article shares.
 */
function weightedCosine(vector: Map<string, number>, idf: (term: string) => number, story: StoryRecord): number {
  const terms = story.signature.terms;
  const kept = story.signature.idf ?? {};
  let fallback = 0;
  let dot = 0;
  let na = 0;
  for (const [k, w] of vector) {
    const i = idf(k);
    fallback += i;
    na += (w * i) ** 2;
    const o = terms[k];
    if (o) dot += w * i * o * (kept[k] ?? i);
  }
  fallback = vector.size ? fallback / vector.size : 1;
  let nb = 0;
  for (const [k, o] of Object.entries(terms)) nb += (o * (kept[k] ?? (vector.has(k) ? idf(k) : fallback))) ** 2;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Local agencies (a commune's or district's: ids `<period>-c<code>-…` / `<period>-d<code>-…` in the registry)
 * pin an event to a place; provincial ones (UBND tỉnh, a Sở) turn up in story after story of their province.
 */
const isLocalAgency = (id: string) => /^[a-z0-9]+-[cd]\d+-/.test(id);

/**
 * What shared agencies add to the text similarity. Sharing a local agency is strong evidence of the same
 * event, a provincial one only weak (same province, same administration, often a different event), so the
 * text must carry more of the decision: with the 0.35 threshold, an article joins on IDF-weighted text
 * similarity 0.175 with a shared local agency, 0.275 with only provincial ones, 0.35 with none.
 */
export const SHARED_LOCAL_BONUS = 0.175;
export const SHARED_PROVINCIAL_BONUS = 0.075;

function topTerms(terms: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...terms].sort(byWeight).slice(0, MAX_TERMS));
}

/** Keys counted in at least half of a story's articles: who and where the event is about. */
function core(counts: Record<string, number> | undefined, articleCount: number): string[] {
  const min = Math.max(1, articleCount / 2);
  return Object.keys(counts ?? {}).filter((k) => counts![k]! >= min);
}

/**
 * How much an article looks like a story's coverage: IDF-weighted text overlap (distinctive words and pairs
 * of the title, sapo and lead: places, objects, what happened, rather than the province or the topic), plus
 * a bonus for the agencies it shares with the story's core, more for a local agency than a provincial one.
 * A story in another province, sharing no agency, scores half: the same kind of event elsewhere is another
 * story.
 */
export function storySimilarity(
  vector: Map<string, number>,
  agencyIds: string[],
  provinces: string[],
  story: StoryRecord,
  idf: (term: string) => number = () => 1,
): number {
  const text = weightedCosine(vector, idf, story);
  const agencies = core(story.signature.agencies, story.articleCount);
  const shared = agencyIds.filter((id) => agencies.includes(id));
  if (shared.some(isLocalAgency)) return text + SHARED_LOCAL_BONUS;
  if (shared.length > 0) return text + SHARED_PROVINCIAL_BONUS;
  const places = core(story.signature.provinces, story.articleCount);
  const elsewhere = provinces.length > 0 && places.length > 0 && !provinces.some((p) => places.includes(p));
  return elsewhere ? 0.5 * text : text;
}

const uniq = (xs: string[]) => [...new Set(xs)].sort();
const hours = (ms: number) => ms * 3_600_000;
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Put an article into the story of the same event (a copy always joins its original's story), or start a
 * new one. Incremental: only stories seen within the time window are compared. Idempotent: an article
 * already in a story stays there.
 */
export async function assignStory(article: StoryArticle, store: StoryStore, opts: StoryOptions = DEFAULT_STORY_OPTIONS): Promise<StoryRecord> {
  const at = article.publishedAt ?? article.fetchedAt;
  const t = Date.parse(at);
  const vector = termVector(article);
  const terms = [...vector].sort(byWeight).map(([k]) => k);
  const [candidates, stats] = await Promise.all([
    store.candidates({
      from: new Date(t - hours(opts.windowHours)).toISOString(),
      to: new Date(t + hours(opts.windowHours)).toISOString(),
      agencyIds: article.agencyIds,
      terms: terms.slice(0, QUERY_TERMS),
      articleIds: [article.id, ...(article.duplicateOf ? [article.duplicateOf] : [])],
    }),
    store.termStats ? store.termStats(terms) : Promise.resolve(null),
  ]);
  const idf = idfFromStats(stats);
  let story = candidates.find((s) => s.articleIds.includes(article.id)) ?? null;
  if (!story && article.duplicateOf) story = candidates.find((s) => s.articleIds.includes(article.duplicateOf!)) ?? null;
  if (!story) {
    let best = 0;
    for (const s of candidates) {
      const sim = storySimilarity(vector, article.agencyIds, article.provinces, s, idf);
      if (sim >= opts.threshold && (sim > best || (sim === best && story && s.id < story.id))) {
        best = sim;
        story = s;
      }
    }
  }
  const now = (opts.now?.() ?? new Date()).toISOString();
  if (!story) {
    story = {
      id: `story-${article.id.slice(0, 24)}`,
      title: article.title ?? '',
      canonicalArticleId: article.duplicateOf ?? article.id,
      articleIds: [],
      articleCount: 0,
      outlets: [],
      outletCount: 0,
      agencyIds: [],
      provinces: [],
      firstSeen: at,
      lastSeen: at,
      highestLevel: 'normal',
      levelRank: 0,
      signature: { terms: {}, agencies: {}, provinces: {} },
      updatedAt: now,
    };
  }
  const already = story.articleIds.includes(article.id);
  const merged = new Map(Object.entries(story.signature.terms));
  const weighed = new Map(Object.entries(story.signature.idf ?? {}));
  if (!already && !article.duplicateOf) {
    for (const [k, w] of vector) {
      merged.set(k, (merged.get(k) ?? 0) + w);
      if (stats) weighed.set(k, round(idf(k)));
    }
  }
  const agencyCounts = { ...(story.signature.agencies ?? {}) };
  const provinceCounts = { ...(story.signature.provinces ?? {}) };
  if (!already) {
    for (const id of new Set(article.agencyIds)) agencyCounts[id] = (agencyCounts[id] ?? 0) + 1;
    for (const p of new Set(article.provinces)) provinceCounts[p] = (provinceCounts[p] ?? 0) + 1;
  }
  const level = LEVEL_RANK[article.level] > story.levelRank ? article.level : story.highestLevel;
  const kept = topTerms(merged);
  const keptIdf = Object.fromEntries(Object.keys(kept).flatMap((k) => (weighed.has(k) ? [[k, weighed.get(k)!]] : [])));
  const updated: StoryRecord = {
    ...story,
    articleIds: uniq([...story.articleIds, article.id]),
    outlets: uniq([...story.outlets, article.sourceId]),
    agencyIds: uniq([...story.agencyIds, ...article.agencyIds]),
    provinces: uniq([...story.provinces, ...article.provinces]),
    firstSeen: at < story.firstSeen ? at : story.firstSeen,
    lastSeen: at > story.lastSeen ? at : story.lastSeen,
    highestLevel: level,
    levelRank: LEVEL_RANK[level],
    keyTerms: Object.keys(kept),
    signature: { terms: kept, ...(Object.keys(keptIdf).length ? { idf: keptIdf } : {}), agencies: agencyCounts, provinces: provinceCounts },
    updatedAt: now,
  };
  updated.articleCount = updated.articleIds.length;
  updated.outletCount = updated.outlets.length;
  await store.save(updated);
  return updated;
}

/** A story's indexed key terms (older records: its signature's terms). */
export const keyTermsOf = (s: StoryRecord): string[] => s.keyTerms ?? Object.keys(s.signature.terms);

export class MemoryStoryStore implements StoryStore {
  readonly stories = new Map<string, StoryRecord>();
  private readonly df = new Map<string, number>();

  async candidates(q: { from: string; to: string; articleIds: string[] }): Promise<StoryRecord[]> {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    return [...this.stories.values()].filter(
      (s) => q.articleIds.some((id) => s.articleIds.includes(id)) || (Date.parse(s.lastSeen) >= from && Date.parse(s.firstSeen) <= to),
    );
  }

  async termStats(terms: string[]): Promise<TermStats> {
    const df: Record<string, number> = {};
    for (const t of terms) {
      const n = this.df.get(t);
      if (n) df[t] = n;
    }
    return { stories: this.stories.size, df };
  }

  async save(story: StoryRecord): Promise<void> {
    const before = this.stories.get(story.id);
    if (before) for (const t of keyTermsOf(before)) this.df.set(t, this.df.get(t)! - 1);
    for (const t of keyTermsOf(story)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.stories.set(story.id, story);
  }
}
