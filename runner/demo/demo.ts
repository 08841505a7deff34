import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/log.ts';
import { fromRoot } from '../../lib/paths.ts';
import { onShutdown } from '../../lib/shutdown.ts';
import { createNewsClock } from '../../test/fixtures/news-web/clock.ts';
import { startNewsWeb } from '../../test/fixtures/news-web/server.ts';
import { newsWebSources } from '../../test/fixtures/news-web/sources.ts';
import { notifySettings } from '../../notify/run.ts';
import { openStore, type Store } from '../../store/es.ts';
import { stopLocalNode } from '../../store/local-node/node.ts';
import { runMonitor } from '../run.ts';
import { startDemoMailSink } from './mail-sink.ts';

/** The provinces of the sample outlets and directory: An Giang, Quảng Ngãi, Ninh Bình. */
const DEMO_PROVINCES = ['91', '51', '37'];

export interface DemoOptions {
  once: boolean;
  /** Fixture seconds per real second: how fast new sample articles appear. */
  speed: number;
  /** Polling interval of the sample outlets (seconds), adapted by the scheduler as in production. */
  pollSeconds: number;
  fresh: boolean;
  /** Port of the web app (continuous mode only); the observe port (metrics, health) is the next one. */
  webPort: number;
  /** First of the five ports of the sample news web's outlets. */
  newsWebPort: number;
  /** SMTP port of the demo mail sink. */
  mailPort: number;
  /** Port of the inbox viewer, which also receives the sample directory's webhooks (127.0.0.1:8790). */
  inboxPort: number;
  /** Leave the Elasticsearch node running at the end even when the demo started it. */
  keepElasticsearch?: boolean;
  out: (line: string) => void;
}

/**
 * The end-to-end job on the embedded defaults: the local Elasticsearch, the sample news web (new articles
 * appear as its clock runs), and the same long-running monitor as production (crawl → pipeline → rules →
 * index → alerts → digests) with its web app, metrics and a local mail sink whose inbox is viewable.
 */
export async function runDemo(config: Config, log: Logger, opts: DemoOptions): Promise<void> {
  // Started here (not already running): the demo stops it again when it ends, like everything else it starts.
  const probe = await openStore(config, log);
  const startedElasticsearch = probe.startedLocalNode;
  // Everything the demo keeps (crawl state, alert cursor, spool, evidence, digests, mails) lives under
  // storage/demo, apart from a production installation's storage.
  const demoDir = resolve(config.storageDir, 'demo');
  if (opts.fresh) {
    rmSync(demoDir, { recursive: true, force: true });
    // Only on the project's own local node: a configured cluster's indices are never deleted by a demo.
    if (!config.elasticsearch.url) {
      await probe.client.indices.delete({ index: `${config.elasticsearch.indexPrefix}-*`, expand_wildcards: 'all', ignore_unavailable: true, allow_no_indices: true });
      log.info({ prefix: config.elasticsearch.indexPrefix }, 'demo --fresh: indices of the local node deleted');
    }
  }
  await probe.close();
  const clock = createNewsClock({ speed: opts.once ? 0 : opts.speed });
  // Fixed ports: article URLs (and so their ids) stay the same from one demo run to the next.
  const newsWeb = await startNewsWeb({ clock, slowMs: 1500, basePort: opts.newsWebPort });
  const stateDir = resolve(demoDir, 'crawl-state');
  const mail = await startDemoMailSink({ dir: resolve(demoDir, 'mail'), smtpPort: opts.mailPort, viewerPort: opts.inboxPort, log });
  const sources = newsWebSources(newsWeb, { interval: `${opts.pollSeconds}s` });
  // Alerts go to the demo's own mail server, to the fictional spokespeople of the sample directory.
  // Each sample province's UBND receives its daily press review (điểm báo) at 07:00 of the sample web's clock.
  const settings = notifySettings(config);
  const digests = settings.digests.length ? settings.digests : DEMO_PROVINCES.map((province) => ({ province, recipients: [], attach: ['pdf' as const, 'docx' as const] }));
  const demoConfig: Config = {
    ...config,
    storageDir: demoDir,
    notify: { ...settings, digests, smtpUrl: mail.smtpUrl, directoryFile: settings.directoryFile ?? fromRoot('notify', 'directory', 'sample.yaml') },
  };
  const stop = new AbortController();
  const offShutdown = onShutdown(() => stop.abort());
  try {
    await runMonitor(demoConfig, log, {
      sources,
      stateDir,
      now: () => clock.now(),
      signal: stop.signal,
      maxTurns: opts.once ? 1 : undefined,
      onTurn: opts.out,
      web: opts.once ? undefined : { port: opts.webPort, host: '127.0.0.1', demoLogins: true },
      observe: opts.once ? undefined : { port: opts.webPort + 1, host: '127.0.0.1' },
      onReady: ({ web, observe }) => {
        if (!web) return;
        opts.out(`Ứng dụng web:        ${web.url}`);
        opts.out(`Hộp thư thử nghiệm:  ${mail.viewerUrl}`);
        if (observe) opts.out(`Giám sát (máy):      ${observe.url}metrics  ${observe.url}healthz`);
        opts.out('Dừng: Ctrl-C');
      },
    });
    const store = await openStore(config, log);
    try {
      await store.client.indices.refresh({ index: `${config.elasticsearch.indexPrefix}-*` });
      opts.out(await report(store, config));
      opts.out(`  mails in the demo inbox: ${mail.received()} (${resolve(demoDir, 'mail')})`);
    } finally {
      await store.close();
    }
  } finally {
    offShutdown();
    await mail.close();
    await newsWeb.close();
    if (startedElasticsearch && !opts.keepElasticsearch) {
      await stopLocalNode(config, log);
      opts.out('Elasticsearch node stopped (it was started by this demo; --keep-es leaves it running).');
    }
  }
}

async function report(store: Store, config: Config): Promise<string> {
  const articles = await store.client.search({
    index: store.names.alias('articles'),
    size: 0,
    aggs: { level: { terms: { field: 'sensitivity.level' } }, copies: { filter: { term: { isCopy: true } } } },
  });
  const flags = await store.client.search({ index: store.names.alias('flags'), size: 0, aggs: { kind: { terms: { field: 'kind' } } } });
  const cases = await store.client.search({ index: store.names.alias('cases'), size: 0, aggs: { state: { terms: { field: 'state' } } } });
  const digests = await store.client.count({ index: store.names.alias('digests') }).catch(() => ({ count: 0 }));
  const hot = await store.client.search<{ title: string; articleCount: number; outletCount: number }>({
    index: store.names.alias('stories'),
    size: 5,
    query: { term: { highestLevel: 'hot' } },
    sort: [{ outletCount: 'desc' }, { lastSeen: 'desc' }],
  });
  const buckets = (aggs: unknown, name: string) =>
    ((aggs as Record<string, { buckets: Array<{ key: string; doc_count: number }> }>)[name]?.buckets ?? []).map((b) => `${b.key} ${b.doc_count}`).join(', ');
  const total = typeof articles.hits.total === 'number' ? articles.hits.total : articles.hits.total?.value;
  return [
    '',
    `Elasticsearch indices "${config.elasticsearch.indexPrefix}-*":`,
    `  articles: ${total} (${buckets(articles.aggregations, 'level')}; copies ${(articles.aggregations as { copies: { doc_count: number } }).copies.doc_count})`,
    `  flags:    ${buckets(flags.aggregations, 'kind') || 'none'}`,
    `  cases:    ${buckets(cases.aggregations, 'state') || 'none'}`,
    `  digests:  ${digests.count}`,
    '  hot stories:',
    ...hot.hits.hits.map((h) => `    - ${h._source!.title} (${h._source!.articleCount} bài, ${h._source!.outletCount} báo)`),
  ].join('\n');
}
