/** HTML rendering of a LetterContent (for the PDF and the web app); the same layout as the DOCX. */
import type { LetterContent } from './content.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderLetterHtml(l: LetterContent): string {
  const p = (text: string, cls = '') => `<p${cls ? ` class="${cls}"` : ''}>${esc(text)}</p>`;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${esc(l.subject)}</title>
<style>
  @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
  body { font-family: "Times New Roman", "Noto Serif", "DejaVu Serif", serif; font-size: 14pt; line-height: 1.3; margin: 0; }
  table.cols { width: 100%; border-collapse: collapse; }
  table.cols td { vertical-align: top; text-align: center; padding: 0; }
  .upper { text-transform: none; font-size: 12pt; margin: 0; }
  .b { font-weight: bold; } .i { font-style: italic; }
  .c p { margin: 0; }
  .rule { margin: 2pt auto 6pt; width: 40%; border-top: 1px solid #000; }
  .salutation { text-align: center; margin: 14pt 0; }
  .body p { text-align: justify; text-indent: 10mm; margin: 4pt 0; }
  .body p.dash { text-indent: 0; }
  .recipients { text-align: left !important; font-size: 11pt; }
  .recipients p { margin: 0; }
  .sign .name { margin-top: 22mm; }
</style></head><body>
<table class="cols"><tr>
<td style="width:42%" class="c">${l.issuer.parent ? p(l.issuer.parent, 'upper') : ''}${p(l.issuer.name, 'upper b')}<div class="rule"></div>${p(l.number)}${p(l.subject, 'upper')}</td>
<td class="c">${p(l.motto[0], 'upper b')}${p(l.motto[1], 'b')}<div class="rule"></div>${p(l.placeDate, 'i')}</td>
</tr></table>
${p(l.salutation, 'salutation')}
<div class="body">${l.paragraphs.map((x) => p(x, x.startsWith('- ') ? 'dash' : '')).join('\n')}</div>
<table class="cols" style="margin-top:12pt"><tr>
<td style="width:50%" class="recipients">${p(l.recipientsLabel, 'b i')}${l.recipients.map((r) => p(r)).join('')}</td>
<td class="c sign">${l.signature.authority ? p(l.signature.authority, 'b') : ''}${p(l.signature.title, 'b')}${p(l.signature.name, 'b name')}</td>
</tr></table>
</body></html>`;
}
