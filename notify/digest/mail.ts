/** The digest as an e-mail (pure): Vietnamese subject, plain-text summary, the HTML with PNG charts by cid. */
import type { MailAttachment } from '../delivery/channels.ts';
import { escapeHtml, LEVEL_LABEL, viDate } from '../labels.ts';
import type { ChartImage, DigestCharts } from './charts.ts';
import { renderDigestHtml } from './html.ts';
import type { Digest } from './model.ts';

export interface DigestMail {
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
  messageId: string;
}

/** Stable per digest: a resend after a crash between "sent" and "recorded" carries the same id. */
export const digestMessageId = (digestId: string) => `<digest-${digestId}@press-monitor.local>`;

const CONTENT_TYPE = { pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;

export function digestSubject(d: Digest): string {
  return `[Điểm báo] ${d.orgName} – ngày ${viDate(d.to)}: ${d.figures.total} tin, ${d.figures.needingAction} tin cần lưu ý, xử lý`;
}

export function digestText(d: Digest, attached: Array<keyof typeof CONTENT_TYPE>): string {
  const f = d.figures;
  const lines = [
    `${d.title} – ${d.orgName}`,
    d.periodLabel,
    '',
    `Tổng số tin: ${f.total}; số sự việc: ${f.stories}; cần lưu ý, xử lý: ${f.needingAction}.`,
    `${LEVEL_LABEL.hot}: ${f.byLevel.hot}; ${LEVEL_LABEL.sensitive.toLowerCase()}: ${f.byLevel.sensitive}; ${LEVEL_LABEL.normal.toLowerCase()}: ${f.byLevel.normal}.`,
  ];
  const attention = d.groups.flatMap((g) => g.attention.map((i) => ({ g, i })));
  if (attention.length > 0) {
    lines.push('', 'Tin cần lưu ý, xử lý:');
    attention.forEach(({ g, i }, n) => lines.push(`${n + 1}. [${g.agencyName}] ${i.title} – ${i.outlet} – ${LEVEL_LABEL[i.level]}`, `   ${i.url}`));
  } else {
    lines.push('', 'Không có tin nào cần lưu ý, xử lý trong kỳ.');
  }
  if (attached.length > 0) lines.push('', `Bản đầy đủ trong tệp đính kèm (${attached.map((a) => a.toUpperCase()).join(', ')}).`);
  lines.push('', '--', 'Thư gửi tự động từ hệ thống theo dõi báo chí; vui lòng không trả lời thư này.');
  return lines.join('\n');
}

const cidOf = (key: string) => `chart-${key}@press-monitor.local`;

export function digestMail(d: Digest, chartImages: ChartImage[] | null, files: Partial<Record<keyof typeof CONTENT_TYPE, Buffer>>): DigestMail {
  const attached = (Object.keys(CONTENT_TYPE) as Array<keyof typeof CONTENT_TYPE>).filter((k) => files[k]);
  const img = (key: keyof DigestCharts) => {
    const c = chartImages!.find((x) => x.key === key)!;
    return `<img src="cid:${cidOf(key)}" width="${c.width}" height="${c.height}" alt="${escapeHtml(c.title)}" style="display:block;border:0;max-width:100%;height:auto">`;
  };
  // Without PNGs the mail has no charts rather than inline SVG most clients would drop or mangle.
  const charts: DigestCharts | null = chartImages ? { byLevel: img('byLevel'), byOutlet: img('byOutlet'), byAgency: img('byAgency') } : null;
  const attachments: MailAttachment[] = [
    ...(chartImages ?? []).map((c) => ({ filename: `bieu-do-${c.key}.png`, content: c.png, contentType: 'image/png', cid: cidOf(c.key) })),
    ...attached.map((k) => ({ filename: `diem-bao-${d.id}.${k}`, content: files[k]!, contentType: CONTENT_TYPE[k] })),
  ];
  return { subject: digestSubject(d), text: digestText(d, attached), html: renderDigestHtml(d, charts), attachments, messageId: digestMessageId(d.id) };
}
