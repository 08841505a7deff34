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
  /** Term weights of the story so far and how many of its articles name each agency. */
  signature: { terms: Record<string, number>; agencies: Record<string, number>; provinces?: Record<string, number> };
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

/** Where stories live: in memory for a batch, the stories index when connected. */
export interface StoryStore {
  /** Stories active around `at` (lastSeen within the window), or containing one of `articleIds`. */
  candidates(q: { from: string; to: string; agencyIds: string[]; terms: string[]; articleIds: string[] }): Promise<StoryRecord[]>;
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

function cosine(a: Map<string, number>, b: Record<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, w] of a) {
    na += w * w;
    const o = b[k];
    if (o) dot += w * o;
  }
  for (const w of Object.values(b)) nb += w * w;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function jaccard(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const sb = new Set(b);
  const inter = a.filter((x) => sb.has(x)).length;
  return inter / (a.length + b.length - inter);
}

function topTerms(terms: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...terms].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, MAX_TERMS));
}

/** Keys counted in at least half of a story's articles: who and where the event is about. */
function core(counts: Record<string, number> | undefined, articleCount: number): string[] {
  const min = Math.max(1, articleCount / 2);
  return Object.keys(counts ?? {}).filter((k) => counts![k]! >= min);
}

/** How much an article looks like a story's coverage: text overlap, plus shared agencies and places. */
export function storySimilarity(vector: Map<string, number>, agencyIds: string[], provinces: string[], story: StoryRecord): number {
  const text = cosine(vector, story.signature.terms);
  const agencies = core(story.signature.agencies, story.articleCount);
  if (agencyIds.length === 0 || agencies.length === 0) return text;
  const shared = jaccard(agencyIds, agencies);
  if (shared > 0) return 0.75 * text + 0.25 * shared;
  // The same kind of event in another province (food poisoning at two schools) is another story.
  const places = core(story.signature.provinces, story.articleCount);
  const elsewhere = provinces.length > 0 && places.length > 0 && !provinces.some((p) => places.includes(p));
  return elsewhere ? 0.5 * text : text;
}

const uniq = (xs: string[]) => [...new Set(xs)].sort();
const hours = (ms: number) => ms * 3_600_000;

/**
 * Put an article into the story of the same event (a copy always joins its original's story), or start a
 * new one. Incremental: only stories seen within the time window are compared. Idempotent: an article
 * already in a story stays there.
 */
export async function assignStory(article: StoryArticle, store: StoryStore, opts: StoryOptions = DEFAULT_STORY_OPTIONS): Promise<StoryRecord> {
  const at = article.publishedAt ?? article.fetchedAt;
  const t = Date.parse(at);
  const vector = termVector(article);
  const terms = [...vector.keys()];
  const candidates = await store.candidates({
    from: new Date(t - hours(opts.windowHours)).toISOString(),
    to: new Date(t + hours(opts.windowHours)).toISOString(),
    agencyIds: article.agencyIds,
    terms,
    articleIds: [article.id, ...(article.duplicateOf ? [article.duplicateOf] : [])],
  });
  let story = candidates.find((s) => s.articleIds.includes(article.id)) ?? null;
  if (!story && article.duplicateOf) story = candidates.find((s) => s.articleIds.includes(article.duplicateOf!)) ?? null;
  if (!story) {
    let best = 0;
    for (const s of candidates) {
      const sim = storySimilarity(vector, article.agencyIds, article.provinces, s);
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
  if (!already && !article.duplicateOf) for (const [k, w] of vector) merged.set(k, (merged.get(k) ?? 0) + w);
  const agencyCounts = { ...(story.signature.agencies ?? {}) };
  const provinceCounts = { ...(story.signature.provinces ?? {}) };
  if (!already) {
    for (const id of new Set(article.agencyIds)) agencyCounts[id] = (agencyCounts[id] ?? 0) + 1;
    for (const p of new Set(article.provinces)) provinceCounts[p] = (provinceCounts[p] ?? 0) + 1;
  }
  const level = LEVEL_RANK[article.level] > story.levelRank ? article.level : story.highestLevel;
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
    signature: { terms: topTerms(merged), agencies: agencyCounts, provinces: provinceCounts },
    updatedAt: now,
  };
  updated.articleCount = updated.articleIds.length;
  updated.outletCount = updated.outlets.length;
  await store.save(updated);
  return updated;
}

export class MemoryStoryStore implements StoryStore {
  readonly stories = new Map<string, StoryRecord>();

  async candidates(q: { from: string; to: string; articleIds: string[] }): Promise<StoryRecord[]> {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    return [...this.stories.values()].filter(
      (s) => q.articleIds.some((id) => s.articleIds.includes(id)) || (Date.parse(s.lastSeen) >= from && Date.parse(s.firstSeen) <= to),
    );
  }

  async save(story: StoryRecord): Promise<void> {
    this.stories.set(story.id, story);
  }
}
