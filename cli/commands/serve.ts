import { resolve } from 'node:path';
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
        const { buildApp } = await import('../../web/app.ts');
        const { seedUsers } = await import('../../web/seed.ts');
        const store = await openStore(config, log);
        // The users and sessions indices are new: make sure every index exists before serving.
        await migrate(store.client, { prefix: config.elasticsearch.indexPrefix, definitions: loadIndexDefinitions(), shards: config.elasticsearch.shards, replicas: config.elasticsearch.replicas, log });
        const created = await seedUsers(store, new Date(), opts.seed);
        if (created.length) {
          // Written straight to stderr, not through the logger: log files must never hold passwords.
          process.stderr.write(`\nDemo accounts created (shown once, change them in Quản trị):\n${created.map((u) => `  ${u.username.padEnd(16)} ${u.role.padEnd(8)} ${u.password}`).join('\n')}\n\n`);
        }
        const storageDir = resolve(config.storageDir);
        const { app } = await buildApp({
          store,
          clock: () => new Date(),
          log,
          storageDir,
          crawlStateDirs: [resolve(storageDir, 'crawl-state'), resolve(storageDir, 'demo', 'crawl-state')],
        });
        await app.listen({ port: opts.port, host: opts.host });
        process.stderr.write(`web app on http://${opts.host}:${opts.port}/ (Ctrl-C to stop)\n`);
        await new Promise<void>((done) => {
          const stop = () => void app.close().then(() => store.close()).then(done);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}
