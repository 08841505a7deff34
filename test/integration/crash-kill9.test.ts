/**
 * kill -9 at random points of `monitor run`, then restart: no article lost, none duplicated, no alert sent
 * twice. The real CLI process runs against the sample news web (its clock moves on between restarts, so each
 * run has new articles to crawl, index and alert on), the shared test Elasticsearch (own index prefix) and a
 * real SMTP server. Kill points (seeded: KILL9_SEED):
 *   1. the moment the SMTP server has a mail's data, before it answers 250 (the at-least-once window),
 *   2. a random time after start (startup, discovery or crawl),
 *   3. during the crawl: after a random number of requests to the sample web,
 *   4. during the ingest: a random moment after every source's crawl state was saved (the batch is in the
 *      pipeline or being written; its articles are pending in the crawl state),
 *   5. during the follow-up: the first evidence file of a new case appears (articles, flags and cases are
 *      written, the crawl state is not yet confirmed).
 * A final run then goes until every alert is delivered and is stopped with SIGTERM. A kill during alert
 * delivery leaves the alerts lease held until it expires (2 min), so the final run's alerts wait for that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { normalizeUrl } from '../../crawlers/extract/url.ts';
import { fromRoot } from '../../lib/paths.ts';
import { messageIdOf } from '../../notify/delivery/deliver.ts';
import { storyKeyOf } from '../../notify/plan.ts';
import { createClient } from '../../store/es.ts';
import { createNewsClock } from '../fixtures/news-web/clock.ts';
import { startNewsWeb, type NewsWeb } from '../fixtures/news-web/server.ts';
import { newsWebSourceInputs } from '../fixtures/news-web/sources.ts';
import { startSmtp, type MailSink } from './notify/servers.ts';

const SEED = Number(process.env.KILL9_SEED ?? 20261123);
const OUTLETS = ['baoangiang', 'tinnhanh'];
const UNSERVED = ['not-found', 'server-error', 'robots-disallowed'];
/** The sample web's clock at each (re)start: new articles appear between runs (33, 41, 52, 63, 74, then all 78). */
const CLOCK = ['2025-12-31T12:00:00+07:00', '2026-06-30T12:00:00+07:00', '2026-11-12T12:00:00+07:00', '2026-11-19T20:00:00+07:00', '2026-11-21T09:30:00+07:00', '2026-11-22T12:00:00+07:00'];
/** Agencies of the directory (fewer agencies, fewer mails: each delivery is an SMTP send plus a refresh). */
const AGENCIES = ['2025-91-ubnd-tinh', '2025-91-so-nn-mt', '2025-91-cong-an', '2025-51-ubnd-tinh'];

/** mulberry32: small seeded PRNG, so a failing kill schedule can be replayed with KILL9_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));

const prefix = `tk9${Date.now().toString(36)}`;
const storageDir = mkdtempSync(join(tmpdir(), 'kill9-'));
const esUrl = inject('esUrl');
const config = loadConfig({ env: { ...process.env, ELASTICSEARCH_URL: esUrl, MONITOR_INDEX_PREFIX: prefix, MONITOR_STORAGE_DIR: storageDir } });
const client = createClient(esUrl, config);
const alias = (name: string) => `${prefix}-${name}`;

let web: NewsWeb;
let sink: MailSink;
let sourcesFile: string;
let configFile: string;
const lines: string[] = [];

const children = new Set<ChildProcess>();

interface Run {
  child: ChildProcess;
  stdout: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startRun(n: number): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fromRoot('cli', 'monitor.ts'), 'run', '--sources', sourcesFile, '--no-web', '--metrics-port', '0', '--no-screenshots'],
    {
      cwd: fromRoot(),
      env: { ...process.env, ELASTICSEARCH_URL: esUrl, MONITOR_INDEX_PREFIX: prefix, MONITOR_STORAGE_DIR: storageDir, MONITOR_CONFIG: configFile, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  const stdout: string[] = [];
  child.stdout!.on('data', (d: Buffer) => stdout.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr!.pipe(createWriteStream(join(storageDir, `run-${n}.log`)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, stdout, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function count(index: string, query?: object, refresh = false): Promise<number> {
  // A forced refresh makes a write visible at once (the kill then lands right after it, not a second later).
  if (refresh) await client.indices.refresh({ index: `${alias(index)}*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
  return client
    .count({ index: alias(index), ignore_unavailable: true, allow_no_indices: true, ...(query ? { query: query as never } : {}) })
    .then((r) => r.count)
    .catch(() => 0);
}

/** Resolves when `test` holds (polled), or with false when the run printed a finished turn first or time ran out. */
async function until(run: Run, test: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return true;
    if (run.stdout.length > 0) return false;
    if (run.child.exitCode !== null) throw new Error(`monitor run exited early (${run.child.exitCode}); see ${storageDir}`);
    await sleep(50);
  }
  return false;
}

/**
 * Does this run hold the alerts lease (owner host:pid:random)? A kill -9 then leaves it held until it expires
 * (2 min) and every later run's alerts wait for that: the kill points meant for crawl and ingest wait for the
 * turn to end instead (and count as not reached), so only the SMTP kill point pays that price.
 */
async function inAlerts(run: Run): Promise<boolean> {
  const res = await client.get<{ state: string; owner: string }>({ index: alias('leases'), id: 'alerts-run' }).catch(() => null);
  return res?._source?.state === 'held' && res._source.owner.includes(`:${run.child.pid}:`);
}

const evidenceFiles = () => (existsSync(join(storageDir, 'evidence')) ? readdirSync(join(storageDir, 'evidence'), { recursive: true }).length : 0);
const sourceIds = OUTLETS.map((o) => `mau-${o}`);

const published = () => web.articles.filter((a) => OUTLETS.includes(a.outlet) && Date.parse(a.publishedAt) <= web.clock.now().getTime() && !UNSERVED.includes(a.trap ?? ''));

beforeAll(async () => {
  web = await startNewsWeb({ clock: createNewsClock({ start: CLOCK[0] }), slowMs: 200 });
  sink = await startSmtp();
  // The sources registry of the sample web, polled every 10 s (the scheduler slows it down when nothing is new).
  sourcesFile = join(storageDir, 'sources.json');
  const sources = newsWebSourceInputs(web, { interval: '10s' }).filter((s) => OUTLETS.some((key) => s.id === `mau-${key}`));
  writeFileSync(sourcesFile, JSON.stringify(sources, null, 2));
  // Alerts: every agency gets immediate e-mail, so each alert is one message whose Message-ID is its id.
  const directoryFile = join(storageDir, 'directory.json');
  writeFileSync(
    directoryFile,
    JSON.stringify({ agencies: AGENCIES.map((id, i) => ({ id, name: `Cơ quan ${id}`, recipients: [{ email: `coquan${i}@example.gov.vn` }], defaultMode: 'immediate' })) }),
  );
  configFile = join(storageDir, 'monitor.json');
  writeFileSync(configFile, JSON.stringify({ notify: { smtpUrl: sink.url, directoryFile } }));
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sink?.close();
  await web?.close();
  await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true }).catch(() => undefined);
  await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
  await client.close();
});

describe('kill -9 at random points of monitor run, then restart', () => {
  it('loses no article, duplicates none, and sends every alert (a re-sent one keeps its Message-ID)', async () => {
    const started = Date.now();
    const kills: Array<{ run: number; point: string; hit: boolean; turnsDone: number; afterMs: number }> = [];
    const plan: Array<{ point: string; wait: (run: Run) => Promise<boolean> }> = [
      {
        point: 'smtp: mail received, before 250',
        wait: async (run) => {
          let hit = false;
          sink.onMail = () => {
            // Synchronously, before the server answers: the monitor never learns the mail went out.
            run.child.kill('SIGKILL');
            sink.onMail = null;
            hit = true;
          };
          const deadline = Date.now() + 150_000;
          while (!hit && run.stdout.length === 0 && run.child.exitCode === null && Date.now() < deadline) await sleep(20);
          sink.onMail = null;
          return hit;
        },
      },
      {
        point: 'random time after start',
        wait: async (run) => {
          await sleep(between(1500, 9000));
          return run.stdout.length === 0;
        },
      },
      {
        point: 'crawl: after a random number of requests to the sample web',
        wait: async (run) => {
          const before = web.requests.length;
          const n = between(8, 40);
          return until(run, () => web.requests.length - before >= n, 120_000);
        },
      },
      {
        point: 'ingest: after the crawl state was saved, before it is confirmed',
        wait: async (run) => {
          const t0 = Date.now();
          const saved = () => sourceIds.every((id) => (statSync(join(storageDir, 'crawl-state', `${id}.json`), { throwIfNoEntry: false })?.mtimeMs ?? 0) >= t0);
          const hit = await until(run, saved, 120_000);
          if (hit) await sleep(between(0, 1500));
          return hit;
        },
      },
      {
        point: 'follow-up: first evidence file of a new case',
        wait: async (run) => {
          const before = evidenceFiles();
          const hit = await until(run, () => evidenceFiles() > before, 120_000);
          if (hit) await sleep(between(0, 200));
          return hit;
        },
      },
    ];

    for (const [i, step] of plan.entries()) {
      web.clock.set(CLOCK[i]!);
      const run = startRun(i + 1);
      const t0 = Date.now();
      let hit = await step.wait(run);
      if (i > 0 && (await inAlerts(run))) {
        hit = false;
        while ((await inAlerts(run)) && run.stdout.length === 0) await sleep(20);
      }
      // hit false: the turn got past the kill point first; the kill then lands between turns.
      run.child.kill('SIGKILL');
      const exit = await run.exited;
      expect(exit.signal).toBe('SIGKILL');
      kills.push({ run: i + 1, point: step.point, hit, turnsDone: run.stdout.length, afterMs: Date.now() - t0 });
      lines.push(...run.stdout.map((l) => `run ${i + 1}: ${l}`));
    }

    // The last run: goes on (turns every 10-40 s) until every alert is delivered, then stops on SIGTERM.
    web.clock.set(CLOCK.at(-1)!);
    const final = startRun(plan.length + 1);
    const expected = published();
    const done = async () => {
      if (final.stdout.length === 0) return false;
      await client.indices.refresh({ index: `${prefix}-*` }).catch(() => undefined);
      const pending = await count('alerts', { bool: { must_not: [{ term: { status: 'sent' } }] } });
      return pending === 0 && (await count('alerts')) > 0 && (await count('articles')) >= expected.length;
    };
    const deadline = Date.now() + 360_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`final run did not finish; logs in ${storageDir}`);
      if (final.child.exitCode !== null) throw new Error(`final run exited (${final.child.exitCode}); logs in ${storageDir}`);
      await sleep(1000);
    }
    final.child.kill('SIGTERM');
    const stop = await Promise.race([final.exited, sleep(60_000).then(() => null)]);
    if (!stop) final.child.kill('SIGKILL');
    expect(stop?.code).toBe(0);
    lines.push(...final.stdout.map((l) => `final: ${l}`));
    await client.indices.refresh({ index: `${prefix}-*` });

    // Articles: every published one, exactly once (by canonical URL and by id).
    const res = await client.search<{ id: string; canonicalUrl: string; storyId: string | null; agencyIds: string[] }>({
      index: alias('articles'),
      size: 1000,
      _source: ['id', 'canonicalUrl', 'storyId', 'agencyIds'],
    });
    const docs = res.hits.hits.map((h) => ({ ...h._source!, _id: h._id! }));
    const byUrl = new Map<string, number>();
    for (const d of docs) byUrl.set(d.canonicalUrl, (byUrl.get(d.canonicalUrl) ?? 0) + 1);
    const missing = expected.filter((a) => !byUrl.has(normalizeUrl(web.urlOf(a.id)))).map((a) => a.id);
    const duplicatedUrls = [...byUrl].filter(([, n]) => n > 1);
    expect(missing).toEqual([]);
    expect(duplicatedUrls).toEqual([]);
    expect(docs).toHaveLength(expected.length);
    expect(new Set(docs.map((d) => d._id)).size).toBe(docs.length);
    expect(docs.every((d) => d._id === d.id)).toBe(true);

    // Alerts: the delivery log says every one was sent; the sink has one mail per alert (by Message-ID).
    const alerts = (
      await client.search<{ id: string; subscriptionId: string; storyId: string; channel: string; level: string; status: string }>({ index: alias('alerts'), size: 10_000 })
    ).hits.hits.map((h) => h._source!);
    const byMessageId = new Map<string, number>();
    for (const m of sink.mails) byMessageId.set(m.messageId ?? '', (byMessageId.get(m.messageId ?? '') ?? 0) + 1);
    const alertIds = new Set(alerts.map((a) => a.id));
    const notDelivered = alerts.filter((a) => !byMessageId.has(messageIdOf(a.id)));
    const stray = [...byMessageId.keys()].filter((mid) => ![...alertIds].some((id) => messageIdOf(id) === mid));
    const resent = [...byMessageId].filter(([, n]) => n > 1);
    expect(alerts.every((a) => a.status === 'sent')).toBe(true);
    expect(notDelivered).toEqual([]);
    expect(stray).toEqual([]);
    // A re-sent mail can only come from a kill between "sent" and "marked sent": the SMTP kill point.
    expect(resent.every(([, n]) => n === 2)).toBe(true);
    expect(resent.length).toBeLessThanOrEqual(kills.filter((k) => k.point.startsWith('smtp') && k.hit).length);
    // Independently of the log: every story of every article tagged with a directory agency got its alert.
    const alerted = new Set(alerts.map((a) => `${a.subscriptionId}|${a.storyId}`));
    const expectedAlerts = new Set(docs.flatMap((d) => (d.agencyIds ?? []).filter((id) => AGENCIES.includes(id)).map((id) => `default:${id}|${storyKeyOf(d)}`)));
    expect(expectedAlerts.size).toBeGreaterThan(0);
    expect([...expectedAlerts].filter((k) => !alerted.has(k))).toEqual([]);
    // Several alerts for one subscription × story are only allowed when the level rose.
    const perStory = new Map<string, Set<string>>();
    for (const a of alerts) perStory.set(`${a.subscriptionId}|${a.storyId}|${a.channel}`, (perStory.get(`${a.subscriptionId}|${a.storyId}|${a.channel}`) ?? new Set()).add(a.level));
    const levelRises = [...perStory.values()].filter((levels) => levels.size > 1).length;
    expect(alerts.length).toBe([...perStory.values()].reduce((n, l) => n + l.size, 0));

    const summary = {
      seed: SEED,
      kills,
      articles: { expected: expected.length, indexed: docs.length, missing: missing.length, duplicated: duplicatedUrls.length },
      alerts: { inLog: alerts.length, mails: sink.mails.length, distinctMessageIds: byMessageId.size, resentSameMessageId: resent.length, levelRiseReAlerts: levelRises },
      seconds: Math.round((Date.now() - started) / 1000),
      logs: storageDir,
    };
    console.log(`kill -9 summary: ${JSON.stringify(summary, null, 2)}\n${lines.join('\n')}`);
  }, 600_000);
});
