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
import { confirmCrawled, releaseCrawled } from '../crawlers/state/crawl-state.ts';
import { ARTICLE_TAG, indexArticles, resolveArticleWrites } from '../store/articles.ts';
import type { BulkResult, BulkWriter, WriteOp } from '../store/bulk-writer.ts';
import type { Store } from '../store/es.ts';
import { isEsUnreachable, type ReplayResult, type SpoolRecord } from '../store/spool.ts';

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
  /** Records written to the outage spool by this batch (Elasticsearch unreachable); 0 normally. */
  spooled: number;
  /** What the spool replay at the start of this ingest did; null when nothing waited. */
  replayed: ReplayResult | null;
}

/** Tag of flag writes (a spool replay opens their cases). */
export const FLAG_TAG = 'flag';

type IndexedArticle = Article & Record<string, unknown>;
/** What the follow-up of a write (and so a spool replay) needs. */
type FollowUpDeps = Pick<IngestDeps, 'store' | 'writer' | 'log' | 'now' | 'evidence' | 'caseHorizonDays'>;
type FlagWithContext = Flag & { province: string | null; storyId: string | null };

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
 *
 * With an outage spool on the writer (openIngest): the spool is replayed first when Elasticsearch answers
 * again; while it does not, the batch's records are spooled to disk instead of failing, and cases are opened
 * when they are replayed. Crawled articles are confirmed to the crawl state only once durably indexed or
 * spooled (a crash before that makes the next crawl fetch them again).
 */
export async function ingest(raws: RawArticle[], deps: IngestDeps): Promise<IngestResult> {
  const replayed = await replaySpool(deps);
  const ordered = [...raws].sort((a, b) => (a.publishedAt ?? a.fetchedAt).localeCompare(b.publishedAt ?? b.fetchedAt));
  const articles: IndexedArticle[] = [];
  const flags: FlagWithContext[] = [];
  const processed: RawArticle[] = [];
  const failed: RawArticle[] = [];
  for (const raw of ordered) {
    try {
      const done = await toIndexed(raw, deps);
      articles.push(done.article);
      processed.push(raw);
      for (const f of done.flags) {
        const agency = done.article.agencies.find((a) => a.id === f.agencyId);
        flags.push({ ...f, province: agency?.province ?? null, storyId: done.article.storyId });
      }
    } catch (err) {
      failed.push(raw);
      deps.log.error({ url: raw.canonicalUrl, error: (err as Error).message }, 'pipeline failed for an article; skipped');
    }
  }
  const createdAt = deps.now().toISOString();
  const flagOps = (): WriteOp[] =>
    flags.map((f) => ({ index: deps.store.names.alias('flags'), id: f.id, mode: 'create' as const, doc: { ...f, createdAt, updatedAt: createdAt }, tag: FLAG_TAG }));
  const index = await indexArticles(deps.store, deps.writer, articles, deps.now());
  const flagWrites = await deps.writer.write(flagOps());
  let spooled = index.spooled + flagWrites.spooled;
  let followUp: FollowUp = { cases: { opened: [], joined: [], unchanged: [] }, corrections: [] };
  if (spooled > 0 && index.spooled === 0 && articles.length > 0) {
    // The articles went in before Elasticsearch went away: spool them too so the replay also looks for corrections.
    spooled += (await indexArticles(deps.store, deps.writer, articles, deps.now())).spooled;
  }
  if (spooled === 0) {
    try {
      followUp = await afterWrite(deps, articles, flags);
    } catch (err) {
      const spool = deps.writer.spool;
      if (!spool || !isEsUnreachable(err)) throw err;
      // Written, but the cases could not be opened: spool the batch again (idempotent) so its replay opens them.
      spool.markDown(err);
      spooled += (await indexArticles(deps.store, deps.writer, articles, deps.now())).spooled;
      spooled += (await deps.writer.write(flagOps())).spooled;
    }
  }
  // Durably indexed or spooled: from now on the crawl state may treat these articles as done.
  confirmCrawled(processed);
  if (failed.length) releaseCrawled(failed, 'pipeline-error', deps.now().toISOString());
  return { articles: articles.length, flags: flags.length, index, flagWrites, cases: followUp.cases, corrections: followUp.corrections, spooled, replayed };
}

interface FollowUp {
  cases: OpenResult;
  corrections: DetectedCorrection[];
}

/** Cases, outlet corrections and evidence for articles and flags just written (also what a spool replay redoes). */
async function afterWrite(deps: FollowUpDeps, articles: IndexedArticle[], flags: FlagWithContext[]): Promise<FollowUp> {
  // Cases after the flags: a case always points at flags that exist. Both steps are idempotent, so a
  // failure here is retried by re-ingesting the batch.
  const refs = new Map(articles.map((a) => [a.id, articleRef(a)]));
  const published = new Map(articles.map((a) => [a.id, Date.parse(a.publishedAt ?? a.fetchedAt)]));
  // Flags replayed without their article (it was written before the outage): read it back.
  const missing = [...new Set(flags.map((f) => f.articleId).filter((id) => !refs.has(id)))];
  if (missing.length) {
    const res = await deps.store.client.search<IndexedArticle>({
      index: deps.store.names.alias('articles'),
      query: { ids: { values: missing } },
      size: missing.length,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    for (const h of res.hits.hits) {
      refs.set(h._source!.id, articleRef(h._source!));
      published.set(h._source!.id, Date.parse(h._source!.publishedAt ?? h._source!.fetchedAt));
    }
  }
  // Flags are kept for every article (reports, backtests), but an archive article found by a backfill or a
  // first crawl is history, not work: only recent ones open cases.
  const horizon = deps.now().getTime() - (deps.caseHorizonDays ?? DEFAULT_CASE_HORIZON_DAYS) * 86_400_000;
  const actionable = flags.filter((f) => (published.get(f.articleId) ?? 0) >= horizon);
  const cases = await openCasesForFlags(deps.store, actionable.map((f) => ({ ...f, article: refs.get(f.articleId) })), deps.now);
  const corrections = await detectCorrections(deps.store, articles, deps.now);
  for (const id of deps.evidence ? [...cases.opened, ...cases.joined] : []) {
    // Every flagged article is kept as published, also one joining an existing case (idempotent per article).
    // Evidence is best effort: a site that is down must not stop the ingest; the case keeps the failure.
    await captureEvidence(deps.store, id, deps.evidence!).catch((err: Error) => deps.log.warn({ case: id, error: err.message }, 'evidence capture failed'));
  }
  if (corrections.length) deps.log.info({ corrections: corrections.length }, 'outlet corrections linked to cases');
  return { cases, corrections };
}

/** One spool segment written again, then its follow-up work (cases for its flags, corrections for its articles). */
async function replaySegment(records: SpoolRecord[], deps: FollowUpDeps): Promise<void> {
  const now = deps.now();
  const ops = await resolveArticleWrites(
    deps.store,
    records.map((r) => ({ index: r.index, id: r.id, mode: r.op, doc: r.doc, ...(r.tag ? { tag: r.tag } : {}) })),
    now,
  );
  // Without the spool: a failure must surface so the segment stays (an unreachable node stops the replay).
  const result = await deps.writer.direct().write(ops);
  deps.log.info({ records: ops.length, created: result.created, updated: result.updated, unchanged: result.unchanged, rejected: result.rejected.length }, 'spool segment replayed');
  // The last version of each record wins, as it would have in the index.
  const articles = new Map<string, IndexedArticle>();
  const flags = new Map<string, FlagWithContext>();
  for (const op of ops) {
    if (op.tag === ARTICLE_TAG) articles.set(op.id, op.doc as IndexedArticle);
    else if (op.tag === FLAG_TAG) flags.set(op.id, op.doc as unknown as FlagWithContext);
  }
  await afterWrite(deps, [...articles.values()], [...flags.values()]);
}

/**
 * Replay the outage spool when Elasticsearch answers again: oldest segment first, each deleted only once
 * written and followed up. Does nothing (no request) when nothing waits and Elasticsearch is not known to be
 * down. `ingest` calls it first; the run loop may also call it at the start of a turn with no due source.
 */
export async function replaySpool(deps: FollowUpDeps): Promise<ReplayResult | null> {
  const spool = deps.writer.spool;
  if (!spool || (spool.pending === 0 && !spool.isDown)) return null;
  if (!(await spool.probe(deps.store.client))) return { segments: 0, records: 0, remaining: spool.status().segments, dead: 0 };
  if (spool.pending === 0) return null;
  return spool.replay((records) => replaySegment(records, deps));
}
