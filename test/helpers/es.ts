import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { IndexNames, loadIndexDefinitions, type IndexDefinition } from '../../index-mappings/definitions.ts';
import { migrate } from '../../index-mappings/migrate.ts';
import { createLogger } from '../../lib/log.ts';
import { createClient, type Store } from '../../store/es.ts';

export const testLog = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** Config pointing at the test node with a unique index prefix, so test files never see each other's data. */
export function testConfig(prefix = `t${randomBytes(4).toString('hex')}`): Config {
  return loadConfig({ env: { ...process.env, ELASTICSEARCH_URL: inject('esUrl'), MONITOR_INDEX_PREFIX: prefix } });
}

export interface TestStore extends Store {
  config: Config;
  /** Delete every index and template of this prefix. */
  drop(): Promise<void>;
}

export async function openTestStore(opts: { definitions?: IndexDefinition[]; migrate?: boolean } = {}): Promise<TestStore> {
  const config = testConfig();
  const url = config.elasticsearch.url!;
  const client = createClient(url, config);
  const definitions = opts.definitions ?? loadIndexDefinitions();
  const prefix = config.elasticsearch.indexPrefix;
  if (opts.migrate !== false) await migrate(client, { prefix, definitions, log: testLog });
  return {
    client,
    url,
    config,
    names: new IndexNames(prefix, definitions),
    startedLocalNode: false,
    close: () => client.close(),
    async drop() {
      await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true });
      await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
      await client.close();
    },
  };
}
