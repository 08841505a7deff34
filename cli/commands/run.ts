import { type Command, Option } from 'commander';
import { z } from 'zod';
import { Shard } from '../../runner/shard.ts';
import { collect, parseOptions, selectSources } from '../options.ts';
import { action } from '../run-action.ts';

const Port = z.coerce.number().int().min(0).max(65535);
const Options = z.object({
  source: z.array(z.string()).optional(),
  sources: z.array(z.string()).optional(),
  shard: Shard.optional(),
  web: z.boolean().default(true),
  webPort: Port.default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  metricsPort: Port.default(9464),
  maxTurns: z.coerce.number().int().positive().optional(),
  screenshots: z.boolean().default(true),
});

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('the long-running monitor: crawl sources when due (adaptive), pipeline, rules, index, alerts, digests; serves the web app, /metrics and /healthz; Ctrl-C stops between turns')
    .option('--source <id>', 'only this source (repeatable)', collect)
    .option('--sources <path>', 'sources registry file or folder instead of the default (repeatable)', collect)
    .option('--shard <i/n>', 'crawl only the i-th of n disjoint parts of the sources (one worker of n)')
    .option('--web-port <n>', 'port of the web app', '8080')
    .option('--no-web', 'do not serve the web app from this process (run `monitor serve` separately)')
    .option('--host <host>', 'address the web app and the metrics port listen on', '127.0.0.1')
    .option('--metrics-port <n>', 'port of /metrics (Prometheus) and /healthz', '9464')
    .option('--no-screenshots', 'evidence snapshots without Chromium screenshots and PDFs')
    .addOption(new Option('--max-turns <n>', 'stop after n turns (tests)').hideHelp())
    .action(
      action(async ({ config, log, out }, raw: Record<string, unknown>) => {
        const opts = parseOptions(Options, raw);
        const { inShard } = await import('../../runner/shard.ts');
        const { runMonitor } = await import('../../runner/run.ts');
        const sources = inShard(selectSources(opts), opts.shard);
        if (opts.shard) log.info({ shard: `${opts.shard.index}/${opts.shard.count}`, sources: sources.map((s) => s.id) }, 'this worker crawls its shard of the sources');
        const stop = new AbortController();
        const { onShutdown } = await import('../../lib/shutdown.ts');
        onShutdown(() => stop.abort());
        await runMonitor(config, log, {
          sources,
          signal: stop.signal,
          onTurn: out,
          maxTurns: opts.maxTurns,
          screenshots: opts.screenshots,
          web: opts.web ? { port: opts.webPort, host: opts.host } : undefined,
          observe: { port: opts.metricsPort, host: opts.host },
          onReady: ({ web, observe }) => {
            if (web) process.stderr.write(`web app on ${web.url}\n`);
            if (observe) process.stderr.write(`metrics on ${observe.url}metrics, health on ${observe.url}healthz\n`);
          },
        });
      }),
    );
}
