/** One call from request to rendered (and optionally archived) digest, shared by the CLI, the schedule and tests. */
import type { Logger } from '../../lib/log.ts';
import type { Store } from '../../store/es.ts';
import { archiveDigest, type ArchivedDigest, type DigestFormat } from './archive.ts';
import { rasterizeCharts, renderCharts, type ChartImage, type DigestCharts } from './charts.ts';
import { collectDigest, type DigestRequest } from './collect.ts';
import { renderDigestDocx } from './docx.ts';
import { renderDigestHtml } from './html.ts';
import type { Digest } from './model.ts';
import type { DigestBrowser } from './pdf.ts';

export interface GeneratedDigest {
  digest: Digest;
  outputs: Partial<Record<DigestFormat, Buffer | string>>;
  archived: ArchivedDigest | null;
  charts: DigestCharts;
  /** PNGs of the charts, when a format or the caller needed them and a browser could render them. */
  chartImages: ChartImage[] | null;
}

export interface GenerateOptions {
  formats: DigestFormat[];
  archiveDir?: string;
  /** An open browser to reuse (the caller closes it); otherwise one is opened here when needed and closed. */
  browser?: DigestBrowser;
  /** Rasterize the charts even without a DOCX (the scheduled e-mail embeds them). */
  chartImages?: boolean;
  log?: Logger;
}

export async function generateDigest(store: Store, req: DigestRequest, opts: GenerateOptions): Promise<GeneratedDigest> {
  const digest = await collectDigest(store, req);
  const charts = renderCharts(digest.figures);
  const html = renderDigestHtml(digest, charts);
  const wantImages = opts.formats.includes('docx') || opts.chartImages === true;
  const needBrowser = opts.formats.includes('pdf') || wantImages;
  let browser = opts.browser ?? null;
  let opened = false;
  if (!browser && needBrowser) {
    try {
      // Loaded lazily: an HTML-only digest never pays for playwright.
      const { openDigestBrowser } = await import('./pdf.ts');
      browser = await openDigestBrowser();
      opened = true;
    } catch (err) {
      // A PDF cannot be made without it; a DOCX still carries every figure in its tables.
      if (opts.formats.includes('pdf')) throw err;
      opts.log?.warn({ error: (err as Error).message }, 'no Chromium to rasterize the digest charts; the DOCX goes out without them');
    }
  }
  try {
    const chartImages = browser && wantImages ? await rasterizeCharts(charts, browser) : null;
    const outputs: GeneratedDigest['outputs'] = {};
    for (const fmt of opts.formats) {
      if (fmt === 'html') outputs.html = html;
      if (fmt === 'docx') outputs.docx = await renderDigestDocx(digest, chartImages);
      if (fmt === 'pdf') outputs.pdf = await browser!.pdf(html);
    }
    const archived = opts.archiveDir ? await archiveDigest(store, opts.archiveDir, digest, outputs, req.now) : null;
    return { digest, outputs, archived, charts, chartImages };
  } finally {
    if (opened) await browser!.close();
  }
}
