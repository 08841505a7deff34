import { Client, errors } from '@elastic/elasticsearch';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/log.ts';
import { IndexNames, loadIndexDefinitions } from '../index-mappings/definitions.ts';
import { startLocalNode } from './local-node/node.ts';

/** Elasticsearch could not be reached: the message names the URL and what to do, no stack trace needed. */
export class EsUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: string,
  ) {
    super(
      `Elasticsearch is unreachable at ${url} (${cause}).\n` +
        `Hint: check that the server runs and ELASTICSEARCH_URL is right, or unset ELASTICSEARCH_URL to let ` +
        `the project start its own local node ("npm run -s monitor -- es start").`,
    );
    this.name = 'EsUnreachableError';
  }
}

export function createClient(url: string, config: Config): Client {
  const es = config.elasticsearch;
  return new Client({
    node: url,
    requestTimeout: es.requestTimeoutMs,
    maxRetries: es.maxRetries,
    ...(es.apiKey ? { auth: { apiKey: es.apiKey } } : {}),
    ...(es.username && es.password ? { auth: { username: es.username, password: es.password } } : {}),
  });
}

/** Cluster health is the readiness probe: `GET /` (client.info/ping) answers 405 on the minimal distribution. */
export async function checkReachable(client: Client, url: string): Promise<{ status: string }> {
  try {
    const health = await client.cluster.health({ timeout: '5s' }, { requestTimeout: 10_000, maxRetries: 1 });
    return { status: health.status };
  } catch (err) {
    if (err instanceof errors.ResponseError) {
      if (err.statusCode === 401 || err.statusCode === 403) {
        throw new EsUnreachableError(url, `HTTP ${err.statusCode}: check ELASTICSEARCH_USERNAME/PASSWORD or API key`);
      }
      throw new EsUnreachableError(url, `HTTP ${err.statusCode}`);
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new EsUnreachableError(url, message.split('\n')[0] ?? message);
  }
}

export interface Store {
  client: Client;
  url: string;
  names: IndexNames;
  /** True when this process started the local node (and so should stop it when done). */
  startedLocalNode: boolean;
  close(): Promise<void>;
}

/**
 * Connect to Elasticsearch: ELASTICSEARCH_URL when set (production, docker-compose), otherwise the
 * project's own local node, started on demand (the embedded default).
 */
export async function openStore(config: Config, log: Logger, opts: { autoStart?: boolean } = {}): Promise<Store> {
  let url = config.elasticsearch.url;
  let startedLocalNode = false;
  if (!url) {
    if (opts.autoStart === false) {
      url = `http://127.0.0.1:${config.localNode.port}`;
    } else {
      const local = await startLocalNode(config, log);
      url = local.url;
      startedLocalNode = local.started;
    }
  }
  const client = createClient(url, config);
  try {
    await checkReachable(client, url);
  } catch (err) {
    await client.close();
    throw err;
  }
  const names = new IndexNames(config.elasticsearch.indexPrefix, loadIndexDefinitions());
  return { client, url, names, startedLocalNode, close: () => client.close() };
}
