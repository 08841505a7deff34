import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { action, UsageError } from '../run-action.ts';
import { formatTable } from '../table.ts';

const RULES_HELP = 'rules folder (or one file); default: the shipped rules with the office\'s edits from <storageDir>/rules';

/** The given rules folder or file; without one, what the monitor itself runs (defaults overlaid by the office's edits). */
async function loadEngine(rulesPath: string | undefined, storageDir: string) {
  const { loadRules, parseRuleFiles } = await import('../../rules/engine/load.ts');
  const { loadCalendar } = await import('../../rules/calendar/calendar.ts');
  const { loadRegimes } = await import('../../rules/legal/regimes.ts');
  const regimes = loadRegimes();
  const calendar = loadCalendar();
  if (rulesPath === undefined) {
    const { loadEffectiveRules } = await import('../../rules/engine/layers.ts');
    return { rules: loadEffectiveRules(storageDir, { regimes }), regimes, calendar };
  }
  const path = resolve(rulesPath);
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`rules path ${path} does not exist`);
  }
  const { readFileSync } = await import('node:fs');
  const rules = isDir ? loadRules(path, { regimes }) : parseRuleFiles([{ file: path, text: readFileSync(path, 'utf8') }], { regimes });
  return { rules, regimes, calendar };
}

const hostOf = (url: unknown) => {
  try {
    return typeof url === 'string' ? new URL(url).hostname : null;
  } catch {
    return null;
  }
};

/** Outlets and time span of each story in a batch of tagged articles (for the amplification rules). */
function storiesOf(lines: string[]): Map<string, { outlets: number; articleCount: number; firstSeen: string | null }> {
  const acc = new Map<string, { outlets: Set<string>; count: number; first: string | null }>();
  for (const line of lines) {
    let a: { storyId?: unknown; outlet?: unknown; url?: unknown; publishedAt?: unknown };
    try {
      a = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof a.storyId !== 'string') continue;
    const s = acc.get(a.storyId) ?? { outlets: new Set<string>(), count: 0, first: null };
    const outlet = typeof a.outlet === 'string' ? a.outlet : (a.outlet as { id?: string } | null)?.id ?? hostOf(a.url);
    if (outlet) s.outlets.add(outlet);
    s.count++;
    if (typeof a.publishedAt === 'string' && (!s.first || a.publishedAt < s.first)) s.first = a.publishedAt;
    acc.set(a.storyId, s);
  }
  return new Map([...acc].map(([id, s]) => [id, { outlets: s.outlets.size, articleCount: s.count, firstSeen: s.first }]));
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('flag articles that need an official response, a correction request or escalation');

  rules
    .command('check')
    .description('read tagged articles (JSONL from `monitor tag`) and write flags as JSONL')
    .option('--rules <dir>', RULES_HELP)
    .option('--in <file>', 'read JSONL from this file instead of stdin')
    .option('--out <file>', 'write JSONL to this file instead of stdout')
    .addHelpText('after', '\nOutput, one flag per line: {articleId, agencyId, ruleId, kind, priority, deadline, regime, reasons}.\nBad input lines are reported on stderr with their number and skipped.')
    .action(
      action(async ({ config }, opts: { rules?: string; in?: string; out?: string }) => {
        const { checkJsonl } = await import('../../rules/engine/check.ts');
        const engine = await loadEngine(opts.rules, config.storageDir);
        const lines: string[] = [];
        for await (const line of createInterface({ input: opts.in ? createReadStream(opts.in, 'utf8') : process.stdin, crlfDelay: Infinity })) lines.push(line);
        const stories = storiesOf(lines);
        const output = opts.out ? createWriteStream(opts.out) : process.stdout;
        let flags = 0;
        for await (const flag of checkJsonl(lines, engine.rules, {
          calendar: engine.calendar,
          regimes: engine.regimes,
          storyInfo: (id) => stories.get(id) ?? null,
          onError: (e) => process.stderr.write(`line ${e.line}: ${e.message}; skipped\n`),
        })) {
          flags++;
          if (!output.write(`${flag}\n`)) await new Promise<void>((r) => output.once('drain', () => r()));
        }
        if (opts.out) await new Promise<void>((r) => (output as ReturnType<typeof createWriteStream>).end(() => r()));
        process.stderr.write(`${flags} flag(s)\n`);
      }),
    );

  rules
    .command('validate')
    .description('check rule files against the schema and the legal parameters; errors name file and line')
    .option('--rules <dir>', RULES_HELP)
    .action(
      action(async ({ config, out }, opts: { rules?: string }) => {
        const engine = await loadEngine(opts.rules, config.storageDir);
        out(`ok: ${engine.rules.rules.length} rule(s) in ${opts.rules ?? 'rules/default with the office\'s edits'}`);
      }),
    );

  rules
    .command('test')
    .description('backtest rules over the indexed articles and print what they would flag')
    .requiredOption('--rules <path>', 'rules file or folder to try')
    .option('--since <date>', 'only articles published since this day (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many articles', '5000')
    .action(
      action(async ({ config, log, out }, raw: { rules: string; since?: string; limit: string }) => {
        const opts = z
          .object({ rules: z.string(), since: z.iso.date({ message: '--since must be a date like 2026-11-01' }).optional(), limit: z.coerce.number().int().positive() })
          .parse(raw);
        const { evaluateRules } = await import('../../rules/engine/evaluate.ts');
        const { openStore } = await import('../../store/es.ts');
        const engine = await loadEngine(opts.rules, config.storageDir);
        const store = await openStore(config, log);
        try {
          const res = await store.client.search<Record<string, unknown>>({
            index: store.names.alias('articles'),
            query: opts.since ? { range: { publishedAt: { gte: `${opts.since}T00:00:00+07:00` } } } : { match_all: {} },
            sort: [{ publishedAt: { order: 'desc', missing: '_last' } }],
            size: Math.min(opts.limit, 10_000),
            ignore_unavailable: true,
            allow_no_indices: true,
          });
          const rows: string[][] = [];
          for (const hit of res.hits.hits) {
            const flags = evaluateRules(hit._source as never, engine.rules, { calendar: engine.calendar, regimes: engine.regimes });
            for (const f of flags) {
              const title = String((hit._source as { title?: string }).title ?? '').slice(0, 60);
              rows.push([f.ruleId, f.kind, String(f.priority), f.agencyId, f.deadline ?? '-', title]);
            }
          }
          out(formatTable(['rule', 'kind', 'priority', 'agency', 'deadline', 'article'], rows));
          out(`\n${rows.length} flag(s) over ${res.hits.hits.length} article(s)${opts.since ? ` since ${opts.since}` : ''}`);
        } finally {
          await store.close();
        }
      }),
    );
}
