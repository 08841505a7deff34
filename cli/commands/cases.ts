import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Store } from '../../store/es.ts';
import { action, UsageError, type CommandContext } from '../run-action.ts';
import { formatTable } from '../table.ts';

const STATES = ['moi', 'dang-xu-ly', 'da-phat-ngon', 'da-gui-de-nghi-cai-chinh', 'bao-da-cai-chinh', 'dong', 'khong-can-xu-ly'] as const;

const ListOpts = z.object({ agency: z.string().min(1).optional(), state: z.enum(STATES).optional(), overdue: z.boolean().default(false), json: z.boolean().default(false) });
const LetterOpts = z.object({
  case: z.string().regex(/^[0-9a-f]{64}$/, '--case must be a case id (64 hex characters)'),
  points: z.string().min(1),
  format: z.enum(['docx', 'pdf']),
  out: z.string().min(1),
  by: z.string().min(1).default('cli'),
});
const RecheckOpts = z.object({ case: z.string().regex(/^[0-9a-f]{64}$/).optional() });
const ReportOpts = z.object({ from: z.iso.date(), to: z.iso.date(), agency: z.string().min(1).optional() });

async function withStore<T>(ctx: CommandContext, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../../store/es.ts');
  const store = await openStore(ctx.config, ctx.log);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerCases(program: Command): void {
  const cases = program.command('cases').description('follow cases (agency × story) from "mới" to closed: list, correction letters, re-checks');

  cases
    .command('list')
    .description('list cases, most urgent first')
    .option('--agency <id>', 'only this agency')
    .option('--state <state>', `only this state (${STATES.join(', ')})`)
    .option('--overdue', 'only cases overdue for the agency or for the outlet')
    .option('--json', 'JSONL output, one case per line')
    .action(
      action(async (ctx, raw: Record<string, unknown>) => {
        const opts = ListOpts.parse(raw);
        const { listCases } = await import('../../rules/cases/query.ts');
        const rows = await withStore(ctx, (store) => listCases(store, { agencyId: opts.agency, state: opts.state, overdue: opts.overdue }, () => new Date()));
        if (opts.json) {
          for (const c of rows) ctx.out(JSON.stringify(c));
          return;
        }
        const overdue = (o: { agency: boolean; outlet: boolean }) => [o.agency ? 'cơ quan' : '', o.outlet ? 'báo' : ''].filter(Boolean).join(', ');
        ctx.out(
          formatTable(
            ['case', 'agency', 'state', 'priority', 'deadline', 'outlet deadline', 'overdue', 'title'],
            rows.map((c) => [c.id.slice(0, 12), c.agencyId, c.stateLabel, String(c.priority), c.deadline ?? '', c.outletDeadline ?? '', overdue(c.overdue), (c.title ?? '').slice(0, 60)]),
          ),
        );
      }),
    );

  cases
    .command('letter')
    .description('write the correction request letter of a case (NĐ 30/2020 format) as DOCX or PDF')
    .requiredOption('--case <id>', 'case id')
    .requiredOption('--points <file>', 'JSON: issuer, number, place, points [{claim, fact}], signer … (rules/cases/letter/input.ts)')
    .requiredOption('--format <format>', 'docx or pdf')
    .requiredOption('--out <file>', 'output file')
    .option('--by <user>', 'who writes the letter (recorded on the case)')
    .action(
      action(async (ctx, raw: Record<string, unknown>) => {
        const opts = LetterOpts.parse(raw);
        let input: unknown;
        try {
          input = JSON.parse(readFileSync(resolve(opts.points), 'utf8'));
        } catch (err) {
          throw new UsageError(`--points ${opts.points}: ${(err as Error).message}`);
        }
        const { LetterInput } = await import('../../rules/cases/letter/input.ts');
        const letterInput = LetterInput.parse(input);
        const { getCase, mutateCase } = await import('../../rules/cases/repo.ts');
        const { buildLetter } = await import('../../rules/cases/letter/content.ts');
        const { defaultCaseContext } = await import('../../rules/cases/context.ts');
        const { isoNow } = await import('../../rules/cases/deadlines.ts');
        await withStore(ctx, async (store) => {
          const found = await getCase(store, opts.case);
          if (!found) throw new UsageError(`case ${opts.case} not found`);
          const now = new Date();
          const letter = buildLetter(found.doc, letterInput, defaultCaseContext(), now);
          const { renderLetter } = await import('../../rules/cases/letter/render.ts');
          const bytes = await renderLetter(letter, opts.format);
          const out = resolve(opts.out);
          writeFileSync(out, bytes);
          await mutateCase(store, opts.case, (c) => ({ ...c, letters: [...c.letters, { at: isoNow(now), by: opts.by, number: letterInput.number, format: opts.format, file: out }] }));
          ctx.log.info({ case: opts.case, out, bytes: bytes.length }, 'letter written');
          ctx.out(out);
        });
      }),
    );

  cases
    .command('recheck')
    .description('re-fetch the flagged articles of open cases; record edits (with a diff) and removals')
    .option('--case <id>', 'only this case')
    .action(
      action(async (ctx, raw: Record<string, unknown>) => {
        const opts = RecheckOpts.parse(raw);
        const { httpFetch } = await import('../../crawlers/fetch/http-fetch.ts');
        const { recheckCase, recheckOpenCases } = await import('../../rules/cases/evidence.ts');
        const deps = { fetch: (url: string) => httpFetch(url), storageDir: resolve(ctx.config.storageDir), clock: () => new Date() };
        const results = await withStore(ctx, async (store) => (opts.case ? new Map([[opts.case, await recheckCase(store, opts.case, deps)]]) : recheckOpenCases(store, deps)));
        const rows = [...results].flatMap(([id, entries]) => entries.map((e) => [id.slice(0, 12), e.outcome, String(e.status ?? ''), e.url]));
        ctx.out(formatTable(['case', 'outcome', 'status', 'url'], rows));
      }),
    );

  cases
    .command('report')
    .description('NĐ 244/2026 counts per agency: statements on time (24 h), correction requests / false-information cases')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--agency <id>', 'only this agency')
    .action(
      action(async (ctx, raw: Record<string, unknown>) => {
        const opts = ReportOpts.parse(raw);
        const { nd244Report } = await import('../../rules/cases/report.ts');
        const rows = await withStore(ctx, (store) => nd244Report(store, { from: opts.from, to: opts.to, ...(opts.agency ? { agencyId: opts.agency } : {}) }));
        ctx.out(
          formatTable(
            ['agency', 'statements on time', 'written replies / requests'],
            rows.map((r) => [r.agencyId, `${r.statementsOnTime}/${r.statementCases}`, `${r.writtenReplies}/${r.falseInfoCases}`]),
          ),
        );
      }),
    );
}
