#!/usr/bin/env node
import { Command } from 'commander';
import { registerAlerts } from './commands/alerts.ts';
import { registerBackfill } from './commands/backfill.ts';
import { registerCases } from './commands/cases.ts';
import { registerCrawl } from './commands/crawl.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDigest } from './commands/digest.ts';
import { registerEs } from './commands/es.ts';
import { registerExtract } from './commands/extract.ts';
import { registerRules } from './commands/rules.ts';
import { registerRun } from './commands/run.ts';
import { registerTag } from './commands/tag.ts';

/**
 * The one `monitor` command. Only the command's own output goes to stdout (JSON, JSONL, tables);
 * logs go to stderr, so output can be piped.
 */
const program = new Command('monitor')
  .description('Press monitoring for Vietnamese provincial agencies: crawl, tag, flag, alert, digest.')
  .showHelpAfterError()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerEs(program);
registerCrawl(program);
registerExtract(program);
registerTag(program);
registerRules(program);
registerCases(program);
registerDemo(program);
registerRun(program);
registerBackfill(program);
registerDigest(program);
registerAlerts(program);
(await import('./commands/serve.ts')).registerServe(program);

await program.parseAsync(process.argv);
