import type { Command } from 'commander';
import { z } from 'zod';
import { action } from '../run-action.ts';

const ServeOpts = z.object({
  port: z.coerce.number().int().min(1).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.string().optional(),
});

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the web app (Vietnamese UI and JSON API; OpenAPI at /api/openapi.json)')
    .option('--port <n>', 'port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <file>', 'demo users created on first start (default web/seed-users.yaml)')
    .addHelpText('after', '\nOn the first start (no users yet) the seed users are created with random passwords, printed once to stderr.')
    .action(
      action(async ({ config, log }, raw: Record<string, unknown>) => {
        const opts = ServeOpts.parse(raw);
        const { openStore } = await import('../../store/es.ts');
        const { migrate } = await import('../../index-mappings/migrate.ts');
        const { loadIndexDefinitions } = await import('../../index-mappings/definitions.ts');
        const { startWebApp, accountsText } = await import('../../web/start.ts');
        const store = await openStore(config, log);
        // The users and sessions indices are new: make sure every index exists before serving.
        await migrate(store.client, { prefix: config.elasticsearch.indexPrefix, definitions: loadIndexDefinitions(), shards: config.elasticsearch.shards, replicas: config.elasticsearch.replicas, log });
        const web = await startWebApp(store, config, log, { port: opts.port, host: opts.host, seed: opts.seed });
        process.stderr.write(`\n${accountsText(web.created)}\n\nweb app on ${web.url} (Ctrl-C to stop)\n`);
        const { onShutdown } = await import('../../lib/shutdown.ts');
        await new Promise<void>((done) => onShutdown(() => void web.close().then(() => store.close()).then(done)));
      }),
    );
}
