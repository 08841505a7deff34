import type { Command } from 'commander';
import { z } from 'zod';
import { collect, parseOptions, selectSources } from '../options.ts';
import { action } from '../run-action.ts';

const Options = z
  .object({
    source: z.string().min(1, { message: '--source is required' }),
    sources: z.array(z.string()).optional(),
    from: z.iso.date({ message: '--from must be a date like 2026-01-01' }),
    to: z.iso.date({ message: '--to must be a date like 2026-01-31' }),
    pagesPerPass: z.coerce.number().int().min(1).max(5000).default(200),
    listingDepth: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine((o) => o.from <= o.to, { message: '--from must not be after --to' });

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description("crawl a source's past articles of a period (deep sitemaps and listing pages), indexed pass by pass; resumable")
    .requiredOption('--source <id>', 'the source to backfill')
    .requiredOption('--from <date>', 'first day of the period (YYYY-MM-DD, local time)')
    .requiredOption('--to <date>', 'last day of the period (YYYY-MM-DD, local time)')
    .option('--sources <path>', 'sources registry file or folder instead of the default (repeatable)', collect)
    .option('--pages-per-pass <n>', 'pages fetched, then indexed and checkpointed, per pass', '200')
    .option('--listing-depth <n>', 'listing pages followed per listing', '50')
    .addHelpText('after', '\nInterrupt it at any time (Ctrl-C, or a crash): the same command carries on where it stopped.')
    .action(
      action(async ({ config, log, out }, raw: Record<string, unknown>) => {
        const opts = parseOptions(Options, raw);
        const source = selectSources({ source: [opts.source], sources: opts.sources })[0]!;
        const { backfill } = await import('../../runner/backfill.ts');
        const { SingleBar, Presets } = await import('cli-progress');
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: '{bar} {value}/{total} trang | lượt {pass} | đã lưu {indexed} bài | lỗi {failed} | còn {eta_formatted}', hideCursor: true }, Presets.shades_classic)
          : null;
        let started = false;
        const stop = new AbortController();
        const { onShutdown } = await import('../../lib/shutdown.ts');
        onShutdown(() => stop.abort());
        const result = await backfill(config, log, {
          source,
          from: new Date(`${opts.from}T00:00:00+07:00`),
          to: new Date(`${opts.to}T23:59:59.999+07:00`),
          pagesPerPass: opts.pagesPerPass,
          listingDepth: opts.listingDepth,
          signal: stop.signal,
          onProgress: (p) => {
            const payload = { pass: p.pass, indexed: p.indexed, failed: p.failed };
            if (!bar) return;
            if (!started) {
              bar.start(p.total, p.done, payload);
              started = true;
            }
            bar.setTotal(p.total);
            bar.update(p.done, payload);
          },
        });
        bar?.stop();
        out(
          `${source.id} ${opts.from} → ${opts.to}: ${result.finished ? 'finished' : 'stopped (run the same command to resume)'}; ${result.passes} pass(es), ${result.done} page(s), ${result.indexed} article(s) indexed, ${result.failed} failure(s)`,
        );
      }),
    );
}
