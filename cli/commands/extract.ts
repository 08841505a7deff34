import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { extractFromBytes } from '../../crawlers/extract/index.ts';
import { action, UsageError } from '../run-action.ts';

const Input = z.object({
  url: z.url({ protocol: /^https?$/, message: '--url must be the http(s) address the page was fetched from' }),
  file: z.string().min(1),
  contentType: z.string().optional(),
  debug: z.boolean().optional(),
});

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('extract one article from a saved HTML page and print it as JSON')
    .argument('<file>', 'the HTML file as fetched (any charset), or - for stdin')
    .requiredOption('--url <url>', 'the URL the page was fetched from (resolves relative links, canonical URL)')
    .option('--content-type <value>', 'the HTTP Content-Type header, if known (charset hint)')
    .option('--debug', 'also print why fields are missing and the detected charset')
    .action(
      action(async ({ out }, file: string, options: { url: string; contentType?: string; debug?: boolean }) => {
        const input = Input.safeParse({ file, ...options });
        if (!input.success) throw new UsageError(input.error.issues.map((i) => i.message).join('; '));
        let bytes: Buffer;
        try {
          bytes = input.data.file === '-' ? readFileSync(0) : readFileSync(input.data.file);
        } catch (err) {
          throw new UsageError(`cannot read ${input.data.file}: ${(err as Error).message}`);
        }
        const a = extractFromBytes(bytes, { url: input.data.url, contentType: input.data.contentType });
        const record = {
          url: a.url,
          canonicalUrl: a.canonicalUrl,
          title: a.title,
          sapo: a.sapo,
          body: a.body,
          author: a.author,
          publishedAt: a.publishedAt,
          modifiedAt: a.modifiedAt,
          section: a.section,
          tags: a.tags,
          image: a.image,
          lang: a.lang,
          ...(input.data.debug ? { missing: a.missing, charset: a.charset } : {}),
        };
        out(JSON.stringify(record));
      }),
    );
}
