import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import type { Logger } from '../lib/log.ts';
import { isEsUnreachable, RETRYABLE_STATUS, type Spool } from './spool.ts';

/**
 * upsert: partial update with doc_as_upsert (fields not sent, e.g. workflow state, are kept);
 * create: first write wins (a 409 means "already there", not a failure); index: replace the document.
 */
export type WriteMode = 'upsert' | 'create' | 'index';

export interface WriteOp {
  index: string;
  id: string;
  doc: Record<string, unknown>;
  mode: WriteMode;
  /** What the record is (article, flag, story…): kept with a spooled write so its replay can redo follow-up work. */
  tag?: string;
}

export interface RejectedOp {
  op: WriteOp;
  status: number;
  type: string;
  reason: string;
}

export interface BulkResult {
  created: number;
  updated: number;
  /** upsert of identical content, or create of an id that already existed. */
  unchanged: number;
  rejected: RejectedOp[];
  /** Written to the outage spool instead (Elasticsearch unreachable); replayed when it answers again. */
  spooled: number;
}

export interface RejectSink {
  add(rejected: RejectedOp[]): Promise<void>;
}

export interface BulkWriterOptions {
  log: Logger;
  maxRetries?: number;
  baseBackoffMs?: number;
  /** Split large batches so one request stays a few MB. */
  maxBytesPerRequest?: number;
  refresh?: boolean | 'wait_for';
  /** Where permanently rejected documents go so they can be retried after a fix (never silently dropped). */
  rejectSink?: RejectSink;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Outage spool: when Elasticsearch stays unreachable after the retries, the writes are appended to it
   * (durably) instead of failing; while it is known to be down, or records still wait in the spool (their
   * order must be kept), writes go straight to it. Without one, an unreachable Elasticsearch throws.
   */
  spool?: Spool;
}

/** Worth retrying: Elasticsearch unreachable or overloaded, or any other server-side error. */
function isRetryableRequestError(err: unknown): boolean {
  return isEsUnreachable(err) || (err instanceof errors.ResponseError && (err.statusCode ?? 0) >= 500);
}

function toOperations(ops: WriteOp[]): unknown[] {
  return ops.flatMap((op) => {
    const meta = { _index: op.index, _id: op.id };
    switch (op.mode) {
      case 'upsert':
        return [{ update: meta }, { doc: op.doc, doc_as_upsert: true }];
      case 'create':
        return [{ create: meta }, op.doc];
      case 'index':
        return [{ index: meta }, op.doc];
    }
  });
}

/** Bulk writes with retries for whole-request failures and for per-item back-pressure (429). */
export class BulkWriter {
  private readonly maxRetries: number;
  private readonly baseBackoffMs: number;
  private readonly maxBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly opts: BulkWriterOptions,
  ) {
    this.maxRetries = opts.maxRetries ?? 6;
    this.baseBackoffMs = opts.baseBackoffMs ?? 250;
    this.maxBytes = opts.maxBytesPerRequest ?? 8 * 1024 * 1024;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get spool(): Spool | undefined {
    return this.opts.spool;
  }

  /** The same writer without the spool: what a spool replay writes with (its failures must surface). */
  direct(): BulkWriter {
    return new BulkWriter(this.client, { ...this.opts, spool: undefined });
  }

  async write(ops: WriteOp[]): Promise<BulkResult> {
    const total: BulkResult = { created: 0, updated: 0, unchanged: 0, rejected: [], spooled: 0 };
    const spool = this.opts.spool;
    if (spool && ops.length > 0 && (spool.isDown || spool.pending > 0)) {
      spool.append(ops);
      total.spooled = ops.length;
      return total;
    }
    const chunks = [...this.chunks(ops)];
    for (const [i, chunk] of chunks.entries()) {
      let r: BulkResult;
      try {
        r = await this.writeChunk(chunk);
      } catch (err) {
        if (!spool || !isEsUnreachable(err)) throw err;
        // This chunk (perhaps partly written: replays are idempotent) and the rest wait on disk.
        spool.markDown(err);
        const rest = chunks.slice(i).flat();
        spool.append(rest);
        total.spooled += rest.length;
        break;
      }
      total.created += r.created;
      total.updated += r.updated;
      total.unchanged += r.unchanged;
      total.rejected.push(...r.rejected);
    }
    if (total.rejected.length > 0) {
      for (const r of total.rejected.slice(0, 5)) {
        this.opts.log.warn({ index: r.op.index, id: r.op.id, status: r.status, type: r.type, reason: r.reason }, 'document rejected');
      }
      await this.opts.rejectSink?.add(total.rejected);
    }
    return total;
  }

  private *chunks(ops: WriteOp[]): Generator<WriteOp[]> {
    let chunk: WriteOp[] = [];
    let bytes = 0;
    for (const op of ops) {
      const size = JSON.stringify(op.doc).length + 100;
      if (chunk.length > 0 && bytes + size > this.maxBytes) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(op);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  private backoff(attempt: number): number {
    return Math.min(30_000, this.baseBackoffMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
  }

  private async writeChunk(initial: WriteOp[]): Promise<BulkResult> {
    const result: BulkResult = { created: 0, updated: 0, unchanged: 0, rejected: [], spooled: 0 };
    let pending = initial;
    for (let attempt = 0; pending.length > 0; attempt++) {
      let items;
      try {
        const res = await this.client.bulk(
          { operations: toOperations(pending), refresh: this.opts.refresh ?? false },
          { maxRetries: 0 },
        );
        items = res.items;
      } catch (err) {
        if (!isRetryableRequestError(err) || attempt >= this.maxRetries) throw err;
        const wait = this.backoff(attempt);
        this.opts.log.warn({ attempt: attempt + 1, waitMs: Math.round(wait), error: (err as Error).message }, 'bulk request failed; retrying');
        await this.sleep(wait);
        continue;
      }
      const retry: WriteOp[] = [];
      items.forEach((item, i) => {
        const op = pending[i]!;
        const r = item.update ?? item.create ?? item.index;
        if (!r) return;
        if (!r.error) {
          if (r.result === 'created') result.created++;
          else if (r.result === 'noop') result.unchanged++;
          else result.updated++;
          return;
        }
        if (op.mode === 'create' && r.status === 409) {
          result.unchanged++;
        } else if (RETRYABLE_STATUS.has(r.status) && attempt < this.maxRetries) {
          retry.push(op);
        } else {
          result.rejected.push({ op, status: r.status, type: r.error.type, reason: r.error.reason ?? '' });
        }
      });
      pending = retry;
      if (pending.length > 0) await this.sleep(this.backoff(attempt));
    }
    return result;
  }
}
