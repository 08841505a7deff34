/**
 * Scheduled digests, for the long-running `monitor run` loop: every configured scope (notify.digests) gets its
 * điểm báo once a day at its local time (default notify.digestTime, 07:00 Asia/Ho_Chi_Minh), covering the 24 h
 * before. The loop may call produceScheduledDigests on every turn:
 *  - what is due is the latest occurrence at or before now, so a digest missed while the process was down is
 *    produced as soon as it is back (only the latest one: older reviews stay in nobody's inbox);
 *  - each digest runs under its own lease `digest:<id>`, so two processes cannot both send it, and the lease
 *    ends `done` once archived and e-mailed: later calls that day find it done and do nothing;
 *  - a failure (SMTP down) releases the lease with a retry time, backing off 5, 10, 20 … 60 min.
 */
import { DateTime } from 'luxon';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/log.ts';
import type { Store } from '../../store/es.ts';
import { smtpMailer, type Mailer } from '../delivery/channels.ts';
import { emailRecipients } from '../directory/schema.ts';
import { loadDirectory, type Directory } from '../directory/store.ts';
import { ZONE } from '../labels.ts';
import { acquireLease, holderIsGone, isLive, readLeases, type LeaseDoc } from '../lease.ts';
import type { DigestFormat } from './archive.ts';
import { generateDigest } from './generate.ts';
import { digestMail } from './mail.ts';
import { digestId, digestPeriod, type DigestScope } from './model.ts';
import type { DigestBrowser } from './pdf.ts';

type Attachment = 'pdf' | 'docx';

export interface DueDigest {
  /** digestId(scope, date): the archive id, e.g. tinh-91-2026-11-21. */
  id: string;
  scope: DigestScope;
  /** Local date the period ends on (YYYY-MM-DD). */
  date: string;
  /** Local HH:mm the period ends at. */
  time: string;
  /** When it became due (ISO, +07:00). */
  dueAt: string;
  from: string;
  to: string;
  /** Configured addresses; empty: the directory's. */
  recipients: string[];
  attach: Attachment[];
}

export const digestLeaseName = (id: string) => `digest:${id}`;

/**
 * The digests due at `now` (pure): per configured scope, the latest daily occurrence of its time at or before
 * now, in Asia/Ho_Chi_Minh. Whether it was already produced is for produceScheduledDigests to find out.
 */
export function dueDigests(now: Date, config: Config): DueDigest[] {
  const n = config.notify;
  if (!n || n.digests.length === 0) return [];
  const local = DateTime.fromJSDate(now).setZone(ZONE);
  const out = new Map<string, DueDigest>();
  for (const entry of n.digests) {
    const time = entry.time ?? n.digestTime;
    const [h, m] = time.split(':').map(Number);
    let at = local.set({ hour: h!, minute: m!, second: 0, millisecond: 0 });
    if (at > local) at = at.minus({ days: 1 });
    const date = at.toISODate()!;
    const scope: DigestScope = { province: entry.province, agencyId: entry.agencyId ?? null };
    const id = digestId(scope, date);
    // The same scope listed twice is one digest (the first entry's settings win).
    if (out.has(id)) continue;
    out.set(id, { id, scope, date, time, dueAt: at.toISO({ suppressMilliseconds: true })!, ...digestPeriod(date, time), recipients: entry.recipients, attach: entry.attach });
  }
  return [...out.values()];
}

export interface ScheduleDeps {
  store: Store;
  config: Config;
  /** Default: one from notify.smtpUrl (closed after the call); null: archive only, nothing e-mailed. */
  mailer?: Mailer | null;
  /** The loop's own browser to reuse; default: one opened for the digests due and closed after. */
  browser?: DigestBrowser;
  /** Lease owner id; default host:pid:random. */
  owner?: string;
  /** How long a producer may go without renewing before another may take over (default 10 min). */
  leaseTtlMs?: number;
  /** Wall clock for lease expiry (default: real time), apart from `now`, which says what is due. */
  leaseNow?: () => Date;
}

export type ScheduledStatus = 'produced' | 'done-before' | 'busy' | 'waiting-retry' | 'failed';

export interface ScheduledDigestOutcome {
  id: string;
  date: string;
  scope: DigestScope;
  status: ScheduledStatus;
  recipients: string[];
  emailed: boolean;
  files: Partial<Record<DigestFormat, string>>;
  error?: string;
  /** busy: the holder's lease expiry; waiting-retry/failed: when the next attempt may run. */
  until?: string;
}

/** Who receives a scope's digest when the configuration names nobody: the agency, or the provincial UBND. */
export function defaultRecipients(scope: DigestScope, directory: Directory): string[] {
  const entry = directory.get(scope.agencyId ?? `2025-${scope.province}-ubnd-tinh`);
  return entry && entry.channels.email ? emailRecipients(entry) : [];
}

const retryDelayMs = (attempts: number) => Math.min(60, 5 * 2 ** Math.max(0, attempts - 1)) * 60_000;

interface FailureDetails {
  attempts?: number;
  retryAt?: string;
  lastError?: string;
}

function skipReason(lease: LeaseDoc | undefined, now: Date, wallNow: Date): { status: ScheduledStatus; until?: string } | null {
  if (!lease) return null;
  if (lease.state === 'done') return { status: 'done-before' };
  if (isLive(lease, wallNow) && !holderIsGone(lease.owner)) return { status: 'busy', until: lease.expiresAt };
  const retryAt = (lease.details as FailureDetails).retryAt;
  if (lease.state === 'released' && retryAt && Date.parse(retryAt) > now.getTime()) return { status: 'waiting-retry', until: retryAt };
  return null;
}

/**
 * Produce, archive and e-mail every digest due at `now` that is not done yet. Cheap when nothing is due
 * (one multi-get), so the run loop can call it on every turn. Never throws for one digest's failure: the
 * outcome says `failed` and a later call retries.
 */
export async function produceScheduledDigests(opts: { deps: ScheduleDeps; now: Date; log: Logger }): Promise<ScheduledDigestOutcome[]> {
  const { deps, now, log } = opts;
  const due = dueDigests(now, deps.config);
  if (due.length === 0) return [];
  const leases = await readLeases(deps.store, due.map((d) => digestLeaseName(d.id)));
  const outcomes: ScheduledDigestOutcome[] = [];
  const todo: DueDigest[] = [];
  for (const d of due) {
    const skip = skipReason(leases.get(digestLeaseName(d.id)), now, (deps.leaseNow ?? (() => new Date()))());
    if (skip) outcomes.push({ id: d.id, date: d.date, scope: d.scope, recipients: [], emailed: false, files: {}, ...skip });
    else todo.push(d);
  }
  // Outcomes in configuration order, whichever were skipped.
  const ordered = () => due.map((d) => outcomes.find((o) => o.id === d.id)!);
  if (todo.length === 0) return ordered();

  const settings = deps.config.notify!;
  const directory = await loadDirectory(deps.store);
  const mailer = deps.mailer !== undefined ? deps.mailer : settings.smtpUrl ? smtpMailer(settings.smtpUrl) : null;
  let browser = deps.browser ?? null;
  let openedBrowser = false;
  if (!browser) {
    try {
      const { openDigestBrowser } = await import('./pdf.ts');
      browser = await openDigestBrowser();
      openedBrowser = true;
    } catch (err) {
      log.warn({ error: (err as Error).message }, 'no Chromium for the scheduled digests: they go out without PDF and charts');
    }
  }
  // The call's `now` is fixed, but retry times are counted from when the failure happened: a clock running on from `now`.
  const t0 = performance.now();
  const clock = () => new Date(now.getTime() + (performance.now() - t0));
  try {
    for (const d of todo) outcomes.push(await produceOne(d, { deps, log, now, clock, directory, mailer, browser }));
  } finally {
    if (openedBrowser) await browser!.close().catch(() => undefined);
    if (deps.mailer === undefined) mailer?.close();
  }
  return ordered();
}

interface OneContext {
  deps: ScheduleDeps;
  log: Logger;
  now: Date;
  clock: () => Date;
  directory: Directory;
  mailer: Mailer | null;
  browser: DigestBrowser | null;
}

async function produceOne(d: DueDigest, ctx: OneContext): Promise<ScheduledDigestOutcome> {
  const { deps, log } = ctx;
  const base = { id: d.id, date: d.date, scope: d.scope };
  const got = await acquireLease(deps.store, digestLeaseName(d.id), { ttlMs: deps.leaseTtlMs ?? 10 * 60_000, now: deps.leaseNow ?? (() => new Date()), log, ...(deps.owner ? { owner: deps.owner } : {}) });
  if (!got.ok) {
    if (got.done) return { ...base, status: 'done-before', recipients: [], emailed: false, files: {} };
    log.info({ digest: d.id, holder: got.holder.owner, until: got.holder.expiresAt }, `another process is producing digest ${d.id} (lease until ${got.holder.expiresAt})`);
    return { ...base, status: 'busy', recipients: [], emailed: false, files: {}, until: got.holder.expiresAt };
  }
  const { lease } = got;
  lease.keepAlive();
  const recipients = d.recipients.length > 0 ? d.recipients : defaultRecipients(d.scope, ctx.directory);
  const attach = ctx.browser ? d.attach : d.attach.filter((a) => a !== 'pdf');
  try {
    const g = await generateDigest(
      deps.store,
      { scope: d.scope, date: d.date, time: d.time, directory: ctx.directory, now: ctx.now },
      { formats: ['html', ...attach], archiveDir: deps.config.storageDir, chartImages: true, log, ...(ctx.browser ? { browser: ctx.browser } : {}) },
    );
    const files = g.archived?.files ?? {};
    let emailed = false;
    let messageId: string | null = null;
    if (!ctx.mailer) log.warn({ digest: d.id }, 'notify.smtpUrl is not set: the scheduled digest is archived but not e-mailed');
    else if (recipients.length === 0) log.warn({ digest: d.id, scope: d.scope }, 'nobody to send the scheduled digest to (no recipients configured, none in the directory); archived only');
    else {
      const mail = digestMail(g.digest, g.chartImages, { pdf: g.outputs.pdf as Buffer | undefined, docx: g.outputs.docx as Buffer | undefined });
      lease.assertHeld();
      await ctx.mailer.send({
        from: deps.config.notify!.from,
        to: recipients,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: { 'X-Monitor-Digest-Id': d.id, 'Content-Language': 'vi' },
        attachments: mail.attachments,
      });
      emailed = true;
      messageId = mail.messageId;
    }
    await lease.complete({ digestId: d.id, date: d.date, recipients, emailed, messageId, files, producedAt: new Date().toISOString() });
    log.info({ digest: d.id, recipients: recipients.length, emailed, total: g.digest.figures.total }, 'scheduled digest produced');
    return { ...base, status: 'produced', recipients, emailed, files };
  } catch (err) {
    const attempts = ((lease.details as FailureDetails).attempts ?? 0) + 1;
    const retryAt = new Date(ctx.clock().getTime() + retryDelayMs(attempts)).toISOString();
    const error = (err as Error).message;
    log.error({ digest: d.id, attempts, retryAt, error }, 'scheduled digest failed; will retry');
    await lease.release({ attempts, retryAt, lastError: error }).catch(() => undefined);
    return { ...base, status: 'failed', recipients, emailed: false, files: {}, error, until: retryAt };
  }
}
