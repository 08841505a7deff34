/**
 * DOCX rendering of a LetterContent in the NĐ 30/2020 layout (Phụ lục I): A4, Times New Roman 13–14 pt,
 * margins top/bottom 20 mm, left 30 mm, right 15 mm; issuing body and number top left, national motto and
 * date top right, signature block bottom right, Nơi nhận bottom left.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import type { LetterContent } from './content.ts';

const FONT = 'Times New Roman';
const mm = (n: number) => Math.round(n * 56.6929);
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE } as const;

function line(text: string, opts: Omit<IRunOptions, 'text'> & { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; after?: number } = {}): Paragraph {
  const { align, after, ...run } = opts;
  return new Paragraph({
    alignment: align ?? AlignmentType.CENTER,
    spacing: { after: after ?? 0 },
    children: [new TextRun({ text, font: FONT, size: 26, ...run })],
  });
}

function cell(children: Paragraph[], widthPct: number): TableCell {
  return new TableCell({ children, width: { size: widthPct, type: WidthType.PERCENTAGE }, borders: NO_BORDERS });
}

function twoColumns(left: Paragraph[], right: Paragraph[], leftPct: number): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(left, leftPct), cell(right, 100 - leftPct)] })],
  });
}

export function letterDocument(l: LetterContent): Document {
  const header = twoColumns(
    [
      ...(l.issuer.parent ? [line(l.issuer.parent, { size: 24 })] : []),
      line(l.issuer.name, { bold: true, size: 24 }),
      line('────────', { size: 20, after: 120 }),
      line(l.number, { size: 26 }),
      line(l.subject, { size: 24 }),
    ],
    [line(l.motto[0], { bold: true, size: 24 }), line(l.motto[1], { bold: true, size: 26 }), line('──────────────', { size: 20, after: 120 }), line(l.placeDate, { italics: true, size: 26 })],
    42,
  );
  const body = l.paragraphs.map(
    (text) =>
      new Paragraph({
        alignment: AlignmentType.JUSTIFIED,
        indent: { firstLine: text.startsWith('- ') ? 0 : mm(10) },
        spacing: { before: 60, after: 60, line: 312 },
        children: [new TextRun({ text, font: FONT, size: 28 })],
      }),
  );
  const footer = twoColumns(
    [line(l.recipientsLabel, { bold: true, italics: true, size: 24, align: AlignmentType.LEFT }), ...l.recipients.map((r) => line(r, { size: 22, align: AlignmentType.LEFT }))],
    [
      ...(l.signature.authority ? [line(l.signature.authority, { bold: true, size: 26 })] : []),
      line(l.signature.title, { bold: true, size: 26, after: mm(20) }),
      line(l.signature.name, { bold: true, size: 28 }),
    ],
    50,
  );
  return new Document({
    creator: 'press-monitor',
    title: l.subject,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [
      {
        properties: { page: { size: { width: mm(210), height: mm(297) }, margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) } } },
        children: [
          header,
          new Paragraph({ spacing: { before: 240, after: 240 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: l.salutation, font: FONT, size: 28 })] }),
          ...body,
          new Paragraph({ spacing: { after: 240 }, children: [] }),
          footer,
        ],
      },
    ],
  });
}

export async function renderLetterDocx(l: LetterContent): Promise<Buffer> {
  return Packer.toBuffer(letterDocument(l));
}
