/**
 * Leases in the `leases` index: at most one process at a time runs a job (alerts delivery, one scheduled
 * digest). A lease is one document per job, taken with optimistic concurrency (op create when new,
 * if_seq_no/if_primary_term otherwise), so of two contenders exactly one write wins. It carries its owner and
 * an expiry, is renewed while the job runs and released at the end; a holder that crashed stops renewing, and
 * once its lease expired the next contender takes it over. A once-a-day job ends its lease as `done`, which
 * is also the record that the job needs no second run.
 *
 * Reads use GET (real-time), never search, so a lease written a millisecond ago is seen.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { errors } from '@elastic/elasticsearch';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/es.ts';

export type LeaseState = 'held' | 'released' | 'done';

export interface LeaseDoc {
  id: string;
  state: LeaseState;
  owner: string;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
  releasedAt: string | null;
  completedAt: string | null;
  details: Record<string, unknown>;
}

export interface LeaseOptions {
  /** Who holds it, in logs and in the document; default host:pid:random (two calls in one process differ). */
  owner?: string;
  ttlMs?: number;
  now?: () => Date;
  log?: Logger;
}

export type AcquireResult =
  | { ok: true; lease: Lease; tookOverFrom: string | null }
  | { ok: false; holder: LeaseDoc; done: boolean };

export class LeaseLostError extends Error {
  constructor(name: string, reason: string) {
    super(`lease ${name} lost: ${reason}`);
    this.name = 'LeaseLostError';
  }
}

export const DEFAULT_LEASE_TTL_MS = 2 * 60_000;

export const newOwnerId = () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

const isStatus = (err: unknown, status: number) => err instanceof errors.ResponseError && err.statusCode === status;

interface Versioned {
  doc: LeaseDoc;
  seqNo: number;
  primaryTerm: number;
}

async function getLease(store: Store, name: string): Promise<Versioned | null> {
  const index = store.names.alias('leases');
  try {
    const res = await store.client.get<LeaseDoc>({ index, id: name });
    return { doc: res._source!, seqNo: res._seq_no!, primaryTerm: res._primary_term! };
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
    const body = (err as errors.ResponseError).body as { error?: { type?: string } } | undefined;
    // Without the index a create would auto-create a concrete index named like the alias and break migrations.
    if (body?.error?.type === 'index_not_found_exception') throw new Error(`index ${index} is missing: run "monitor es migrate" first`);
    return null;
  }
}

export async function readLease(store: Store, name: string): Promise<LeaseDoc | null> {
  return (await getLease(store, name))?.doc ?? null;
}

/** Several leases in one request (the schedule checks every due digest each turn). */
export async function readLeases(store: Store, names: string[]): Promise<Map<string, LeaseDoc>> {
  const out = new Map<string, LeaseDoc>();
  if (names.length === 0) return out;
  const res = await store.client.mget<LeaseDoc>({ index: store.names.alias('leases'), ids: names });
  for (const d of res.docs) if ('found' in d && d.found && d._source) out.set(d._id, d._source);
  return out;
}

export const isLive = (doc: LeaseDoc, now: Date) => doc.state === 'held' && Date.parse(doc.expiresAt) > now.getTime();

export class Lease {
  private seqNo: number;
  private primaryTerm: number;
  private current: LeaseDoc;
  private queue: Promise<unknown> = Promise.resolve();
  private lostReason: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    readonly name: string,
    v: Versioned,
    private readonly ttlMs: number,
    private readonly now: () => Date,
    private readonly log?: Logger,
  ) {
    this.current = v.doc;
    this.seqNo = v.seqNo;
    this.primaryTerm = v.primaryTerm;
  }

  get owner(): string {
    return this.current.owner;
  }
  get expiresAt(): string {
    return this.current.expiresAt;
  }
  /** What the previous holder left (e.g. failed attempts), or what this holder last wrote. */
  get details(): Record<string, unknown> {
    return this.current.details;
  }
  get lost(): boolean {
    return this.lostReason !== null;
  }

  /** Throw when another process took the lease over: whatever we were about to do is now theirs. */
  assertHeld(): void {
    if (this.lostReason) throw new LeaseLostError(this.name, this.lostReason);
  }

  // Renewals from the timer and the final release must not race each other's seq_no: one write at a time.
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(next: LeaseDoc): Promise<boolean> {
    if (this.lostReason) return false;
    try {
      const res = await this.store.client.index({
        index: this.store.names.alias('leases'),
        id: this.name,
        document: next,
        if_seq_no: this.seqNo,
        if_primary_term: this.primaryTerm,
        require_alias: true,
      });
      this.seqNo = res._seq_no!;
      this.primaryTerm = res._primary_term!;
      this.current = next;
      return true;
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
      const seen = await readLease(this.store, this.name).catch(() => null);
      this.lostReason = seen ? `now held by ${seen.owner} (${seen.state})` : 'the lease document disappeared';
      this.log?.error({ lease: this.name, owner: this.current.owner, reason: this.lostReason }, 'lease lost');
      return false;
    }
  }

  /** Push the expiry ttl ahead; false when the lease was lost (taken over after it had expired). */
  renew(): Promise<boolean> {
    return this.serial(async () => {
      const at = this.now();
      return this.write({ ...this.current, renewedAt: at.toISOString(), expiresAt: new Date(at.getTime() + this.ttlMs).toISOString() });
    });
  }

  /** Renew every ttl/3 in the background until released (unref'd: never keeps the process alive). */
  keepAlive(everyMs = Math.max(1000, Math.floor(this.ttlMs / 3))): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.renew().catch((err: Error) => this.log?.warn({ lease: this.name, error: err.message }, 'lease renewal failed; retrying on the next tick'));
    }, everyMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Let the next contender in at once; `details` (e.g. the last error) stay on the document. */
  release(details: Record<string, unknown> = this.current.details): Promise<boolean> {
    this.stop();
    return this.serial(() => this.write({ ...this.current, state: 'released', releasedAt: this.now().toISOString(), details }));
  }

  /** The job is finished for good: later acquires answer `done` instead of running it again. */
  complete(details: Record<string, unknown> = this.current.details): Promise<boolean> {
    this.stop();
    const at = this.now().toISOString();
    return this.serial(() => this.write({ ...this.current, state: 'done', releasedAt: at, completedAt: at, details }));
  }
}

/**
 * A holder on this machine whose process no longer exists (killed, crashed) cannot renew: its lease need
 * not run out before a restarted monitor takes it over. Holders on other machines are only known by expiry.
 */
export function holderIsGone(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Take the lease `name` unless another owner holds it unexpired (answer: who and until when) or it is done.
 * A released or expired lease is taken with if_seq_no/if_primary_term, so two contenders cannot both win.
 */
export async function acquireLease(store: Store, name: string, opts: LeaseOptions = {}): Promise<AcquireResult> {
  const owner = opts.owner ?? newOwnerId();
  const ttlMs = opts.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const nowFn = opts.now ?? (() => new Date());
  const index = store.names.alias('leases');
  let last: LeaseDoc | null = null;
  // A lost race re-reads once more to report the winner; more rounds would only repeat that.
  for (let round = 0; round < 3; round++) {
    const now = nowFn();
    const fresh = (details: Record<string, unknown>): LeaseDoc => ({
      id: name,
      state: 'held',
      owner,
      acquiredAt: now.toISOString(),
      renewedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      releasedAt: null,
      completedAt: null,
      details,
    });
    const cur = await getLease(store, name);
    last = cur?.doc ?? last;
    try {
      if (!cur) {
        const doc = fresh({});
        const res = await store.client.index({ index, id: name, document: doc, op_type: 'create', require_alias: true });
        return { ok: true, lease: new Lease(store, name, { doc, seqNo: res._seq_no!, primaryTerm: res._primary_term! }, ttlMs, nowFn, opts.log), tookOverFrom: null };
      }
      if (cur.doc.state === 'done') return { ok: false, holder: cur.doc, done: true };
      if (isLive(cur.doc, now) && cur.doc.owner !== owner && !holderIsGone(cur.doc.owner)) return { ok: false, holder: cur.doc, done: false };
      const tookOverFrom = cur.doc.state === 'held' && cur.doc.owner !== owner ? cur.doc.owner : null;
      // Keep what the previous holder noted (e.g. failed attempts) for the job to read.
      const doc = fresh(cur.doc.details ?? {});
      const res = await store.client.index({ index, id: name, document: doc, if_seq_no: cur.seqNo, if_primary_term: cur.primaryTerm, require_alias: true });
      if (tookOverFrom) opts.log?.warn({ lease: name, owner, previousOwner: tookOverFrom, expiredAt: cur.doc.expiresAt }, 'took over an expired lease (its holder stopped renewing)');
      return { ok: true, lease: new Lease(store, name, { doc, seqNo: res._seq_no!, primaryTerm: res._primary_term! }, ttlMs, nowFn, opts.log), tookOverFrom };
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
  }
  const holder = (await readLease(store, name)) ?? last!;
  return { ok: false, holder, done: holder.state === 'done' };
}
