import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { action, UsageError } from '../run-action.ts';

const Options = z.object({
  source: z.array(z.string()).optional(),
  sources: z.array(z.string()).optional(),
});

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('the long-running monitor: crawl sources when due (adaptive), pipeline, rules, index, alerts; Ctrl-C stops between turns')
    .option('--source <id>', 'only this source (repeatable)', collect)
    .option('--sources <path>', 'sources registry file or folder instead of the default (repeatable)', collect)
    .action(
      action(async ({ config, log, out }, raw: Record<string, unknown>) => {
        const opts = Options.parse(raw);
        const { loadSources } = await import('../../crawlers/sources/load.ts');
        const { runMonitor } = await import('../../runner/run.ts');
        let sources = loadSources(opts.sources?.map((p) => resolve(p))).filter((s) => s.enabled);
        if (opts.source) {
          const unknown = opts.source.filter((id) => !sources.some((s) => s.id === id));
          if (unknown.length) throw new UsageError(`unknown source(s): ${unknown.join(', ')}`);
          sources = sources.filter((s) => opts.source!.includes(s.id));
        }
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        process.once('SIGTERM', () => stop.abort());
        await runMonitor(config, log, { sources, signal: stop.signal, onTurn: out });
      }),
    );
}
