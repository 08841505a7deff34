/**
 * Regenerate the `generated:` section of holidays.yaml.
 *
 *   npx tsx rules/calendar/generate-holidays.ts --from 2016 --to 2035 [--file rules/calendar/holidays.yaml] [--check]
 *
 * Everything before the line `generated:` (definitions, decisions, comments) is kept byte for byte; the
 * section itself is rewritten from the definitions, so running the command twice gives the same file.
 * `--check` writes nothing and exits 1 when the file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../../lib/log.ts';
import { DataFileError, parseYamlText } from '../../lib/yaml-file.ts';
import { generateYears, renderGenerated } from './generate.ts';
import { HolidaysFile } from './schema.ts';

export const DEFAULT_HOLIDAYS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'holidays.yaml');

/** The file text with its `generated:` section replaced. */
export function regenerate(file: string, text: string, from: number, to: number): string {
  const { data } = parseYamlText(file, text, HolidaysFile);
  const years = generateYears(data, from, to);
  const command = `npx tsx rules/calendar/generate-holidays.ts --from ${from} --to ${to}`;
  const match = /^generated:/m.exec(text);
  const head = match ? text.slice(0, match.index) : text.endsWith('\n') ? text + '\n' : text + '\n\n';
  return head + renderGenerated(command, from, to, years);
}

function parseArgs(argv: string[]): { from: number; to: number; file: string; check: boolean } {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = Number(get('--from') ?? 2016);
  const to = Number(get('--to') ?? 2035);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to || from < 1900 || to > 2199) {
    throw new Error(`bad year range --from ${String(get('--from'))} --to ${String(get('--to'))}`);
  }
  return { from, to, file: get('--file') ?? DEFAULT_HOLIDAYS_FILE, check: argv.includes('--check') };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const text = readFileSync(args.file, 'utf8');
  const next = regenerate(args.file, text, args.from, args.to);
  if (args.check) {
    if (next !== text) {
      log.error({ file: args.file }, 'holidays.yaml is out of date: run the generator');
      return 1;
    }
    log.info({ file: args.file }, 'holidays.yaml is up to date');
    return 0;
  }
  writeFileSync(args.file, next);
  log.info({ file: args.file, from: args.from, to: args.to, changed: next !== text }, 'holidays generated');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      log.error(err instanceof DataFileError ? err.message : String(err instanceof Error ? err.stack : err));
      process.exit(2);
    },
  );
}
