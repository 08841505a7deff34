import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Source } from '../crawlers/sources/schema.ts';
import { loadIndexDefinitions } from '../index-mappings/definitions.ts';
import { migrate } from '../index-mappings/migrate.ts';
import type { Logger } from '../lib/log.ts';
import { createPipelineDeps } from '../pipeline/deps.ts';
import { loadCalendar } from '../rules/calendar/calendar.ts';
import { loadRules } from '../rules/engine/load.ts';
import { loadRegimes } from '../rules/legal/regimes.ts';
import { fromRoot } from '../lib/paths.ts';
import { BulkWriter } from '../store/bulk-writer.ts';
import { openStore, type Store } from '../store/es.ts';
import { RejectFile } from '../store/reject-file.ts';
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
 * Everything the ingest path needs, wired once: Elasticsearch (started locally when no URL is set),
 * migrated indices, the pipeline with index-backed copy and story stores, the rules engine.
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
    closeEvidence: async () => void (await renderer?.close()),
    store,
    writer: new BulkWriter(store.client, { log, rejectSink: new RejectFile(resolve(config.storageDir, 'rejected', 'documents.jsonl')) }),
    pipeline: await createPipelineDeps({ store, now }),
    engine: { rules: loadRules(opts.rulesDir ?? fromRoot('rules', 'default'), { regimes }), calendar: loadCalendar(), regimes },
    sources: new Map(sources.map((s) => [s.id, s])),
    log,
    now,
  };
}
