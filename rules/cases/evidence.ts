/**
 * Evidence: a snapshot of each flagged article as published when the case opens (HTML as fetched, extracted
 * text, sha256, time, and a PNG + PDF rendered by Chromium), and re-checks that record edits (with a text
 * diff) and removals (404/410) in the case history. Files live under <storageDir>/evidence/<caseId>/.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createTwoFilesPatch, diffLines } from 'diff';
import { extractArticle } from '../../crawlers/extract/article.ts';
import { decodeHtml } from '../../crawlers/extract/decode.ts';
import type { Store } from '../../store/es.ts';
import type { Renderer } from './chromium.ts';
import { defaultCaseContext, type CaseContext } from './context.ts';
import { isoNow } from './deadlines.ts';
import { appendHistory, SYSTEM_ACTOR } from './ops.ts';
import { casesIndex, CaseNotFoundError, getCase, mutateCase, type WriteOptions } from './repo.ts';
import type { ArticleRef, Case, Clock, EvidenceEntry } from './schema.ts';

/** The fetch used for evidence; crawlers/fetch/http-fetch.ts httpFetch fits (pass it with its options bound). */
export type EvidenceFetch = (url: string) => Promise<{ status: number; finalUrl: string; contentType: string | null; bytes: Uint8Array }>;

export interface EvidenceDeps {
  fetch: EvidenceFetch;
  storageDir: string;
  clock: Clock;
  /** Chromium for the PNG and PDF; without it only HTML and text are kept. */
  renderer?: Renderer | null;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const stamp = (iso: string) => iso.replace(/[:+]/g, '').replace(/\..*$/, '');

interface Fetched {
  status: number | null;
  html: string | null;
  bytes: Uint8Array | null;
  text: string | null;
  title: string | null;
  error: string | null;
}

async function fetchArticle(article: ArticleRef, deps: EvidenceDeps): Promise<Fetched> {
  try {
    const res = await deps.fetch(article.url);
    if (res.status >= 400) return { status: res.status, html: null, bytes: null, text: null, title: null, error: null };
    const { html } = decodeHtml(res.bytes, res.contentType ?? undefined);
    const x = extractArticle(html, { url: res.finalUrl, now: deps.clock() });
    const text = [x.title, x.sapo, x.body].filter((s): s is string => !!s).join('\n\n');
    return { status: res.status, html, bytes: res.bytes, text, title: x.title, error: null };
  } catch (err) {
    return { status: null, html: null, bytes: null, text: null, title: null, error: (err as Error).message };
  }
}

async function keep(deps: EvidenceDeps, caseId: string, articleId: string, at: string, name: string, data: Uint8Array | string): Promise<string> {
  const dir = join(deps.storageDir, 'evidence', caseId, articleId.slice(0, 16));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${stamp(at)}-${name}`);
  await writeFile(file, data);
  return relative(deps.storageDir, file);
}

async function snapshot(caseId: string, article: ArticleRef, deps: EvidenceDeps): Promise<EvidenceEntry> {
  const at = isoNow(deps.clock());
  const got = await fetchArticle(article, deps);
  const base = { articleId: article.id, url: article.url, kind: 'snapshot' as const, at, status: got.status, title: got.title, error: got.error };
  if (!got.html || !got.bytes || got.text === null) {
    const outcome = got.status === null ? 'unreachable' : 'removed';
    return { ...base, outcome, htmlSha256: null, textSha256: null, files: { html: null, text: null, png: null, pdf: null, diff: null } };
  }
  const files = {
    html: await keep(deps, caseId, article.id, at, 'page.html', got.bytes),
    text: await keep(deps, caseId, article.id, at, 'text.txt', got.text),
    png: null as string | null,
    pdf: null as string | null,
    diff: null,
  };
  if (deps.renderer) {
    const shot = await deps.renderer.snapshot(got.html, article.url);
    files.png = await keep(deps, caseId, article.id, at, 'page.png', shot.png);
    files.pdf = await keep(deps, caseId, article.id, at, 'page.pdf', shot.pdf);
  }
  return { ...base, outcome: 'captured', htmlSha256: sha256(got.bytes), textSha256: sha256(got.text), files };
}

/** Snapshot every article of the case that has none yet; returns the new entries. */
export async function captureEvidence(store: Store, caseId: string, deps: EvidenceDeps, opts: WriteOptions = {}): Promise<EvidenceEntry[]> {
  const current = await getCase(store, caseId);
  if (!current) throw new CaseNotFoundError(caseId);
  const have = new Set(current.doc.evidence.filter((e) => e.kind === 'snapshot' && e.outcome === 'captured').map((e) => e.articleId));
  const entries: EvidenceEntry[] = [];
  for (const a of current.doc.articles.filter((x) => !have.has(x.id) && x.url)) entries.push(await snapshot(caseId, a, deps));
  if (entries.length === 0) return [];
  const now = deps.clock();
  await mutateCase(
    store,
    caseId,
    (c) => {
      const fresh = entries.filter((e) => !c.evidence.some((x) => x.kind === 'snapshot' && x.outcome === 'captured' && x.articleId === e.articleId));
      if (fresh.length === 0) return c;
      const note = fresh.map((e) => `${e.url}: ${e.outcome}${e.textSha256 ? ` (sha256 ${e.textSha256.slice(0, 12)})` : ''}`).join('; ');
      return { ...appendHistory(c, { by: SYSTEM_ACTOR, action: 'luu-bang-chung', note }, now), evidence: [...c.evidence, ...fresh] };
    },
    opts,
  );
  return entries;
}

/** The last text kept for an article (snapshot or an edit seen by a re-check). */
function lastText(c: Case, articleId: string): EvidenceEntry | undefined {
  return [...c.evidence].reverse().find((e) => e.articleId === articleId && e.files.text && (e.outcome === 'captured' || e.outcome === 'edited'));
}

function diffSummary(before: string, after: string): string {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  const [t0, t1] = [before.split('\n')[0], after.split('\n')[0]];
  return `Bài viết bị sửa: +${added}/−${removed} dòng${t0 !== t1 ? `; tiêu đề “${t0}” → “${t1}”` : ''}`;
}

/** Re-fetch the flagged articles of a case; an edit gets a diff, a 404/410 a removal, both in the history. */
export async function recheckCase(store: Store, caseId: string, deps: EvidenceDeps, opts: WriteOptions = {}): Promise<EvidenceEntry[]> {
  const current = await getCase(store, caseId);
  if (!current) throw new CaseNotFoundError(caseId);
  const c = current.doc;
  const entries: Array<{ entry: EvidenceEntry; note: string | null; action: string | null }> = [];
  for (const a of c.articles.filter((x) => x.url)) {
    const prev = lastText(c, a.id);
    if (!prev) continue; // no baseline yet: captureEvidence first
    const at = isoNow(deps.clock());
    const got = await fetchArticle(a, deps);
    const files = { html: null as string | null, text: null as string | null, png: null, pdf: null, diff: null as string | null };
    const base = { articleId: a.id, url: a.url, kind: 'recheck' as const, at, status: got.status, title: got.title, error: got.error, htmlSha256: got.bytes ? sha256(got.bytes) : null, textSha256: got.text === null ? null : sha256(got.text) };
    if (got.status === 404 || got.status === 410) {
      entries.push({ entry: { ...base, outcome: 'removed', files }, note: `Bài viết đã bị gỡ (HTTP ${got.status}): ${a.url}`, action: 'bai-bi-go' });
    } else if (got.text === null || !got.bytes) {
      entries.push({ entry: { ...base, outcome: 'unreachable', files }, note: null, action: null });
    } else if (base.textSha256 === prev.textSha256) {
      entries.push({ entry: { ...base, outcome: 'unchanged', files }, note: null, action: null });
    } else {
      const before = await readFile(join(deps.storageDir, prev.files.text!), 'utf8');
      files.html = await keep(deps, caseId, a.id, at, 'page.html', got.bytes);
      files.text = await keep(deps, caseId, a.id, at, 'text.txt', got.text);
      files.diff = await keep(deps, caseId, a.id, at, 'text.diff', createTwoFilesPatch(`${prev.at}`, `${at}`, before, got.text, prev.url, a.url));
      entries.push({ entry: { ...base, outcome: 'edited', files }, note: diffSummary(before, got.text), action: 'bai-bi-sua' });
    }
  }
  if (entries.length === 0) return [];
  const now = deps.clock();
  await mutateCase(
    store,
    caseId,
    (doc) => {
      let next: Case = { ...doc, evidence: [...doc.evidence, ...entries.map((e) => e.entry)], updatedAt: isoNow(now) };
      for (const e of entries) if (e.action && e.note) next = appendHistory(next, { by: SYSTEM_ACTOR, action: e.action, note: e.note }, now);
      return next;
    },
    opts,
  );
  return entries.map((e) => e.entry);
}

/** Re-check every case that is not closed. */
export async function recheckOpenCases(store: Store, deps: EvidenceDeps, ctx: CaseContext = defaultCaseContext()): Promise<Map<string, EvidenceEntry[]>> {
  const terminal = ctx.workflow.data.states.filter((s) => s.terminal).map((s) => s.code);
  const res = await store.client.search<unknown>({ index: casesIndex(store), size: 1000, _source: ['id'], query: { bool: { must_not: [{ terms: { state: terminal } }] } } });
  const out = new Map<string, EvidenceEntry[]>();
  for (const h of res.hits.hits) out.set(h._id!, await recheckCase(store, h._id!, deps));
  return out;
}
