/** PDF of a letter: the HTML rendering printed by Chromium. */
import type { Renderer } from '../chromium.ts';
import type { LetterContent } from './content.ts';
import { renderLetterHtml } from './html.ts';

export async function renderLetterPdf(l: LetterContent, renderer: Renderer): Promise<Buffer> {
  return renderer.htmlToPdf(renderLetterHtml(l));
}
