/**
 * The outage spool: processed records that could not be written because Elasticsearch was unreachable are
 * appended to JSONL segments on disk (fsync'd before the caller goes on), one write per line with its
 * target index, id and op, and replayed in order once Elasticsearch answers again.
 *
 *   <storageDir>/spool/seg-<epoch ms>-<host>-<pid>-<seq>.jsonl   pending segments, replayed oldest first
 *   <storageDir>/spool/dead/                              segments a replay could not process (kept, never dropped)
 *   <storageDir>/spool/status.json                         last known reachability (for other processes)
 *
 * A segment is deleted only after every record of it was acknowledged by Elasticsearch (written, found
 * unchanged, or permanently rejected into the reject file) and its follow-up work (cases) is done. Ids are
 * deterministic, so replaying a segment again after a crash in the middle of a replay duplicates nothing.
 * Several processes may share a storage dir (sharded workers, a backfill next to the monitor): a process
 * replays its own segments and those of processes that are gone (same host: pid not alive; another host:
 * no append for an hour), never a segment another live process may still append to.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { errors } from '@elastic/elasticsearch';
import type { Client } from '@elastic/elasticsearch';
import { fsyncDir, writeFileAtomic } from '../lib/atomic-file.ts';
import type { Logger } from '../lib/log.ts';
import type { WriteMode, WriteOp } from './bulk-writer.ts';

/** One line of a segment. `tag` says what the record is (article, flag, story) so a replay can redo follow-up work. */
export interface SpoolRecord {
  v: 1;
  /** When the record was spooled (ISO). */
  at: string;
  op: WriteMode;
  index: string;
  id: string;
  doc: Record<string, unknown>;
  tag?: string;
}

export interface SpoolStatus {
  /** ok: Elasticsearch answers and nothing waits; degraded: unreachable, or records wait for replay, or dead segments. */
  health: 'ok' | 'degraded';
  /** Last known state: true/false from the last write or probe, null when nothing was tried yet. */
  esReachable: boolean | null;
  /** Records waiting on disk for a replay. */
  spooled: number;
  segments: number;
  bytes: number;
  /** When the oldest waiting record was spooled, and how long ago (ms); null when nothing waits. */
  oldestAt: string | null;
  oldestAgeMs: number | null;
  /** Segments a replay gave up on (moved to spool/dead/ for an operator). */
  deadSegments: number;
  lastError: string | null;
  /** Last reachability change or probe (ISO). */
  checkedAt: string | null;
  lastReplayAt: string | null;
  /** Records replayed by this process since it started (0 when read from disk). */
  replayed: number;
  dir: string;
}

export interface ReplayResult {
  /** Segments fully replayed and deleted. */
  segments: number;
  records: number;
  /** Segments left waiting (Elasticsearch went away again, or a failure to retry). */
  remaining: number;
  /** Segments moved to dead/ after repeated non-transient failures. */
  dead: number;
}

export type SegmentHandler = (records: SpoolRecord[], segment: string) => Promise<void>;

const SEGMENT_RE = /^seg-(\d{13})-(.+)-(\d+)-(\d+)\.jsonl$/;
const HOST = hostname().toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'host';
/** A segment of another host counts as abandoned after this long without an append. */
const FOREIGN_IDLE_MS = 3_600_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** May another live process still append to this segment? Then it is its owner's to replay. */
function ownedElsewhere(dir: string, name: string): boolean {
  const m = SEGMENT_RE.exec(name);
  if (!m) return false;
  const [, , host, pid] = m;
  if (host === HOST) return Number(pid) !== process.pid && pidAlive(Number(pid));
  const mtime = statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return Date.now() - mtime < FOREIGN_IDLE_MS;
}
const MAX_SEGMENT_BYTES = 8 * 1024 * 1024;
/** A segment whose replay fails this many times for a reason other than an outage goes to dead/. */
const MAX_SEGMENT_FAILURES = 3;
/** Statuses that mean "overloaded or not reachable right now": retried, then (with a spool) spooled. */
export const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Elasticsearch did not answer (connection refused, timeout, no living node, or a gateway/overload status). */
export function isEsUnreachable(err: unknown): boolean {
  if (err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError) return true;
  if (err instanceof errors.ResponseError) return RETRYABLE_STATUS.has(err.statusCode ?? 0);
  return false;
}

function parseSegment(text: string): { records: SpoolRecord[]; corrupt: Array<{ line: number; reason: string; last: boolean }> } {
  const records: SpoolRecord[] = [];
  const corrupt: Array<{ line: number; reason: string; last: boolean }> = [];
  const lines = text.split('\n');
  // A segment always ends with "\n": a last piece without it is a write cut by a crash.
  const tail = lines.pop() ?? '';
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const r = JSON.parse(line) as SpoolRecord;
      if (typeof r.index !== 'string' || typeof r.id !== 'string' || typeof r.op !== 'string' || typeof r.doc !== 'object' || r.doc === null) {
        throw new Error('not a spool record');
      }
      records.push(r);
    } catch (err) {
      corrupt.push({ line: i + 1, reason: (err as Error).message, last: false });
    }
  });
  if (tail.trim() !== '') corrupt.push({ line: lines.length + 1, reason: 'incomplete last line (write cut by a crash)', last: true });
  return { records, corrupt };
}

/** Process-wide: two spools of one process opening a segment in the same millisecond get different names. */
let segmentSeq = 0;

interface SegmentSummary {
  records: number;
  firstAt: string | null;
  bytes: number;
}

/** Scans by path, kept while a segment's size and mtime stay the same: a status probe re-reads only what changed. */
const scanned = new Map<string, SegmentSummary & { mtimeMs: number }>();

/** Records waiting in one segment and when the first was spooled (a segment only grows, then is deleted). */
function scanSegment(file: string): SegmentSummary {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) {
    scanned.delete(file);
    return { records: 0, firstAt: null, bytes: 0 };
  }
  const hit = scanned.get(file);
  if (hit && hit.bytes === st.size && hit.mtimeMs === st.mtimeMs) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { records: 0, firstAt: null, bytes: 0 };
  }
  const { records } = parseSegment(text);
  const summary = { records: records.length, firstAt: records[0]?.at ?? null, bytes: st.size, mtimeMs: st.mtimeMs };
  scanned.set(file, summary);
  return summary;
}

interface PersistedState {
  esReachable: boolean | null;
  lastError: string | null;
  checkedAt: string | null;
  lastReplayAt: string | null;
  pid: number;
}

interface WaitingSummary {
  records: number;
  bytes: number;
  firstAt: string | null;
}

/** The status of a spool directory from its waiting segments and the last recorded reachability. */
function statusOf(dir: string, waiting: Iterable<WaitingSummary>, state: Partial<PersistedState>, replayed: number, now: number): SpoolStatus {
  let oldest: string | null = null;
  let bytes = 0;
  let segments = 0;
  let spooled = 0;
  for (const w of waiting) {
    if (w.records === 0) continue;
    segments++;
    spooled += w.records;
    bytes += w.bytes;
    if (w.firstAt && (!oldest || w.firstAt < oldest)) oldest = w.firstAt;
  }
  const deadDir = join(dir, 'dead');
  const deadSegments = existsSync(deadDir) ? readdirSync(deadDir).filter((n) => n.endsWith('.jsonl')).length : 0;
  const esReachable = state.esReachable ?? null;
  return {
    health: esReachable === false || spooled > 0 || deadSegments > 0 ? 'degraded' : 'ok',
    esReachable,
    spooled,
    segments,
    bytes,
    oldestAt: oldest,
    oldestAgeMs: oldest ? Math.max(0, now - Date.parse(oldest)) : null,
    deadSegments,
    lastError: state.lastError ?? null,
    checkedAt: state.checkedAt ?? null,
    lastReplayAt: state.lastReplayAt ?? null,
    replayed,
    dir,
  };
}

/** Read a spool's state from disk (another process's spool, e.g. for the web app's /healthz). */
function statusFromDisk(dir: string, now: number): SpoolStatus {
  const waiting: WaitingSummary[] = [];
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => SEGMENT_RE.test(n)).sort()) {
      waiting.push(scanSegment(join(dir, name)));
    }
  }
  let state: Partial<PersistedState> = {};
  try {
    state = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as PersistedState;
  } catch {
    // No status yet: nothing was ever spooled or probed.
  }
  return statusOf(dir, waiting, state, 0, now);
}

export class Spool {
  private current: { name: string; fd: number; bytes: number } | null = null;
  private state: PersistedState;
  /** Waiting segments (name → record count, first record time), kept in memory so status() reads no files. */
  private readonly waiting = new Map<string, { records: number; firstAt: string | null; bytes: number }>();
  private readonly failures = new Map<string, number>();
  private replaying: Promise<ReplayResult> | null = null;
  private replayedTotal = 0;

  private constructor(
    readonly dir: string,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {
    mkdirSync(dir, { recursive: true });
    this.rescan();
    let saved: Partial<PersistedState> = {};
    try {
      saved = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as PersistedState;
    } catch {
      // First use.
    }
    this.state = { esReachable: saved.esReachable ?? null, lastError: saved.lastError ?? null, checkedAt: saved.checkedAt ?? null, lastReplayAt: saved.lastReplayAt ?? null, pid: process.pid };
    if (this.pending > 0) log.warn({ dir, records: this.pending, segments: this.waiting.size }, 'spooled records from an earlier run wait for replay');
  }

  /** Open (create) the spool under `<storageDir>/spool` and make it the one `spoolStatus()` reports. */
  static open(storageDir: string, log: Logger, clock: () => Date = () => new Date()): Spool {
    const spool = new Spool(resolve(storageDir, 'spool'), log, clock);
    active = spool;
    return spool;
  }

  /** Records on disk waiting for a replay by this process (its own, and those of processes that are gone). */
  get pending(): number {
    let n = 0;
    for (const [name, w] of this.waiting) if (w.records > 0 && (name === this.current?.name || !ownedElsewhere(this.dir, name))) n += w.records;
    return n;
  }

  /** Follow the directory: segments other processes added or replayed since. */
  private rescan(): void {
    const names = new Set(readdirSync(this.dir).filter((n) => SEGMENT_RE.test(n)));
    for (const name of [...this.waiting.keys()]) if (!names.has(name) && name !== this.current?.name) this.waiting.delete(name);
    for (const name of names) {
      if (this.waiting.has(name)) continue;
      const { records, firstAt, bytes } = scanSegment(join(this.dir, name));
      this.waiting.set(name, { records, firstAt, bytes });
    }
  }

  /** Elasticsearch is known to be unreachable (last write or probe failed): writes go straight to the spool. */
  get isDown(): boolean {
    return this.state.esReachable === false;
  }

  markDown(err: unknown): void {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    const was = this.state.esReachable;
    this.state = { ...this.state, esReachable: false, lastError: message, checkedAt: this.clock().toISOString() };
    this.persist();
    if (was !== false) this.log.error({ error: message, dir: this.dir }, 'Elasticsearch unreachable: processed records are spooled to disk until it answers again');
  }

  markUp(): void {
    const was = this.state.esReachable;
    this.state = { ...this.state, esReachable: true, checkedAt: this.clock().toISOString() };
    this.persist();
    if (was === false) this.log.warn({ spooled: this.pending }, 'Elasticsearch answers again');
  }

  /** Is Elasticsearch answering? Updates the reachability state either way. */
  async probe(client: Client): Promise<boolean> {
    try {
      await client.cluster.health({ timeout: '2s' }, { requestTimeout: 5_000, maxRetries: 0 });
      this.markUp();
      return true;
    } catch (err) {
      if (err instanceof errors.ResponseError && !isEsUnreachable(err)) {
        // It answered (e.g. 408 on health timeout, or 401): reachable, the write path will tell more.
        this.markUp();
        return true;
      }
      this.markDown(err);
      return false;
    }
  }

  /**
   * Append writes durably: one line each, written and fsync'd before this returns (synchronously, so appends
   * never interleave). A crash in the middle leaves at most an incomplete last line, skipped on replay.
   */
  append(ops: Array<WriteOp & { tag?: string }>): void {
    if (ops.length === 0) return;
    const at = this.clock().toISOString();
    const text = ops.map((op) => JSON.stringify({ v: 1, at, op: op.mode, index: op.index, id: op.id, doc: op.doc, ...(op.tag ? { tag: op.tag } : {}) } satisfies SpoolRecord)).join('\n') + '\n';
    const bytes = Buffer.byteLength(text);
    if (this.current && this.current.bytes + bytes > MAX_SEGMENT_BYTES && this.current.bytes > 0) this.seal();
    if (!this.current) {
      const name = `seg-${String(Date.now()).padStart(13, '0')}-${HOST}-${process.pid}-${String(segmentSeq++).padStart(6, '0')}.jsonl`;
      this.current = { name, fd: openSync(join(this.dir, name), 'a'), bytes: 0 };
      fsyncDir(this.dir);
      this.waiting.set(name, { records: 0, firstAt: at, bytes: 0 });
    }
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += writeSync(this.current.fd, buf, off);
    fsyncSync(this.current.fd);
    this.current.bytes += bytes;
    const w = this.waiting.get(this.current.name)!;
    w.records += ops.length;
    w.bytes += bytes;
    this.log.info({ records: ops.length, segment: this.current.name }, 'records spooled to disk');
  }

  /** Close the segment being appended to: the next append starts a new one (a replay never reads a segment still growing). */
  private seal(): void {
    if (!this.current) return;
    closeSync(this.current.fd);
    this.current = null;
  }

  /**
   * Hand every waiting segment, oldest first, to `handler`; delete a segment once its handler returned.
   * Stops at the first segment whose handler throws because Elasticsearch is unreachable (it and the later
   * ones stay for the next replay). Another failure is retried on the next replays and, after a few, the
   * segment is moved to dead/ (kept for an operator, never deleted) so one bad record cannot block the rest.
   * Concurrent calls share one replay.
   */
  replay(handler: SegmentHandler): Promise<ReplayResult> {
    this.replaying ??= this.doReplay(handler).finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async doReplay(handler: SegmentHandler): Promise<ReplayResult> {
    this.seal();
    this.rescan();
    const names = [...this.waiting.keys()].sort().filter((name) => {
      if (!ownedElsewhere(this.dir, name)) return true;
      this.log.debug({ segment: name }, 'spool: segment of another live process, left to it');
      return false;
    });
    const result: ReplayResult = { segments: 0, records: 0, remaining: names.length, dead: 0 };
    for (const name of names) {
      const file = join(this.dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        this.waiting.delete(name);
        result.remaining--;
        continue;
      }
      const { records, corrupt } = parseSegment(text);
      for (const c of corrupt) {
        const what = { segment: name, line: c.line, reason: c.reason };
        if (c.last) this.log.warn(what, 'spool: skipped an incomplete last line (its article was not yet marked done, so it is crawled again)');
        else this.log.error(what, 'spool: skipped a corrupt line');
      }
      try {
        if (records.length > 0) await handler(records, name);
      } catch (err) {
        if (isEsUnreachable(err)) {
          this.markDown(err);
          this.log.warn({ segment: name, error: (err as Error).message }, 'spool replay interrupted: Elasticsearch unreachable again');
          break;
        }
        const failures = (this.failures.get(name) ?? 0) + 1;
        this.failures.set(name, failures);
        if (failures < MAX_SEGMENT_FAILURES) {
          this.log.error({ segment: name, attempt: failures, error: (err as Error).message }, 'spool replay of a segment failed; retried at the next replay');
          break;
        }
        mkdirSync(join(this.dir, 'dead'), { recursive: true });
        renameSync(file, join(this.dir, 'dead', name));
        fsyncDir(this.dir);
        this.waiting.delete(name);
        this.failures.delete(name);
        result.remaining--;
        result.dead++;
        this.log.error({ segment: name, file: join(this.dir, 'dead', name), error: (err as Error).message }, 'spool segment failed repeatedly; moved to dead/ for an operator');
        continue;
      }
      rmSync(file, { force: true });
      fsyncDir(this.dir);
      this.waiting.delete(name);
      this.failures.delete(name);
      result.segments++;
      result.records += records.length;
      result.remaining--;
      this.replayedTotal += records.length;
    }
    if (result.segments > 0 || result.dead > 0) {
      this.state = { ...this.state, lastReplayAt: this.clock().toISOString() };
      this.persist();
      this.log.info({ ...result, spooled: this.pending }, 'spool replayed');
    }
    return result;
  }

  /** Every record waiting in the directory (also other processes' segments). */
  status(): SpoolStatus {
    this.rescan();
    return statusOf(this.dir, this.waiting.values(), this.state, this.replayedTotal, this.clock().getTime());
  }

  /** Close the open segment (the records stay on disk for the next run). */
  close(): void {
    this.seal();
    if (active === this) active = null;
  }

  private persist(): void {
    try {
      writeFileAtomic(join(this.dir, 'status.json'), JSON.stringify(this.state));
    } catch (err) {
      this.log.warn({ error: (err as Error).message }, 'spool: cannot write status.json');
    }
  }
}

let active: Spool | null = null;

/**
 * The outage spool's status for /healthz and metrics. In the monitor's own process (after openIngest) it is
 * the live state of its spool; elsewhere (the web app, another process) pass the storage dir and it is read
 * from `<storageDir>/spool` (record counts from the segments, reachability as last recorded by the monitor).
 */
export function spoolStatus(storageDir?: string, now: Date = new Date()): SpoolStatus {
  if (active && (storageDir === undefined || resolve(storageDir, 'spool') === active.dir)) return active.status();
  return statusFromDisk(resolve(storageDir ?? 'storage', 'spool'), now.getTime());
}
