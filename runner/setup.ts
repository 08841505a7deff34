import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import { loadIndexDefinitions } from '../index-mappings/definitions.ts';
import { migrate } from '../index-mappings/migrate.ts';
import type { Logger } from '../lib/log.ts';
import { createPipelineDeps } from '../pipeline/deps.ts';
import { loadCalendar } from '../rules/calendar/calendar.ts';
import { loadEffectiveRules } from '../rules/engine/layers.ts';
import { loadRules } from '../rules/engine/load.ts';
import { loadRegimes } from '../rules/legal/regimes.ts';
import { BulkWriter } from '../store/bulk-writer.ts';
import { openStore, type Store } from '../store/es.ts';
import { RejectFile } from '../store/reject-file.ts';
import { EsCopyStore, EsStoryStore, LayeredCopyStore, LayeredStoryStore } from '../store/pipeline-stores.ts';
import { Spool } from '../store/spool.ts';
import { SpoolingCopyStore, SpoolingStoryStore } from '../store/spool-stores.ts';
import { requireDurableCommit } from '../crawlers/state/crawl-state.ts';
import type { PipelineDeps } from '../pipeline/process.ts';
import { httpFetch } from '../crawlers/fetch/http-fetch.ts';
import type { EvidenceDeps } from '../rules/cases/evidence.ts';
import { openRenderer, type Renderer } from '../rules/cases/chromium.ts';
import type { IngestDeps } from './ingest.ts';

/** Fetch for evidence snapshots and re-checks, with the same private-network opt-in as the sources. */
export function evidenceFetch(sources: Source[]): EvidenceDeps['fetch'] {
  const privateOrigins = new Set(sources.filter((s) => s.allowPrivateNetwork).map((s) => new URL(s.homepage).origin));
  return (url) => httpFetch(url, { allowPrivateNetwork: privateOrigins.has(new URL(url).origin) });
}

/**
 * The pipeline with index-backed copy and story stores that survive an outage (lookups from memory only,
 * story writes spooled): the same layering as createPipelineDeps with a store.
 */
async function outageTolerantPipeline(store: Store, spool: Spool, now: () => Date): Promise<PipelineDeps> {
  const memory = await createPipelineDeps({ store: null, now });
  return {
    ...memory,
    copies: new LayeredCopyStore(new SpoolingCopyStore(new EsCopyStore(store), spool), memory.copies),
    stories: new LayeredStoryStore(new SpoolingStoryStore(new EsStoryStore(store), store, spool), memory.stories, true),
  };
}

/**
 * Everything the ingest path needs, wired once: Elasticsearch (started locally when no URL is set),
 * migrated indices, the pipeline with index-backed copy and story stores, the rules engine. Writes that find
 * Elasticsearch unreachable go to the outage spool (`<storageDir>/spool`, see store/spool.ts), and crawled
 * articles only count as done in the crawl state once durably indexed or spooled.
 */
export async function openIngest(
  config: Config,
  log: Logger,
  sources: Source[],
  opts: { now?: () => Date; rulesDir?: string; screenshots?: boolean } = {},
): Promise<IngestDeps & { store: Store; closeEvidence(): Promise<void> }> {
  const store = await openStore(config, log);
  await migrate(store.client, {
    prefix: config.elasticsearch.indexPrefix,
    definitions: loadIndexDefinitions(),
    shards: config.elasticsearch.shards,
    replicas: config.elasticsearch.replicas,
    log,
  });
  const now = opts.now ?? (() => new Date());
  const spool = Spool.open(resolve(config.storageDir), log);
  requireDurableCommit(true);
  const regimes = loadRegimes();
  // A new case keeps the article as published: HTML, text, hash, and with Chromium a screenshot and PDF.
  let renderer: Renderer | null = null;
  if (opts.screenshots !== false) {
    renderer = await openRenderer().catch((err: Error) => {
      log.warn({ error: err.message }, 'Chromium unavailable: evidence without screenshot and PDF');
      return null;
    });
  }
  return {
    evidence: { fetch: evidenceFetch(sources), storageDir: resolve(config.storageDir), clock: now, renderer },
    closeEvidence: async () => {
      spool.close();
      await renderer?.close();
    },
    store,
    writer: new BulkWriter(store.client, { log, spool, rejectSink: new RejectFile(resolve(config.storageDir, 'rejected', 'documents.jsonl')) }),
    pipeline: await outageTolerantPipeline(store, spool, now),
    // Without a rules folder: the shipped rules with the office's edits (made in the web app), as `rules check` loads them.
    engine: { rules: opts.rulesDir ? loadRules(opts.rulesDir, { regimes }) : loadEffectiveRules(config.storageDir, { regimes }), calendar: loadCalendar(), regimes },
    sources: new Map(sources.map((s) => [s.id, s])),
    log,
    now,
  };
}
