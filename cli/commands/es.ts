import type { Command } from 'commander';
import { loadIndexDefinitions } from '../../index-mappings/definitions.ts';
import { migrate } from '../../index-mappings/migrate.ts';
import { openStore } from '../../store/es.ts';
import { localNodePaths, localNodeStatus, probeNode, startLocalNode, stopLocalNode } from '../../store/local-node/node.ts';
import { action } from '../run-action.ts';

export function registerEs(program: Command): void {
  const es = program
    .command('es')
    .description('Elasticsearch: the local single node the project runs, and index migrations');

  es.command('start')
    .description('download (once, with Maven) and start the local Elasticsearch node on 127.0.0.1, or reuse the running one')
    .action(
      action(async ({ config, log, out }) => {
        if (config.elasticsearch.url) {
          const probe = await probeNode(config.elasticsearch.url);
          out(`ELASTICSEARCH_URL is set; not starting a local node. ${config.elasticsearch.url}: ${probe.up ? `up (${probe.health})` : 'unreachable'}`);
          return probe.up ? 0 : 3;
        }
        const { url, started } = await startLocalNode(config, log);
        out(`${started ? 'started' : 'already running'}: ${url}`);
      }),
    );

  es.command('stop')
    .description('stop the local node started by this project')
    .action(
      action(async ({ config, log, out }) => {
        out((await stopLocalNode(config, log)) ? 'stopped' : 'no local node started by this project is running');
      }),
    );

  es.command('status')
    .description("print the node's URL, version and cluster health")
    .option('--json', 'print JSON')
    .action(
      action(async ({ config, out }, opts: { json?: boolean }) => {
        const status = config.elasticsearch.url
          ? { ...(await probeNode(config.elasticsearch.url)), pid: null, logFile: null }
          : await localNodeStatus(config);
        if (opts.json) {
          out(JSON.stringify(status));
        } else {
          out(
            [
              `url:     ${status.url}`,
              `status:  ${status.up ? 'up' : 'down'}`,
              `version: ${status.version ?? '-'}`,
              `health:  ${status.health ?? '-'}`,
              `nodes:   ${status.nodes ?? '-'}`,
              ...(config.elasticsearch.url ? [] : [`managed: ${status.pid ? `pid ${status.pid}` : 'no'}`, `logs:    ${localNodePaths(config).logs}`]),
              ...(status.error && !status.up ? [`error:   ${status.error}`] : []),
            ].join('\n'),
          );
        }
        return status.up ? 0 : 3;
      }),
    );

  es.command('migrate')
    .description('create or update every index, template and alias (idempotent); copies data when a mapping version changes')
    .action(
      action(async ({ config, log, out }) => {
        const store = await openStore(config, log);
        try {
          const actions = await migrate(store.client, {
            prefix: config.elasticsearch.indexPrefix,
            definitions: loadIndexDefinitions(),
            shards: config.elasticsearch.shards,
            replicas: config.elasticsearch.replicas,
            log,
          });
          for (const a of actions) {
            out(
              a.kind === 'migrated'
                ? `migrated  ${a.from} → ${a.to} (${a.documents} documents)`
                : a.kind === 'template'
                  ? `template  ${a.name}`
                  : `${a.kind.padEnd(9)} ${a.index}`,
            );
          }
        } finally {
          await store.close();
        }
      }),
    );
}
