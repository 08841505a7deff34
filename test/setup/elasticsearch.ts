import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../config/load.ts';
import { createLogger } from '../../lib/log.ts';
import { startLocalNode, stopLocalNode } from '../../store/local-node/node.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    esUrl: string;
  }
}

/**
 * One real Elasticsearch for the integration run: ELASTICSEARCH_URL when set, otherwise the project's
 * own local node (downloaded and started on first use). A node this setup started is stopped at the end;
 * one that was already running (e.g. `monitor es start`) is left alone.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig();
  const log = createLogger('test-setup', 'warn');
  let url = config.elasticsearch.url;
  let started = false;
  if (!url) {
    const local = await startLocalNode(config, log);
    url = local.url;
    started = local.started;
  }
  project.provide('esUrl', url);
  return async () => {
    if (started) await stopLocalNode(config, log);
  };
}
