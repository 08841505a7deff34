import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';

export interface Versioned<T> {
  index: string;
  id: string;
  doc: T;
  seqNo: number;
  primaryTerm: number;
}

/** Someone else changed the document since it was read. */
export class ConflictError extends Error {
  constructor(
    readonly index: string,
    readonly id: string,
  ) {
    super(`document ${id} in ${index} was changed by someone else; reload and try again`);
    this.name = 'ConflictError';
  }
}

const isConflict = (err: unknown) => err instanceof errors.ResponseError && err.statusCode === 409;

/** Read one document (real-time GET) with its sequence number and primary term; `index` may be a single-index alias. */
export async function getVersioned<T>(client: Client, index: string, id: string): Promise<Versioned<T> | null> {
  try {
    const res = await client.get<T>({ index, id });
    if (!res.found || res._source === undefined) return null;
    return { index: res._index, id, doc: res._source, seqNo: res._seq_no!, primaryTerm: res._primary_term! };
  } catch (err) {
    if (err instanceof errors.ResponseError && err.statusCode === 404) return null;
    throw err;
  }
}

/** Replace a document only if nobody wrote it since `read`; throws ConflictError otherwise. */
export async function replaceIfUnchanged<T>(
  client: Client,
  read: Versioned<T>,
  doc: T,
  opts: { refresh?: boolean | 'wait_for' } = {},
): Promise<Versioned<T>> {
  try {
    const res = await client.index({
      index: read.index,
      id: read.id,
      document: doc,
      if_seq_no: read.seqNo,
      if_primary_term: read.primaryTerm,
      refresh: opts.refresh ?? false,
    });
    return { ...read, doc, seqNo: res._seq_no!, primaryTerm: res._primary_term! };
  } catch (err) {
    if (isConflict(err)) throw new ConflictError(read.index, read.id);
    throw err;
  }
}

/**
 * Read-modify-write with optimistic concurrency: on a conflict the document is read again and `mutate`
 * re-applied, so two concurrent edits both land. `mutate` must be a pure function of the current document.
 */
export async function updateOptimistic<T>(
  client: Client,
  index: string,
  id: string,
  mutate: (current: T) => T,
  opts: { maxAttempts?: number; refresh?: boolean | 'wait_for' } = {},
): Promise<Versioned<T>> {
  const maxAttempts = opts.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    const current = await getVersioned<T>(client, index, id);
    if (!current) throw new Error(`document ${id} not found in ${index}`);
    try {
      return await replaceIfUnchanged(client, current, mutate(current.doc), opts);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= maxAttempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
