/**
 * The typed records that flow between stages, each defined once with zod:
 * crawlers ── RawArticle ──▶ pipeline ── Article ──▶ index ──▶ rules ── Flag/Case ──▶ notify/web.
 * Later stages extend these; a record is validated when it crosses a stage boundary.
 */
import { z } from 'zod';

/** ISO 8601 timestamp with an explicit offset (we emit +07:00 for Vietnamese dates). */
export const IsoDateTime = z.iso.datetime({ offset: true });

export const ArticleImage = z.object({
  url: z.string(),
  caption: z.string().nullable(),
});
export type ArticleImage = z.infer<typeof ArticleImage>;

/** What the generic extractor returns for one HTML page (the `monitor extract` contract plus diagnostics). */
export const ExtractedArticle = z.object({
  url: z.string(),
  canonicalUrl: z.string(),
  title: z.string().nullable(),
  sapo: z.string().nullable(),
  /** Paragraph text only, paragraphs separated by a blank line. */
  body: z.string().nullable(),
  author: z.string().nullable(),
  publishedAt: IsoDateTime.nullable(),
  modifiedAt: IsoDateTime.nullable(),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  image: ArticleImage.nullable(),
  lang: z.string().nullable(),
  /** Why a field is null: field name → reason. Never invent a value. */
  missing: z.record(z.string(), z.string()).default({}),
});
export type ExtractedArticle = z.infer<typeof ExtractedArticle>;

/** A crawled article handed from the crawlers to the pipeline. */
export const RawArticle = ExtractedArticle.extend({
  sourceId: z.string(),
  fetchedAt: IsoDateTime,
  /** sha256 of title + sapo + body, to notice edits. */
  contentHash: z.string(),
  /** Every URL in the redirect chain, first to last. */
  redirects: z.array(z.string()).default([]),
  httpStatus: z.number().int().nullable().default(null),
});
export type RawArticle = z.infer<typeof RawArticle>;

export const Field = z.enum(['title', 'sapo', 'body']);
export type Field = z.infer<typeof Field>;

export const Mention = z.object({
  field: Field,
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
});
export type Mention = z.infer<typeof Mention>;

export const AgencyTag = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  level: z.string(),
  province: z.string().nullable(),
  provinceName: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  successors: z.array(z.string()),
  mentions: z.array(Mention),
  prominence: z.enum(['primary', 'secondary', 'passing']),
  confidence: z.number().min(0).max(1),
});
export type AgencyTag = z.infer<typeof AgencyTag>;

export const SensitivityLevel = z.enum(['normal', 'sensitive', 'hot']);
export type SensitivityLevel = z.infer<typeof SensitivityLevel>;
export const Tone = z.enum(['negative', 'neutral', 'positive']);
export type Tone = z.infer<typeof Tone>;

export const Sensitivity = z.object({
  level: SensitivityLevel,
  score: z.number(),
  tone: Tone,
  /** Tone toward each tagged agency, by agency id. */
  toneByAgency: z.record(z.string(), Tone).default({}),
  categories: z.array(z.string()),
  reasons: z.array(z.string()),
});
export type Sensitivity = z.infer<typeof Sensitivity>;

/** An article as indexed: the raw fields plus everything the pipeline adds. */
export const Article = RawArticle.extend({
  id: z.string(),
  outletLevel: z.string().nullable().default(null),
  outletKind: z.string().nullable().default(null),
  outletProvince: z.string().nullable().default(null),
  agencies: z.array(AgencyTag).default([]),
  unresolved: z.array(z.unknown()).default([]),
  sensitivity: Sensitivity.nullable().default(null),
  duplicateOf: z.string().nullable().default(null),
  storyId: z.string().nullable().default(null),
  version: z.number().int().positive().default(1),
});
export type Article = z.infer<typeof Article>;
