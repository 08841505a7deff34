/**
 * Cases in Elasticsearch. Every change is a read-modify-write with optimistic concurrency (store/occ.ts):
 * concurrent editors never lose an update (the pure change is re-applied to the newer document), while an
 * edit made against a version the user saw (`expected`) fails with ConflictError when someone wrote since.
 */
import { errors } from '@elastic/elasticsearch';
import type { Store } from '../../store/es.ts';
import { ConflictError, getVersioned, replaceIfUnchanged, type Versioned } from '../../store/occ.ts';
import { syncCaseStateToArticles } from './article-states.ts';
import { defaultCaseContext, type CaseContext } from './context.ts';
import { isoNow } from './deadlines.ts';
import { addFlag, addNote, assign, caseIdForFlag, newCase, transition, type TransitionInput } from './ops.ts';
import { Case, FlagForCase, type Clock } from './schema.ts';

export const casesIndex = (store: Store) => store.names.alias('cases');

/** The version a user saw (the UI sends it back with an edit). */
export interface ExpectedVersion {
  seqNo: number;
  primaryTerm: number;
}

export interface WriteOptions {
  refresh?: boolean | 'wait_for';
  maxAttempts?: number;
}

export async function getCase(store: Store, id: string): Promise<Versioned<Case> | null> {
  const v = await getVersioned<unknown>(store.client, casesIndex(store), id);
  return v ? { ...v, doc: Case.parse(v.doc) } : null;
}

/**
 * Apply a pure change. Without `expected`, conflicts are retried on the fresh document (the change is
 * merged); with `expected`, a document changed since that version throws ConflictError at once.
 * A change that returns the same object writes nothing.
 */
export async function mutateCase(
  store: Store,
  id: string,
  mutate: (current: Case) => Case,
  opts: WriteOptions & { expected?: ExpectedVersion } = {},
): Promise<Versioned<Case>> {
  const maxAttempts = opts.expected ? 1 : (opts.maxAttempts ?? 40);
  for (let attempt = 1; ; attempt++) {
    const current = await getCase(store, id);
    if (!current) throw new CaseNotFoundError(id);
    if (opts.expected && (current.seqNo !== opts.expected.seqNo || current.primaryTerm !== opts.expected.primaryTerm)) {
      throw new ConflictError(current.index, id);
    }
    const next = mutate(current.doc);
    if (next === current.doc) return current;
    try {
      const written = await replaceIfUnchanged<Case>(store.client, current, Case.parse(next), { refresh: opts.refresh ?? false });
      await syncIfChanged(store, current.doc, written.doc);
      return written;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= maxAttempts) throw err;
      // Jittered backoff: ten editors on one case must not collide on every round.
      await new Promise((r) => setTimeout(r, Math.random() * 15 * Math.min(attempt, 6)));
    }
  }
}

/** The articles carry their cases' states for search: rewrite them when the state or the articles changed. */
async function syncIfChanged(store: Store, before: Case, after: Case): Promise<void> {
  const removed = before.articles.filter((a) => !after.articleIds.includes(a.id));
  const added = after.articleIds.some((id) => !before.articleIds.includes(id));
  if (before.state !== after.state || added || removed.length > 0) await syncCaseStateToArticles(store, after, removed);
}

export class CaseNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`case ${id} not found`);
    this.name = 'CaseNotFoundError';
  }
}

export interface OpenResult {
  opened: string[];
  joined: string[];
  unchanged: string[];
}

/**
 * Open or join the case of each flag (agency × story). Re-running with the same flags changes nothing.
 * Called by the ingest runner after the flags are written.
 */
export async function openCasesForFlags(
  store: Store,
  flags: FlagForCase[],
  clock: Clock,
  ctx: CaseContext = defaultCaseContext(),
  opts: WriteOptions = {},
): Promise<OpenResult> {
  const byCase = new Map<string, FlagForCase[]>();
  for (const raw of flags) {
    const f = FlagForCase.parse(raw);
    const id = caseIdForFlag(f);
    byCase.set(id, [...(byCase.get(id) ?? []), f]);
  }
  const result: OpenResult = { opened: [], joined: [], unchanged: [] };
  for (const [id, list] of byCase) {
    const now = clock();
    const fold = (c: Case) => list.reduce((acc, f) => addFlag(acc, f, now), c);
    const first = fold(newCase(list[0]!, now, ctx));
    try {
      const doc = Case.parse(first);
      await store.client.create({ index: casesIndex(store), id, document: doc, refresh: opts.refresh ?? false });
      await syncCaseStateToArticles(store, doc);
      result.opened.push(id);
      continue;
    } catch (err) {
      if (!(err instanceof errors.ResponseError && err.statusCode === 409)) throw err;
    }
    const before = await getCase(store, id);
    const after = await mutateCase(store, id, fold, opts);
    (before && after.seqNo !== before.seqNo ? result.joined : result.unchanged).push(id);
  }
  return result;
}

export async function addCaseNote(store: Store, id: string, input: { by: string; text: string; expected?: ExpectedVersion }, clock: Clock, opts: WriteOptions = {}) {
  return mutateCase(store, id, (c) => addNote(c, input.by, input.text, clock()), { ...opts, ...(input.expected ? { expected: input.expected } : {}) });
}

export async function assignCase(store: Store, id: string, input: { by: string; assignee: string | null; expected?: ExpectedVersion }, clock: Clock, opts: WriteOptions = {}) {
  return mutateCase(store, id, (c) => assign(c, input.by, input.assignee, clock()), { ...opts, ...(input.expected ? { expected: input.expected } : {}) });
}

export async function transitionCase(
  store: Store,
  id: string,
  input: TransitionInput & { expected?: ExpectedVersion },
  clock: Clock,
  ctx: CaseContext = defaultCaseContext(),
  opts: WriteOptions = {},
) {
  return mutateCase(store, id, (c) => transition(c, input, clock(), ctx), { ...opts, ...(input.expected ? { expected: input.expected } : {}) });
}

export { isoNow };
