/** The digest as one HTML document with inline CSS only (mail clients drop <style> blocks). */
import { escapeHtml, excerpt, flagLabel, LEVEL_LABEL, TONE_LABEL, viDateTime, viLongDate } from '../labels.ts';
import type { DigestCharts } from './charts.ts';
import type { Digest, DigestItem } from './model.ts';

const F = 'font-family:Arial,Helvetica,sans-serif;';
const LEVEL_COLOR = { hot: '#b71c1c', sensitive: '#e65100', normal: '#546e7a' } as const;

function itemHtml(item: DigestItem, n: number): string {
  const flags = item.ownFlags.length > 0 ? item.ownFlags : item.flags;
  return `<tr><td style="${F}padding:8px 0 10px;border-bottom:1px solid #e0e0e0;font-size:13px;color:#212121;vertical-align:top">
<div style="font-size:14px;font-weight:bold">${n}. <a href="${escapeHtml(item.url)}" style="color:#0d47a1;text-decoration:none">${escapeHtml(item.title)}</a></div>
<div style="color:#616161;font-size:12px;margin:2px 0">${escapeHtml(item.outlet)} · ${escapeHtml(viDateTime(item.publishedAt))} · <span style="color:${LEVEL_COLOR[item.level]};font-weight:bold">${escapeHtml(LEVEL_LABEL[item.level])}</span> · ${escapeHtml(TONE_LABEL[item.tone])}${item.copiesInPeriod > 1 ? ` · ${item.copiesInPeriod} bài cùng nội dung/sự việc` : ''}</div>
${item.sapo ? `<div style="margin:2px 0;color:#424242">${escapeHtml(excerpt(item.sapo, 320))}</div>` : ''}
${item.reasons.length ? `<div style="font-size:12px;color:#616161">Tính chất: ${escapeHtml(item.reasons.join('; '))}</div>` : ''}
<div style="font-size:12px;color:#616161">Liên kết: <a href="${escapeHtml(item.url)}" style="color:#0d47a1">${escapeHtml(item.url)}</a></div>
${flags
  .map(
    (f) => `<div style="margin-top:4px;padding:4px 8px;background:#fff3e0;border-left:3px solid #e65100;font-size:12px"><b>Đề xuất: ${escapeHtml(flagLabel(f.kind))}</b>${f.deadline ? ` – hạn <b>${escapeHtml(viDateTime(f.deadline))}</b>` : ''}${f.reasons[0] ? `<br>${escapeHtml(f.reasons[0])}` : ''}</div>`,
  )
  .join('')}
</td></tr>`;
}

function section(title: string, items: DigestItem[], color: string): string {
  if (items.length === 0) return '';
  return `<tr><td style="${F}padding:10px 0 2px;font-size:14px;font-weight:bold;color:${color}">${escapeHtml(title)} (${items.length})</td></tr>
${items.map((it, i) => itemHtml(it, i + 1)).join('\n')}`;
}

const cell = (s: string | number, bold = false) => `<td style="${F}border:1px solid #bdbdbd;padding:4px 8px;font-size:13px;${bold ? 'font-weight:bold;' : ''}">${escapeHtml(String(s))}</td>`;

export function renderDigestHtml(d: Digest, charts: DigestCharts | null): string {
  const f = d.figures;
  const figures = `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:8px 0">
<tr>${cell('Tổng số tin', true)}${cell(f.total)}${cell('Số sự việc', true)}${cell(f.stories)}${cell('Cần lưu ý, xử lý', true)}${cell(f.needingAction)}</tr>
<tr>${cell('Nóng', true)}${cell(f.byLevel.hot)}${cell('Nhạy cảm', true)}${cell(f.byLevel.sensitive)}${cell('Bình thường', true)}${cell(f.byLevel.normal)}</tr>
<tr>${cell('Tích cực', true)}${cell(f.byTone.positive)}${cell('Trung tính', true)}${cell(f.byTone.neutral)}${cell('Tiêu cực', true)}${cell(f.byTone.negative)}</tr>
</table>`;
  const chartBlock = charts
    ? `<tr><td style="padding:8px 0">${charts.byLevel}</td></tr><tr><td style="padding:8px 0">${charts.byOutlet}</td></tr><tr><td style="padding:8px 0">${charts.byAgency}</td></tr>`
    : '';
  const groups = d.groups
    .map(
      (g, i) => `<tr><td style="${F}padding:16px 0 4px;font-size:16px;font-weight:bold;color:#1a237e;border-bottom:2px solid #1a237e">${i + 1}. ${escapeHtml(g.agencyName)}</td></tr>
${section('Cần lưu ý, xử lý', g.attention, '#b71c1c')}
${section('Thông tin hoạt động', g.activity, '#2e7d32')}`,
    )
    .join('\n');
  const annex =
    d.cases.length === 0
      ? `<tr><td style="${F}font-size:13px;color:#616161">Không có vụ việc nào đang theo dõi.</td></tr>`
      : `<tr><td><table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%">
<tr>${cell('Vụ việc', true)}${cell('Cơ quan', true)}${cell('Trạng thái', true)}${cell('Hạn xử lý', true)}</tr>
${d.cases.map((c) => `<tr>${cell(c.title ?? 'Vụ việc chưa có tiêu đề')}${cell(c.agencyName)}${cell(c.stateLabel)}${cell(c.deadline ? `${viDateTime(c.deadline)}${c.overdue ? ' (quá hạn)' : ''}` : '')}</tr>`).join('\n')}
</table></td></tr>`;
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(`${d.title} ${d.orgName} ${viLongDate(d.to)}`)}</title></head>
<body style="margin:0;padding:0;background:#ffffff">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="680" cellpadding="0" cellspacing="0" style="padding:16px">
<tr><td style="${F}font-size:13px;font-weight:bold;text-transform:uppercase;color:#212121">${escapeHtml(d.orgName)}</td></tr>
<tr><td style="${F}font-size:22px;font-weight:bold;text-align:center;padding:12px 0 4px;color:#b71c1c">${escapeHtml(d.title)}</td></tr>
<tr><td style="${F}font-size:13px;text-align:center;font-style:italic;color:#424242">${escapeHtml(viLongDate(d.to))} · ${escapeHtml(d.periodLabel)}</td></tr>
<tr><td style="${F}font-size:15px;font-weight:bold;padding-top:16px">I. TÓM TẮT</td></tr>
<tr><td>${figures}</td></tr>
${chartBlock}
<tr><td style="${F}font-size:15px;font-weight:bold;padding-top:16px">II. TIN THEO CƠ QUAN CHỊU TRÁCH NHIỆM</td></tr>
${groups || `<tr><td style="${F}font-size:13px">Không có tin nào trong kỳ.</td></tr>`}
<tr><td style="${F}font-size:15px;font-weight:bold;padding-top:16px">PHỤ LỤC: THEO DÕI CÁC VỤ VIỆC ĐANG XỬ LÝ</td></tr>
${annex}
<tr><td style="${F}font-size:11px;color:#9e9e9e;padding-top:16px">Lập tự động lúc ${escapeHtml(viDateTime(d.generatedAt))} bởi hệ thống theo dõi báo chí.</td></tr>
</table></td></tr></table></body></html>`;
}
