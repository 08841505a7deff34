import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { reachedNothing, type SourceSummary } from '../../crawlers/summary.ts';

/** Seconds from publication to index or alert: from "just now" up to a day late (archive articles land in +Inf). */
const LAG_BUCKETS = [5, 10, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600, 4 * 3600, 86_400];

/**
 * The monitor's Prometheus metrics, one registry per process (tests make their own). Articles per minute per
 * source is `rate(monitor_articles_indexed_total[5m]) * 60`: counters, so Prometheus computes any window.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'monitor_' });
  const m = {
    registry,
    articlesCrawled: new Counter({ name: 'monitor_articles_crawled_total', help: 'Articles extracted by the crawler', labelNames: ['source'], registers: [registry] }),
    articlesIndexed: new Counter({ name: 'monitor_articles_indexed_total', help: 'Articles written to Elasticsearch (or spooled while it is down)', labelNames: ['source'], registers: [registry] }),
    pagesFetched: new Counter({ name: 'monitor_pages_fetched_total', help: 'Pages fetched', labelNames: ['source'], registers: [registry] }),
    crawlFailures: new Counter({ name: 'monitor_crawl_failures_total', help: 'Failed fetches and discoveries by reason', labelNames: ['source', 'reason'], registers: [registry] }),
    errors: new Counter({ name: 'monitor_errors_total', help: 'Errors of the run loop by stage', labelNames: ['stage'], registers: [registry] }),
    flags: new Counter({ name: 'monitor_flags_total', help: 'Flags raised by the rules stage', registers: [registry] }),
    alertsSent: new Counter({ name: 'monitor_alerts_sent_total', help: 'Alert messages delivered', registers: [registry] }),
    alertsDead: new Counter({ name: 'monitor_alerts_dead_total', help: 'Alerts moved to the dead-letter list', registers: [registry] }),
    turns: new Counter({ name: 'monitor_turns_total', help: 'Loop turns that crawled something', registers: [registry] }),
    turnSeconds: new Histogram({ name: 'monitor_turn_duration_seconds', help: 'Duration of a crawl → alerts turn', buckets: [1, 5, 15, 30, 60, 120, 300, 900], registers: [registry] }),
    queueLength: new Gauge({ name: 'monitor_queue_length', help: 'Work waiting: due_sources, crawled_batch, alerts_pending, spool_records', labelNames: ['queue'], registers: [registry] }),
    lagToIndex: new Histogram({ name: 'monitor_lag_publication_to_index_seconds', help: 'Publication time to indexed', buckets: LAG_BUCKETS, registers: [registry] }),
    lagToAlert: new Histogram({ name: 'monitor_lag_publication_to_alert_seconds', help: 'Publication time to the alert delivered', buckets: LAG_BUCKETS, registers: [registry] }),
    sourceLastSuccess: new Gauge({ name: 'monitor_source_last_success_timestamp_seconds', help: 'Last crawl of a source that reached it', labelNames: ['source'], registers: [registry] }),
    sourceFailing: new Gauge({ name: 'monitor_source_failing', help: '1 while a source backs off after crawls that reached nothing', labelNames: ['source'], registers: [registry] }),
    elasticsearchUp: new Gauge({ name: 'monitor_elasticsearch_up', help: '1 when Elasticsearch answered the last check', registers: [registry] }),
  };
  return m;
}

export type MonitorMetrics = ReturnType<typeof createMetrics>;

/** A crawl summary into the per-source counters. */
export function recordCrawl(metrics: MonitorMetrics, s: SourceSummary, at: Date): void {
  metrics.articlesCrawled.inc({ source: s.sourceId }, s.extracted);
  metrics.pagesFetched.inc({ source: s.sourceId }, s.fetched);
  for (const [reason, n] of Object.entries(s.failed)) metrics.crawlFailures.inc({ source: s.sourceId, reason }, n);
  const failing = reachedNothing(s);
  metrics.sourceFailing.set({ source: s.sourceId }, failing ? 1 : 0);
  if (!failing) metrics.sourceLastSuccess.set({ source: s.sourceId }, at.getTime() / 1000);
}

/** Lag in seconds, or null for articles without a publication date (nothing honest to measure). */
export function lagSeconds(publishedAt: string | null | undefined, at: Date): number | null {
  if (!publishedAt) return null;
  const t = Date.parse(publishedAt);
  return Number.isFinite(t) ? Math.max(0, (at.getTime() - t) / 1000) : null;
}
