import type { Source } from '../crawlers/sources/schema.ts';
import { outletProvince } from '../crawlers/sources/load.ts';
import { articleId } from '../lib/ids.ts';
import type { Logger } from '../lib/log.ts';
import { Article, type RawArticle } from '../model/records.ts';
import { processArticle, type OutletInfo, type PipelineDeps } from '../pipeline/process.ts';
import type { WorkCalendar } from '../rules/calendar/calendar.ts';
import { evaluateRules } from '../rules/engine/evaluate.ts';
import type { Flag } from '../rules/engine/flag.ts';
import type { RuleSet } from '../rules/engine/schema.ts';
import type { Regimes } from '../rules/legal/regimes.ts';
import { detectCorrections, type DetectedCorrection } from '../rules/cases/corrections.ts';
import { captureEvidence, type EvidenceDeps } from '../rules/cases/evidence.ts';
import { openCasesForFlags, type OpenResult } from '../rules/cases/repo.ts';
import type { ArticleRef } from '../rules/cases/schema.ts';
import { indexArticles } from '../store/articles.ts';
import type { BulkResult, BulkWriter } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';

/** Articles older than this (by publication date) get flags but open no case. */
export const DEFAULT_CASE_HORIZON_DAYS = 30;

export interface RulesEngine {
  rules: RuleSet;
  calendar: WorkCalendar;
  regimes: Regimes;
}

export interface IngestDeps {
  store: Store;
  writer: BulkWriter;
  pipeline: PipelineDeps;
  engine: RulesEngine;
  sources: Map<string, Source>;
  log: Logger;
  now: () => Date;
  /** When set, a newly opened case gets a snapshot of its articles as published (re-fetch + Chromium). */
  evidence?: EvidenceDeps;
  /** Only flags on articles published within this many days open cases (default 30). */
  caseHorizonDays?: number;
}

export interface IngestResult {
  articles: number;
  flags: number;
  index: BulkResult;
  flagWrites: BulkResult;
  /** Cases opened or joined by this batch's flags, and outlet corrections found in it. */
  cases: OpenResult;
  corrections: DetectedCorrection[];
}

function articleRef(a: Article & Record<string, unknown>): ArticleRef {
  return {
    id: a.id,
    url: a.canonicalUrl,
    title: a.title,
    outletId: a.sourceId,
    outletName: typeof a.outletName === 'string' ? a.outletName : null,
    outletKind: a.outletKind,
    publishedAt: a.publishedAt,
  };
}

function outletOf(source: Source | undefined, publishedAt: string | null): OutletInfo | null {
  if (!source) return null;
  return { id: source.id, level: source.level, kind: source.kind, province: outletProvince(source, publishedAt) };
}

/** One crawled article through the pipeline and the rules: the indexed record and its flags. */
export async function toIndexed(raw: RawArticle, deps: Omit<IngestDeps, 'store' | 'writer'>): Promise<{ article: Article & Record<string, unknown>; flags: Flag[] }> {
  const source = deps.sources.get(raw.sourceId);
  const id = articleId(raw.canonicalUrl);
  const outlet = outletOf(source, raw.publishedAt);
  const result = await processArticle({ ...raw, id }, outlet, deps.pipeline);
  const article = Article.parse({
    ...raw,
    id,
    outletLevel: outlet?.level ?? null,
    outletKind: outlet?.kind ?? null,
    outletProvince: outlet?.province?.code ?? null,
    agencies: result.agencies,
    unresolved: result.unresolved,
    sensitivity: result.sensitivity,
    duplicateOf: result.duplicateOf,
    storyId: result.storyId,
  });
  const flags = evaluateRules(article, deps.engine.rules, {
    calendar: deps.engine.calendar,
    regimes: deps.engine.regimes,
    now: deps.now().toISOString(),
    story: { outlets: result.story.outletCount, articleCount: result.story.articleCount, firstSeen: result.story.firstSeen },
  });
  return {
    article: {
      ...article,
      outletName: source?.name ?? null,
      copyBands: result.copyBands,
      copySignature: result.copySignature,
      flagKinds: [...new Set(flags.map((f) => f.kind))],
    },
    flags,
  };
}

/**
 * Crawled articles → pipeline → rules → Elasticsearch, in batches. Every write is an idempotent upsert
 * keyed by deterministic ids, so re-ingesting the same articles changes nothing.
 */
export async function ingest(raws: RawArticle[], deps: IngestDeps): Promise<IngestResult> {
  const ordered = [...raws].sort((a, b) => (a.publishedAt ?? a.fetchedAt).localeCompare(b.publishedAt ?? b.fetchedAt));
  const articles: Array<Article & Record<string, unknown>> = [];
  const flags: Array<Flag & { province: string | null; storyId: string | null }> = [];
  for (const raw of ordered) {
    try {
      const done = await toIndexed(raw, deps);
      articles.push(done.article);
      for (const f of done.flags) {
        const agency = done.article.agencies.find((a) => a.id === f.agencyId);
        flags.push({ ...f, province: agency?.province ?? null, storyId: done.article.storyId });
      }
    } catch (err) {
      deps.log.error({ url: raw.canonicalUrl, error: (err as Error).message }, 'pipeline failed for an article; skipped');
    }
  }
  const index = await indexArticles(deps.store, deps.writer, articles, deps.now());
  const createdAt = deps.now().toISOString();
  const flagWrites = await deps.writer.write(
    flags.map((f) => ({ index: deps.store.names.alias('flags'), id: f.id, mode: 'create' as const, doc: { ...f, createdAt, updatedAt: createdAt } })),
  );
  // Cases after the flags: a case always points at flags that exist. Both steps are idempotent, so a
  // failure here is retried by re-ingesting the batch.
  const refs = new Map(articles.map((a) => [a.id, articleRef(a)]));
  // Flags are kept for every article (reports, backtests), but an archive article found by a backfill or a
  // first crawl is history, not work: only recent ones open cases.
  const horizon = deps.now().getTime() - (deps.caseHorizonDays ?? DEFAULT_CASE_HORIZON_DAYS) * 86_400_000;
  const published = new Map(articles.map((a) => [a.id, Date.parse(a.publishedAt ?? a.fetchedAt)]));
  const actionable = flags.filter((f) => (published.get(f.articleId) ?? 0) >= horizon);
  const cases = await openCasesForFlags(deps.store, actionable.map((f) => ({ ...f, article: refs.get(f.articleId) })), deps.now);
  const corrections = await detectCorrections(deps.store, articles, deps.now);
  for (const id of deps.evidence ? [...cases.opened, ...cases.joined] : []) {
    // Every flagged article is kept as published, also one joining an existing case (idempotent per article).
    // Evidence is best effort: a site that is down must not stop the ingest; the case keeps the failure.
    await captureEvidence(deps.store, id, deps.evidence!).catch((err: Error) => deps.log.warn({ case: id, error: err.message }, 'evidence capture failed'));
  }
  if (corrections.length) deps.log.info({ corrections: corrections.length }, 'outlet corrections linked to cases');
  return { articles: articles.length, flags: flags.length, index, flagWrites, cases, corrections };
}
