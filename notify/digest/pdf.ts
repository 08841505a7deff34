/**
 * Debian's Chromium (no browser download) for the two digest jobs that need a real renderer: printing the
 * HTML to an A4 PDF, and rasterizing the echarts SVGs to PNG for the DOCX and the e-mail (Word and most mail
 * clients do not render inline SVG faithfully). One browser serves a whole digest: a start costs ~1 s.
 */
import type { Browser } from 'playwright';
import { launchChromium } from '../../lib/chromium.ts';
import { svgSize } from './charts.ts';

export interface DigestBrowser {
  pdf(html: string): Promise<Buffer>;
  /** PNG of one SVG at `scale`× its own size (2: sharp when Word prints it at its nominal size). */
  svgToPng(svg: string, scale?: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Links in the digest point at the press: nothing needs loading to render it, and nothing may leak out. */
const OFFLINE = (url: string) => url.startsWith('data:') || url === 'about:blank';

export async function openDigestBrowser(): Promise<DigestBrowser> {
  const browser: Browser = await launchChromium();
  return {
    async pdf(html) {
      const page = await browser.newPage();
      try {
        await page.route('**/*', (route) => (OFFLINE(route.request().url()) ? route.continue() : route.abort()));
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
      } finally {
        await page.close();
      }
    },
    async svgToPng(svg, scale = 2) {
      const { width, height } = svgSize(svg);
      const context = await browser.newContext({ viewport: { width: Math.ceil(width), height: Math.ceil(height) }, deviceScaleFactor: scale, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.route('**/*', (route) => (OFFLINE(route.request().url()) ? route.continue() : route.abort()));
        await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#ffffff">${svg}</body></html>`, { waitUntil: 'load' });
        return await page.locator('svg').first().screenshot({ type: 'png', omitBackground: false });
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}
