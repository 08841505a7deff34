/**
 * Latency from an article appearing in a sample outlet's feed to the alert e-mail received, through the real
 * long-running monitor (`runMonitor`) with the sources' default polling, the real Elasticsearch and a real
 * SMTP server on loopback. Sensitive and hot sample articles about agencies of the sample directory appear
 * one by one over the window (sample-web clock at real speed); each one's appearance time is known exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../lib/log.ts';
import { fromRoot } from '../lib/paths.ts';
import { loadDirectoryFile } from '../notify/directory/load.ts';
import { notifySettings } from '../notify/run.ts';
import { runMonitor } from '../runner/run.ts';
import { createClient } from '../store/es.ts';
import { createNewsClock } from '../test/fixtures/news-web/clock.ts';
import { loadContent } from '../test/fixtures/news-web/content.ts';
import { startNewsWeb } from '../test/fixtures/news-web/server.ts';
import { newsWebSources } from '../test/fixtures/news-web/sources.ts';
import { fmt, type BenchRow } from './table.ts';

const MINUTES = Number(process.env.BENCH_ALERT_MINUTES ?? 6);
const START = Date.parse('2026-11-21T08:00:00+07:00');

async function smtpSink(): Promise<{ url: string; mails: Array<{ at: number; text: string }>; close(): Promise<void> }> {
  const mails: Array<{ at: number; text: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      const at = Date.now();
      simpleParser(stream).then(
        (m) => {
          mails.push({ at, text: `${m.subject ?? ''}\n${m.text ?? ''}` });
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}/?ignoreTLS=true`, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export async function benchAlertLatency(): Promise<BenchRow[]> {
  const log = createLogger('bench', 'error');
  const directory = new Set(loadDirectoryFile(fromRoot('notify', 'directory', 'sample.yaml')).agencies.map((a) => a.id));
  // Stand-alone sensitive/hot articles about directory agencies: each is its own story, so each must alert.
  const chosen = loadContent()
    .filter((a) => !a.trap && !a.truth.copyOf && !a.truth.correctionOf && !a.truth.story && a.truth.sensitivity !== 'normal')
    .filter((a) => a.truth.agencies.some((g) => directory.has(g.id) && g.prominence === 'primary'));
  const span = (MINUTES * 60 - 90) * 1000;
  const articles = chosen.map((a, i) => ({ ...a, modifiedAt: null, update: null, publishedAt: new Date(START + 30_000 + Math.round((i * span) / chosen.length)).toISOString() }));
  const clock = createNewsClock({ speed: 1, start: new Date(START).toISOString() });
  const web = await startNewsWeb({ clock, articles, slowMs: 0 });
  const smtp = await smtpSink();
  const storageDir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  const prefix = `bench-alert-${Date.now().toString(36)}`;
  const base = loadConfig({ env: { ...process.env, MONITOR_INDEX_PREFIX: prefix, MONITOR_STORAGE_DIR: storageDir } });
  const config = { ...base, notify: { ...notifySettings(base), smtpUrl: smtp.url, directoryFile: fromRoot('notify', 'directory', 'sample.yaml') } };
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), MINUTES * 60_000);
  try {
    // The sample outlets keep their registry defaults for polling: full crawl every minute, feeds every 30 s.
    // The registry's defaults (full crawl every 15 min, feeds every 30 s), not the sample web's test setting of 1 min.
    await runMonitor(config, log, { sources: newsWebSources(web, { interval: '15m' }), now: () => clock.now(), signal: stop.signal, maxWaitMs: 1000 });
  } finally {
    clearTimeout(timer);
    await web.close();
    await smtp.close();
  }
  const lags: number[] = [];
  let missed = 0;
  for (const a of articles) {
    const appeared = Date.parse(a.publishedAt) - clock.now().getTime() + Date.now();
    const url = web.urlOf(a.id);
    const first = smtp.mails.filter((m) => m.text.includes(url) || m.text.includes(a.title)).map((m) => m.at);
    if (first.length === 0) missed++;
    else lags.push((Math.min(...first) - appeared) / 1000);
  }
  const client = createClient(config.elasticsearch.url ?? `http://127.0.0.1:${config.localNode.port}`, config);
  await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true }).catch(() => undefined);
  await client.close();
  rmSync(storageDir, { recursive: true, force: true });
  const p95 = lags.length ? percentile(lags, 0.95) : Number.NaN;
  return [
    { area: 'alerts', metric: `feed → alert e-mail latency, s, p50 (${lags.length} alerts of ${articles.length} articles, ${missed} without alert)`, value: lags.length ? fmt(percentile(lags, 0.5)) : '-', goal: '-', ok: null },
    { area: 'alerts', metric: 'feed → alert e-mail latency, s, p95 (default polling: feeds every 30 s, full crawl every 15 min)', value: lags.length ? fmt(p95) : '-', goal: '≤ 60', ok: lags.length > 0 && p95 <= 60 },
  ];
}
