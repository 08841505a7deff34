import type { Command } from 'commander';
import { z } from 'zod';
import { action } from '../run-action.ts';
import { formatTable } from '../table.ts';

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('alerts to agencies: match new articles against subscriptions and deliver by e-mail and webhook');

  alerts
    .command('run')
    .description('match the articles indexed since the last run, then deliver every due alert (pending ones left by a crash included)')
    .option('--directory <file>', 'import this agency directory (YAML/JSON) first')
    .option('--json', 'print the result as JSON')
    .action(
      action(async ({ config, log, out }, raw: { directory?: string; json?: boolean }) => {
        const opts = z.object({ directory: z.string().min(1).optional(), json: z.boolean().optional() }).parse(raw);
        const { openStore } = await import('../../store/es.ts');
        const { runAlerts, notifySettings } = await import('../../notify/run.ts');
        const settings = notifySettings(config);
        const cfg = opts.directory ? { ...config, notify: { ...settings, directoryFile: opts.directory } } : config;
        const store = await openStore(cfg, log);
        try {
          const r = await runAlerts({ store, config: cfg, log, now: () => new Date() });
          if (opts.json) out(JSON.stringify(r));
          else if (r.busy) out(`another alerts run holds the lease until ${r.busy.until} (${r.busy.owner}); this run sent nothing`);
          else
            out(
              formatTable(
                ['articles', 'matches', 'alerts planned', 'messages', 'sent', 'dead', 'waiting (no SMTP)'],
                [[r.articles, r.matches, r.alertsPlanned, r.delivery.messages, r.delivery.sent, r.delivery.dead, r.delivery.skipped].map(String)],
              ),
            );
        } finally {
          await store.close();
        }
      }),
    );

  alerts
    .command('dead-letters')
    .description('alerts given up after every retry, newest first')
    .option('--json', 'print JSON lines')
    .option('--requeue', 'put them back in the queue (after the receiver was fixed)')
    .action(
      action(async ({ config, log, out }, raw: { json?: boolean; requeue?: boolean }) => {
        const opts = z.object({ json: z.boolean().optional(), requeue: z.boolean().optional() }).parse(raw);
        const { openStore } = await import('../../store/es.ts');
        const { deadLetters, requeue } = await import('../../notify/alert-log.ts');
        const store = await openStore(config, log);
        try {
          const dead = await deadLetters(store);
          if (opts.json) for (const d of dead) out(JSON.stringify(d));
          else out(formatTable(['id', 'agency', 'channel', 'recipient', 'attempts', 'last error', 'at'], dead.map((d) => [d.id.slice(0, 12), d.agencyId, d.channel, d.recipient, String(d.attempts), (d.lastError ?? '').slice(0, 60), d.updatedAt])));
          if (opts.requeue && dead.length > 0) {
            await requeue(store, dead.map((d) => d.id), new Date());
            process.stderr.write(`${dead.length} alert(s) requeued\n`);
          }
        } finally {
          await store.close();
        }
      }),
    );
}
