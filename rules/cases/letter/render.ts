import type { LetterContent } from './content.ts';

/** The letter as a DOCX or PDF file (PDF printed by Chromium), for the CLI and the web app alike. */
export async function renderLetter(letter: LetterContent, format: 'docx' | 'pdf'): Promise<Buffer> {
  if (format === 'docx') {
    const { renderLetterDocx } = await import('./docx.ts');
    return renderLetterDocx(letter);
  }
  const { openRenderer } = await import('../chromium.ts');
  const { renderLetterPdf } = await import('./pdf.ts');
  const renderer = await openRenderer();
  try {
    return await renderLetterPdf(letter, renderer);
  } finally {
    await renderer.close();
  }
}
