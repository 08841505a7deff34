import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions } from '../options.ts';
import { action } from '../run-action.ts';

const Options = z.object({
  once: z.boolean().default(false),
  speed: z.coerce.number().positive().default(120),
  poll: z.coerce.number().int().min(5).default(60),
  fresh: z.boolean().default(false),
  port: z.coerce.number().int().min(1).max(65535).default(8080),
  newsPort: z.coerce.number().int().min(1).max(65530).default(18081),
  mailPort: z.coerce.number().int().min(1).max(65535).default(2525),
  inboxPort: z.coerce.number().int().min(1).max(65535).default(8790),
  keepEs: z.boolean().default(false),
});

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole job on the embedded defaults: local Elasticsearch, the sample news web, crawl → pipeline → rules → index → alerts (local mail sink) → digest, with the web app')
    .option('--once', 'one crawl of everything published so far, then a report (no clock running)')
    .option('--speed <n>', 'sample-web clock speed: fixture seconds per real second', '120')
    .option('--poll <seconds>', 'polling interval of the sample outlets (adapted by the scheduler as in production)', '60')
    .option('--fresh', 'start over: forget earlier demo runs (crawl state, mails, digests and, on the local node, the indices)')
    .option('--port <n>', 'port of the web app (continuous mode); /metrics and /healthz on the next port', '8080')
    .option('--news-port <n>', 'first of five ports for the sample news web outlets', '18081')
    .option('--mail-port <n>', 'SMTP port of the demo mail sink', '2525')
    .option('--inbox-port <n>', "port of the demo inbox (mails and the sample directory's webhooks)", '8790')
    .option('--keep-es', 'leave the local Elasticsearch node running at the end (by default the demo stops the node if it started it)')
    .action(
      action(async ({ config, log, out }, raw: Record<string, unknown>) => {
        const o = parseOptions(Options, raw);
        const { runDemo } = await import('../../runner/demo/demo.ts');
        await runDemo(config, log, { once: o.once, speed: o.speed, pollSeconds: o.poll, fresh: o.fresh, webPort: o.port, newsWebPort: o.newsPort, mailPort: o.mailPort, inboxPort: o.inboxPort, keepElasticsearch: o.keepEs, out });
      }),
    );
}
