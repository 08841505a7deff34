import type { Linker } from './agencies/link.ts';
import type { SensitivityScorer } from './sensitivity/index.ts';
import { amplifySensitivity, type AmplifyConfig } from './sensitivity/amplify.ts';
import { detectCopy, type CopyStore } from './stories/copies.ts';
import { assignStory, DEFAULT_STORY_OPTIONS, type StoryOptions, type StoryRecord, type StoryStore } from './stories/stories.ts';
import { encodeSignature } from './stories/minhash.ts';
import type { AgencyTag, Sensitivity } from '../model/records.ts';

/** What the pipeline needs to know about the outlet that published an article. */
export interface OutletInfo {
  id: string;
  level: 'national' | 'provincial' | null;
  kind: string | null;
  /** Home province for the article's period (pre-2025 code before the reform). */
  province: { code: string; period: 'pre2025' | '2025' } | null;
}

/** The fields the pipeline reads; RawArticle and the `monitor tag` input both fit. */
export interface PipelineInput {
  id: string;
  title: string | null;
  sapo?: string | null;
  body: string | null;
  publishedAt?: string | null;
  fetchedAt?: string | null;
}

export interface PipelineOutput {
  agencies: AgencyTag[];
  unresolved: unknown[];
  sensitivity: Sensitivity;
  duplicateOf: string | null;
  storyId: string;
  story: StoryRecord;
  /** MinHash signature and LSH band keys, kept with the article so later copies find it in the index. */
  copySignature: string;
  copyBands: string[];
}

export interface PipelineDeps {
  linker: Linker;
  scorer: SensitivityScorer;
  copies: CopyStore;
  stories: StoryStore;
  now: () => Date;
  storyOptions?: StoryOptions;
  amplify?: Partial<AmplifyConfig>;
}

/**
 * One article through the pipeline: agencies it concerns, sensitivity with reasons, whether it copies an
 * earlier article, which story it belongs to, and amplification when the story spreads. The stores are
 * passed in: in memory for a batch, Elasticsearch-backed when connected to the index.
 */
export async function processArticle(input: PipelineInput, outlet: OutletInfo | null, deps: PipelineDeps): Promise<PipelineOutput> {
  const title = input.title ?? '';
  const linked = deps.linker.link({
    title,
    sapo: input.sapo ?? null,
    body: input.body ?? '',
    publishedAt: input.publishedAt ?? null,
    outletProvince: outlet?.province ?? null,
  });
  let sensitivity = deps.scorer.score({
    title,
    sapo: input.sapo ?? null,
    body: input.body ?? null,
    agencies: linked.agencies.map((a) => ({ id: a.id, mentions: a.mentions })),
  });
  const copy = await detectCopy({ id: input.id, title, sapo: input.sapo ?? null, body: input.body ?? null }, deps.copies);
  const story = await assignStory(
    {
      id: input.id,
      sourceId: outlet?.id ?? 'unknown',
      title,
      sapo: input.sapo ?? null,
      body: input.body ?? null,
      publishedAt: input.publishedAt ?? null,
      fetchedAt: input.fetchedAt ?? deps.now().toISOString(),
      agencyIds: linked.agencies.map((a) => a.id),
      provinces: [...new Set(linked.agencies.map((a) => a.province).filter((p): p is string => Boolean(p)))],
      level: sensitivity.level,
      duplicateOf: copy.duplicateOf,
    },
    deps.stories,
    { ...DEFAULT_STORY_OPTIONS, ...deps.storyOptions, now: deps.now },
  );
  const spanHours = (Date.parse(story.lastSeen) - Date.parse(story.firstSeen)) / 3_600_000;
  sensitivity = amplifySensitivity(sensitivity, { outlets: story.outletCount, windowHours: Math.max(0, spanHours) }, deps.amplify);
  return {
    agencies: linked.agencies,
    unresolved: linked.unresolved,
    sensitivity,
    duplicateOf: copy.duplicateOf,
    storyId: story.id,
    story,
    copySignature: encodeSignature(copy.signature),
    copyBands: copy.bands,
  };
}

/** Oldest first, so that within a batch the earliest publication becomes the canonical article. */
export function chronological<T extends PipelineInput>(items: T[]): T[] {
  const key = (a: PipelineInput) => a.publishedAt ?? a.fetchedAt ?? '9999';
  return [...items].sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
}
