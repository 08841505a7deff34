/**
 * One headless Debian Chromium for printing letters and rendering evidence. Callers open it, use it for a
 * batch and close it: a browser start costs about a second.
 */
import type { Browser } from 'playwright';
import { launchChromium } from '../../lib/chromium.ts';

export interface Renderer {
  /** Print HTML to an A4 PDF; the page's own @page margins apply. No network access. */
  htmlToPdf(html: string): Promise<Buffer>;
  /**
   * A published page as a full-page PNG and a PDF. The fetched HTML is rendered as fetched (scripts off, so
   * the snapshot is what the server sent); only the article's own origin may be loaded (styles, images).
   */
  snapshot(html: string, url: string): Promise<{ png: Buffer; pdf: Buffer }>;
  close(): Promise<void>;
}

export async function openRenderer(): Promise<Renderer> {
  const browser: Browser = await launchChromium();
  return {
    async htmlToPdf(html) {
      const page = await browser.newPage();
      try {
        await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      } finally {
        await page.close();
      }
    },
    async snapshot(html, url) {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      try {
        const origin = new URL(url).origin;
        await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()));
        const based = /<head[^>]*>/i.test(html) ? html.replace(/<head([^>]*)>/i, `<head$1><base href="${url.replace(/"/g, '&quot;')}">`) : `<base href="${url}">${html}`;
        await page.setContent(based, { waitUntil: 'load', timeout: 30_000 });
        const png = await page.screenshot({ fullPage: true, type: 'png' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        return { png, pdf };
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}
