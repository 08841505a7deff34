/** One call from request to rendered (and optionally archived) digest, shared by the CLI and tests. */
import type { Store } from '../../store/es.ts';
import { archiveDigest, type ArchivedDigest, type DigestFormat } from './archive.ts';
import { renderCharts } from './charts.ts';
import { collectDigest, type DigestRequest } from './collect.ts';
import { renderDigestDocx } from './docx.ts';
import { renderDigestHtml } from './html.ts';
import type { Digest } from './model.ts';

export interface GeneratedDigest {
  digest: Digest;
  outputs: Partial<Record<DigestFormat, Buffer | string>>;
  archived: ArchivedDigest | null;
}

export async function generateDigest(
  store: Store,
  req: DigestRequest,
  opts: { formats: DigestFormat[]; archiveDir?: string },
): Promise<GeneratedDigest> {
  const digest = await collectDigest(store, req);
  const html = renderDigestHtml(digest, renderCharts(digest.figures));
  const outputs: GeneratedDigest['outputs'] = {};
  for (const fmt of opts.formats) {
    if (fmt === 'html') outputs.html = html;
    if (fmt === 'docx') outputs.docx = await renderDigestDocx(digest);
    if (fmt === 'pdf') {
      const { renderDigestPdf } = await import('./pdf.ts');
      outputs.pdf = await renderDigestPdf(html);
    }
  }
  const archived = opts.archiveDir ? await archiveDigest(store, opts.archiveDir, digest, outputs, req.now) : null;
  return { digest, outputs, archived };
}
