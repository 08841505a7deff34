import type { Command } from 'commander';
import { z } from 'zod';
import { action, UsageError } from '../run-action.ts';

const Options = z.object({
  once: z.boolean().default(false),
  speed: z.coerce.number().positive().default(120),
  poll: z.coerce.number().int().min(1).default(20),
  fresh: z.boolean().default(false),
  port: z.coerce.number().int().min(1).max(65535).default(8080),
  newsPort: z.coerce.number().int().min(1).max(65530).default(18081),
});

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole job on the embedded defaults: local Elasticsearch, the sample news web, crawl → pipeline → rules → index')
    .option('--once', 'one crawl of everything published so far, then a report (no clock running)')
    .option('--speed <n>', 'sample-web clock speed: fixture seconds per real second', '120')
    .option('--poll <seconds>', 'seconds between crawls', '20')
    .option('--fresh', 'forget what earlier demo runs crawled')
    .option('--port <n>', 'port of the web app (continuous mode)', '8080')
    .option('--news-port <n>', 'first of five ports for the sample news web outlets', '18081')
    .action(
      action(async ({ config, log, out }, raw: Record<string, unknown>) => {
        const parsed = Options.safeParse(raw);
        if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const { runDemo } = await import('../../runner/demo.ts');
        await runDemo(config, log, { once: parsed.data.once, speed: parsed.data.speed, pollSeconds: parsed.data.poll, fresh: parsed.data.fresh, webPort: parsed.data.port, newsWebPort: parsed.data.newsPort, out });
      }),
    );
}
