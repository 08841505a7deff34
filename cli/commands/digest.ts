import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions } from '../options.ts';
import { action, UsageError } from '../run-action.ts';
import { formatTable } from '../table.ts';

const Input = z.object({
  date: z.iso.date({ message: '--date must be a date like 2026-11-21' }),
  province: z.string().regex(/^\d{2}$/, '--province must be a 2-digit province code like 91'),
  agency: z.string().min(1).optional(),
  format: z.enum(['html', 'pdf', 'docx']),
  out: z.string().min(1).optional(),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '--time must be a local time like 07:00').optional(),
  archive: z.boolean(),
});

export function registerDigest(program: Command): void {
  const digest = program
    .command('digest')
    .description('the daily press review (điểm báo) for a province or one agency: the 24 h ending at 07:00 (Asia/Ho_Chi_Minh) of --date')
    .option('--date <YYYY-MM-DD>', 'day of the review')
    .option('--province <code>', '2-digit province code, e.g. 91')
    .option('--agency <id>', 'only this agency, e.g. 2025-91-so-y-te')
    .option('--format <fmt>', 'html | pdf | docx', 'html')
    .option('--out <file>', 'write here instead of stdout (required for pdf and docx)')
    .option('--time <HH:mm>', 'end of the period (default notify.digestTime, 07:00)')
    .option('--no-archive', 'do not keep a copy in the archive (storage dir + digests index)')
    .action(
      action(async ({ config, log, out }, raw: Record<string, unknown>) => {
        const opts = parseOptions(Input, raw);
        if (opts.format !== 'html' && !opts.out) throw new UsageError(`--out is required for --format ${opts.format}`);
        const { openStore } = await import('../../store/es.ts');
        const { generateDigest } = await import('../../notify/digest/generate.ts');
        const { loadDirectory } = await import('../../notify/directory/store.ts');
        const store = await openStore(config, log);
        try {
          const { outputs, digest: d, archived } = await generateDigest(
            store,
            { scope: { province: opts.province, agencyId: opts.agency ?? null }, date: opts.date, time: opts.time ?? config.notify?.digestTime ?? '07:00', directory: await loadDirectory(store), now: new Date() },
            { formats: [opts.format], ...(opts.archive ? { archiveDir: config.storageDir } : {}) },
          );
          const data = outputs[opts.format]!;
          if (opts.out) writeFileSync(opts.out, data);
          else out(String(data));
          process.stderr.write(`${d.title} ${d.orgName}: ${d.figures.total} tin, ${d.figures.needingAction} cần lưu ý${archived ? `; archived as ${archived.id}` : ''}\n`);
        } finally {
          await store.close();
        }
      }),
    );

  digest
    .command('scheduled')
    .description('produce, archive and e-mail the configured daily digests (notify.digests) that are due and not sent yet; what `monitor run` does each turn')
    .option('--json', 'print the outcomes as JSON')
    .action(
      action(async ({ config, log, out }, raw: { json?: boolean }) => {
        const opts = z.object({ json: z.boolean().optional() }).parse(raw);
        if (!config.notify?.digests.length) throw new UsageError('no scheduled digests: add notify.digests (province, optional agencyId and recipients) to the configuration');
        const { openStore } = await import('../../store/es.ts');
        const { produceScheduledDigests } = await import('../../notify/digest/schedule.ts');
        const store = await openStore(config, log);
        try {
          const outcomes = await produceScheduledDigests({ deps: { store, config }, now: new Date(), log });
          if (opts.json) out(JSON.stringify(outcomes));
          else out(formatTable(['id', 'status', 'e-mailed', 'recipients', 'until / error'], outcomes.map((o) => [o.id, o.status, o.emailed ? 'yes' : 'no', String(o.recipients.length), o.error ?? o.until ?? ''])));
          return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
        } finally {
          await store.close();
        }
      }),
    );

  digest
    .command('list')
    .description('archived digests, newest first')
    .option('--province <code>', 'only this province')
    .option('--agency <id>', 'only this agency')
    .action(
      action(async ({ config, log, out }, raw: { province?: string; agency?: string }) => {
        const opts = z.object({ province: z.string().optional(), agency: z.string().optional() }).parse(raw);
        const { openStore } = await import('../../store/es.ts');
        const { listDigests } = await import('../../notify/digest/archive.ts');
        const store = await openStore(config, log);
        try {
          const rows = await listDigests(store, { ...(opts.province ? { province: opts.province } : {}), ...(opts.agency ? { agencyId: opts.agency } : {}) });
          out(formatTable(['id', 'date', 'total', 'needing action', 'files'], rows.map((r) => [r.id, r.date, String(r.figures.total), String(r.figures.needingAction), Object.values(r.files).join(' ')])));
        } finally {
          await store.close();
        }
      }),
    );
}
