/**
 * Follow-up detection: among newly ingested articles, find an outlet's correction, đính chính, reply or
 * apology that refers to a flagged article (by URL, by quoting its title, or same outlet + similar title),
 * link it to the case and move the case to bao-da-cai-chinh.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadYamlFile } from '../../lib/yaml-file.ts';
import { foldForSearch } from '../../pipeline/normalize/vi-text.ts';
import type { Store } from '../../store/es.ts';
import { defaultCaseContext, type CaseContext } from './context.ts';
import { isoNow } from './deadlines.ts';
import { linkCorrection } from './ops.ts';
import { casesIndex, mutateCase, type WriteOptions } from './repo.ts';
import { Case, type ArticleRef, type Clock, type Correction } from './schema.ts';

export const CorrectionConfig = z.strictObject({
  version: z.literal(1),
  cues: z.array(z.string().min(2)).min(1),
  minQuotedTitleLength: z.number().int().positive(),
  titleSimilarity: z.number().min(0).max(1),
});
export type CorrectionConfig = z.infer<typeof CorrectionConfig>;

let cached: CorrectionConfig | null = null;
export function loadCorrectionConfig(file = join(dirname(fileURLToPath(import.meta.url)), 'corrections.yaml')): CorrectionConfig {
  cached ??= loadYamlFile(file, CorrectionConfig).data;
  return cached;
}

/** The fields of a newly ingested article that detection reads. */
export const CandidateArticle = z.object({
  id: z.string().min(1),
  url: z.string(),
  canonicalUrl: z.string().optional(),
  sourceId: z.string().nullable().optional(),
  title: z.string().nullable(),
  sapo: z.string().nullable(),
  body: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type CandidateArticle = z.infer<typeof CandidateArticle>;

/** host + path, lower-cased host, no scheme, www, query, fragment or trailing slash: how URLs are compared. */
export function urlKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host.toLowerCase().replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim().toLowerCase();
  }
}

const URL_RE = /https?:\/\/[^\s"'<>“”)]+/g;
const words = (s: string) => foldForSearch(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
const pairs = (ws: string[]) => new Set(ws.slice(1).map((w, i) => `${ws[i]} ${w}`));

export function isCorrectionLike(a: Pick<CandidateArticle, 'title' | 'sapo'>, cfg: CorrectionConfig = loadCorrectionConfig()): boolean {
  const head = ` ${words(`${a.title ?? ''} ${a.sapo ?? ''}`).join(' ')} `;
  return cfg.cues.some((cue) => head.includes(` ${words(cue).join(' ')} `));
}

/** How `candidate` refers to `flagged`, or null. The candidate must be a correction-like article published after it. */
export function refersTo(candidate: CandidateArticle, flagged: ArticleRef, cfg: CorrectionConfig = loadCorrectionConfig()): Correction['matchedBy'] | null {
  if (candidate.id === flagged.id) return null;
  if (candidate.publishedAt && flagged.publishedAt && Date.parse(candidate.publishedAt) <= Date.parse(flagged.publishedAt)) return null;
  const text = [candidate.title, candidate.sapo, candidate.body].filter(Boolean).join('\n');
  if (flagged.url) {
    const key = urlKey(flagged.url);
    if ([...text.matchAll(URL_RE)].some((m) => urlKey(m[0].replace(/[.,;:]+$/, '')) === key)) return 'url';
  }
  if (!flagged.title) return null;
  const title = words(flagged.title).join(' ');
  const folded = ` ${words(text).join(' ')} `;
  if (title.length >= cfg.minQuotedTitleLength && folded.includes(` ${title} `)) return 'title-quoted';
  const sameOutlet = !!candidate.sourceId && candidate.sourceId === flagged.outletId;
  if (sameOutlet) {
    const want = pairs(words(flagged.title));
    const have = pairs(words([candidate.title, candidate.sapo, candidate.body?.split('\n\n').slice(0, 2).join(' ')].filter(Boolean).join(' ')));
    if (want.size > 0 && [...want].filter((p) => have.has(p)).length / want.size >= cfg.titleSimilarity) return 'title-similar';
  }
  return null;
}

export interface DetectedCorrection {
  caseId: string;
  articleId: string;
  correctsArticleId: string;
  matchedBy: Correction['matchedBy'];
}

/** Pure: which cases each correction-like candidate corrects. */
export function matchCorrections(candidates: CandidateArticle[], cases: Case[], cfg: CorrectionConfig = loadCorrectionConfig()): DetectedCorrection[] {
  const out: DetectedCorrection[] = [];
  for (const cand of candidates.filter((a) => isCorrectionLike(a, cfg))) {
    for (const c of cases) {
      for (const flagged of c.articles) {
        const how = refersTo(cand, flagged, cfg);
        if (how) {
          out.push({ caseId: c.id, articleId: cand.id, correctsArticleId: flagged.id, matchedBy: how });
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Run detection on a batch of newly ingested articles against the cases still waiting for a correction,
 * and link what is found (idempotent: a linked case is not waiting any more).
 */
export async function detectCorrections(
  store: Store,
  articles: CandidateArticle[],
  clock: Clock,
  ctx: CaseContext = defaultCaseContext(),
  opts: WriteOptions = {},
): Promise<DetectedCorrection[]> {
  const cfg = loadCorrectionConfig();
  const candidates = articles.map((a) => CandidateArticle.parse(a)).filter((a) => isCorrectionLike(a, cfg));
  if (candidates.length === 0) return [];
  const terminal = ctx.workflow.data.states.filter((s) => s.terminal).map((s) => s.code);
  const res = await store.client.search<unknown>({
    index: casesIndex(store),
    size: 2000,
    query: { bool: { must_not: [{ terms: { state: terminal } }, { exists: { field: 'correction.articleId' } }] } },
  });
  const cases = res.hits.hits.map((h) => Case.parse(h._source));
  const found = matchCorrections(candidates, cases, cfg);
  const byId = new Map(candidates.map((a) => [a.id, a]));
  for (const d of found) {
    const a = byId.get(d.articleId)!;
    const now = clock();
    const correction: Correction = { articleId: a.id, detectedAt: isoNow(now), url: a.canonicalUrl ?? a.url, title: a.title, correctsArticleId: d.correctsArticleId, matchedBy: d.matchedBy };
    await mutateCase(store, d.caseId, (c) => (c.correction ? c : linkCorrection(c, correction, now, ctx)), opts);
  }
  return found;
}
