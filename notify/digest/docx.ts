/** The digest as a Word document (what the press office pastes its điểm báo into today). */
import { AlignmentType, Document, ExternalHyperlink, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { excerpt, flagLabel, LEVEL_LABEL, TONE_LABEL, viDateTime, viLongDate } from '../labels.ts';
import type { ChartImage } from './charts.ts';
import type { Digest, DigestItem } from './model.ts';

const FONT = 'Times New Roman';
const text = (t: string, o: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}) => new TextRun({ text: t, font: FONT, size: o.size ?? 24, ...o });
const para = (runs: Array<TextRun | ExternalHyperlink>, o: { heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel]; center?: boolean; after?: number } = {}) =>
  new Paragraph({ children: runs, ...(o.heading ? { heading: o.heading } : {}), ...(o.center ? { alignment: AlignmentType.CENTER } : {}), spacing: { after: o.after ?? 80 } });

function table(rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(
      (r, i) => new TableRow({ children: r.map((c) => new TableCell({ children: [para([text(c, { bold: i === 0, size: 22 })], { after: 0 })] })) }),
    ),
  });
}

function itemParas(item: DigestItem, n: number): Paragraph[] {
  const out = [
    para([text(`${n}. `, { bold: true }), new ExternalHyperlink({ link: item.url, children: [text(item.title, { bold: true, color: '0D47A1' })] })], { after: 20 }),
    para([text(`${item.outlet} – ${viDateTime(item.publishedAt)} – ${LEVEL_LABEL[item.level]} – ${TONE_LABEL[item.tone]}${item.copiesInPeriod > 1 ? ` – ${item.copiesInPeriod} bài cùng sự việc` : ''}`, { italics: true, size: 22 })], { after: 20 }),
  ];
  if (item.sapo) out.push(para([text(excerpt(item.sapo, 320), { size: 22 })], { after: 20 }));
  if (item.reasons.length) out.push(para([text(`Tính chất: ${item.reasons.join('; ')}`, { size: 22 })], { after: 20 }));
  out.push(para([text('Liên kết: ', { size: 20 }), new ExternalHyperlink({ link: item.url, children: [text(item.url, { size: 20, color: '0D47A1' })] })], { after: 20 }));
  for (const f of item.ownFlags.length > 0 ? item.ownFlags : item.flags) {
    out.push(para([text(`Đề xuất: ${flagLabel(f.kind)}${f.deadline ? ` – hạn ${viDateTime(f.deadline)}` : ''}`, { bold: true, size: 22, color: 'B71C1C' })], { after: 20 }));
  }
  out.push(para([], { after: 120 }));
  return out;
}

/** Widest a chart may be: A4 (8.27 in) less docx's default 1 in margins, at 96 px per inch. */
const MAX_CHART_WIDTH = 600;

function chartParas(charts: ChartImage[]): Paragraph[] {
  return charts.map((c) => {
    const k = Math.min(1, MAX_CHART_WIDTH / c.width);
    return new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 120 },
      children: [
        new ImageRun({
          type: 'png',
          data: c.png,
          transformation: { width: Math.round(c.width * k), height: Math.round(c.height * k) },
          // Screen readers and Word's "alt text" pane read this instead of the picture.
          altText: { name: `bieu-do-${c.key}`, title: c.title, description: c.title },
        }),
      ],
    });
  });
}

/** `charts`: the PNGs of the HTML's charts; null when no browser could rasterize them (tables still say it all). */
export async function renderDigestDocx(d: Digest, charts: ChartImage[] | null = null): Promise<Buffer> {
  const f = d.figures;
  const children: Array<Paragraph | Table> = [
    para([text(d.orgName.toUpperCase(), { bold: true })]),
    para([text(d.title, { bold: true, size: 36, color: 'B71C1C' })], { heading: HeadingLevel.TITLE, center: true }),
    para([text(`${viLongDate(d.to)} – ${d.periodLabel}`, { italics: true })], { center: true, after: 240 }),
    para([text('I. TÓM TẮT', { bold: true })], { heading: HeadingLevel.HEADING_1 }),
    table([
      ['Chỉ tiêu', 'Số lượng'],
      ['Tổng số tin', String(f.total)],
      ['Số sự việc', String(f.stories)],
      ['Cần lưu ý, xử lý', String(f.needingAction)],
      ['Nóng / Nhạy cảm / Bình thường', `${f.byLevel.hot} / ${f.byLevel.sensitive} / ${f.byLevel.normal}`],
      ['Tích cực / Trung tính / Tiêu cực', `${f.byTone.positive} / ${f.byTone.neutral} / ${f.byTone.negative}`],
    ]),
    ...(charts ? chartParas(charts) : [para([])]),
    table([['Cơ quan báo chí', 'Số tin'], ...f.byOutlet.map(([k, v]) => [k, String(v)])]),
    para([text('II. TIN THEO CƠ QUAN CHỊU TRÁCH NHIỆM', { bold: true })], { heading: HeadingLevel.HEADING_1 }),
  ];
  d.groups.forEach((g, i) => {
    children.push(para([text(`${i + 1}. ${g.agencyName}`, { bold: true, color: '1A237E' })], { heading: HeadingLevel.HEADING_2 }));
    if (g.attention.length) {
      children.push(para([text(`Cần lưu ý, xử lý (${g.attention.length})`, { bold: true, color: 'B71C1C' })], { heading: HeadingLevel.HEADING_3 }));
      g.attention.forEach((it, n) => children.push(...itemParas(it, n + 1)));
    }
    if (g.activity.length) {
      children.push(para([text(`Thông tin hoạt động (${g.activity.length})`, { bold: true, color: '2E7D32' })], { heading: HeadingLevel.HEADING_3 }));
      g.activity.forEach((it, n) => children.push(...itemParas(it, n + 1)));
    }
  });
  children.push(para([text('PHỤ LỤC: THEO DÕI CÁC VỤ VIỆC ĐANG XỬ LÝ', { bold: true })], { heading: HeadingLevel.HEADING_1 }));
  children.push(
    d.cases.length === 0
      ? para([text('Không có vụ việc nào đang theo dõi.')])
      : table([['Vụ việc', 'Cơ quan', 'Trạng thái', 'Hạn xử lý'], ...d.cases.map((c) => [c.title ?? 'Vụ việc chưa có tiêu đề', c.agencyName, c.stateLabel, c.deadline ? `${viDateTime(c.deadline)}${c.overdue ? ' (quá hạn)' : ''}` : ''])]),
  );
  const doc = new Document({
    creator: 'Hệ thống theo dõi báo chí',
    title: `${d.title} ${d.orgName} ${d.date}`,
    language: 'vi-VN',
    sections: [{ children }],
  } as ConstructorParameters<typeof Document>[0]);
  return Packer.toBuffer(doc);
}
