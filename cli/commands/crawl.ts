import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { SourceSummary } from '../../crawlers/summary.ts';
import type { RawArticle } from '../../model/records.ts';
import { inShard, Shard } from '../../runner/shard.ts';
import { collect, parseOptions, selectSources } from '../options.ts';
import { action } from '../run-action.ts';
import { summaryTable } from '../table.ts';

const Options = z.object({
  source: z.array(z.string()).optional(),
  sources: z.array(z.string()).optional(),
  since: z.iso.date({ message: '--since must be a date like 2026-11-01' }).optional(),
  maxPages: z.coerce.number().int().positive({ message: '--max-pages must be a positive whole number' }).optional(),
  out: z.string().optional(),
  json: z.boolean().optional(),
  shard: Shard.optional(),
});

export function registerCrawl(program: Command): void {
  program
    .command('crawl')
    .description('crawl sources once: discover, fetch what is new, extract, and print a summary')
    .option('--source <id>', 'only this source (repeatable)', collect)
    .option('--sources <path>', 'sources registry file or folder instead of the default (repeatable)', collect)
    .option('--since <date>', 'skip articles the feeds/sitemaps date before this day (YYYY-MM-DD)')
    .option('--max-pages <n>', 'fetch at most this many pages per source')
    .option('--out <file.jsonl>', 'write the extracted RawArticle records as JSONL')
    .option('--json', 'print the summary as JSON instead of a table')
    .option('--shard <i/n>', 'crawl only the i-th of n disjoint parts of the sources (one worker of n)')
    .action(
      action(async ({ config, log, out }, raw: Record<string, unknown>) => {
        const opts = parseOptions(Options, raw);
        const sources = inShard(selectSources(opts), opts.shard);
        const file = opts.out ? createWriteStream(opts.out, { flags: 'a' }) : null;
        const tty = process.stderr.isTTY;
        // Loaded on use: crawlee and Playwright take seconds to import.
        const { crawl } = await import('../../crawlers/crawl.ts');
        const summaries: SourceSummary[] = await crawl(sources, {
          stateDir: resolve(config.storageDir, 'crawl-state'),
          log,
          since: opts.since ? new Date(`${opts.since}T00:00:00+07:00`) : undefined,
          maxPages: opts.maxPages,
          sink: async (article: RawArticle) => {
            if (file && !file.write(`${JSON.stringify(article)}\n`)) await new Promise<void>((r) => file.once('drain', () => r()));
          },
          onProgress: (p) => {
            if (tty) process.stderr.write(`\r${p.sourceId}: ${p.fetched}/${p.toFetch} fetched, ${p.extracted} extracted   `);
          },
        });
        if (tty) process.stderr.write('\n');
        if (file) await new Promise<void>((r) => file.end(() => r()));
        out(opts.json ? JSON.stringify(summaries) : summaryTable(summaries));
      }),
    );
}
