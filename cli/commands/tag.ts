import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import type { PipelineDeps } from '../../pipeline/process.ts';
import { action } from '../run-action.ts';

/** One input line of `monitor tag`; unknown fields are kept and written back. */
export const TagInput = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    url: z.string().nullish(),
    outlet: z
      .union([z.string(), z.object({ id: z.string().optional(), name: z.string().optional(), province: z.string().optional(), level: z.string().optional(), kind: z.string().optional() })])
      .nullish(),
    title: z.string(),
    sapo: z.string().nullish(),
    body: z.string(),
    publishedAt: z.string().nullish(),
  })
  .loose();
type TagInput = z.infer<typeof TagInput>;

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
}

export function registerTag(program: Command): void {
  program
    .command('tag')
    .description('tag articles (JSONL in) with the agencies they concern, sensitivity, copies and stories (JSONL out)')
    .option('--in <file>', 'read JSONL from this file instead of stdin')
    .option('--out <file>', 'write JSONL to this file instead of stdout')
    .option('--index', 'also cluster against the copies and stories already in Elasticsearch')
    .addHelpText(
      'after',
      '\nInput, one JSON object per line: {id, url?, outlet?, title, sapo?, body, publishedAt?}.\n' +
        'Output: the input plus agencies[], unresolved[], sensitivity {level, score, tone, categories, reasons},\n' +
        'duplicateOf and storyId. Lines that are not valid are reported on stderr with their number and skipped.',
    )
    .action(
      action(async ({ config, log }, opts: { in?: string; out?: string; index?: boolean }) => {
        const { createPipelineDeps } = await import('../../pipeline/deps.ts');
        const { processArticle, chronological } = await import('../../pipeline/process.ts');
        const { resolveOutlet } = await import('../../pipeline/outlets.ts');
        const { loadSources } = await import('../../crawlers/sources/load.ts');
        const sources = loadSources();
        const store = opts.index ? await (await import('../../store/es.ts')).openStore(config, log) : null;
        try {
          const deps: PipelineDeps = await createPipelineDeps({ store, readOnly: true });
          const input = opts.in ? createReadStream(opts.in, 'utf8') : process.stdin;
          const output = opts.out ? createWriteStream(opts.out) : process.stdout;
          const items: Array<{ line: number; data: TagInput }> = [];
          let lineNo = 0;
          let bad = 0;
          for await (const line of createInterface({ input, crlfDelay: Infinity })) {
            lineNo++;
            if (line.trim() === '') continue;
            let json: unknown;
            try {
              json = JSON.parse(line);
            } catch (err) {
              bad++;
              process.stderr.write(`line ${lineNo}: not valid JSON (${(err as Error).message}); skipped\n`);
              continue;
            }
            const parsed = TagInput.safeParse(json);
            if (!parsed.success) {
              bad++;
              process.stderr.write(`line ${lineNo}: ${issuesText(parsed.error)}; skipped\n`);
              continue;
            }
            const data = parsed.data;
            if (data.publishedAt && Number.isNaN(Date.parse(data.publishedAt))) {
              process.stderr.write(`line ${lineNo}: publishedAt "${data.publishedAt}" is not a date; treated as unknown\n`);
              data.publishedAt = null;
            }
            items.push({ line: lineNo, data });
          }
          // Clustering wants the earliest publication first; output keeps the input order.
          const order = chronological(items.map((i) => ({ ...i.data, id: String(i.line), fetchedAt: null })));
          const byLine = new Map(items.map((i) => [String(i.line), i]));
          const results = new Map<string, Record<string, unknown>>();
          for (const a of order) {
            const item = byLine.get(a.id)!;
            try {
              const outlet = resolveOutlet(item.data.outlet, item.data.url, item.data.publishedAt ?? null, sources);
              const r = await processArticle({ ...item.data, fetchedAt: null }, outlet, deps);
              results.set(`${item.line}`, {
                ...item.data,
                agencies: r.agencies,
                unresolved: r.unresolved,
                sensitivity: r.sensitivity,
                duplicateOf: r.duplicateOf,
                storyId: r.storyId,
              });
            } catch (err) {
              bad++;
              log.error({ line: item.line, error: (err as Error).message }, 'could not tag');
              process.stderr.write(`line ${item.line}: ${(err as Error).message}; skipped\n`);
            }
          }
          for (const item of items) {
            const r = results.get(`${item.line}`);
            if (r && !output.write(`${JSON.stringify(r)}\n`)) await new Promise<void>((res) => output.once('drain', () => res()));
          }
          if (opts.out) await new Promise<void>((res) => (output as ReturnType<typeof createWriteStream>).end(() => res()));
          log.info({ tagged: results.size, skipped: bad }, 'tag finished');
        } finally {
          await store?.close();
        }
      }),
    );
}
