/**
 * Alert messages (pure): Vietnamese e-mail (subject, HTML with inline CSS for mail clients, plain text) and
 * the webhook JSON payload, from the same AlertMessage.
 */
import type { AlertMode } from './directory/schema.ts';
import type { Item } from './content.ts';
import { escapeHtml, excerpt, flagLabel, LEVEL_LABEL, MODE_LABEL, maxLevel, prominenceLabel, TONE_LABEL, viDateTime } from './labels.ts';
import type { SensitivityLevel } from '../model/records.ts';

export interface AlertMessage {
  /** Alert ids covered (one for immediate alerts, several for a batch). */
  alertIds: string[];
  /** Idempotency key of the message: the alert id, or the hash of the batch's alert ids. */
  key: string;
  subscriptionId: string;
  subscriptionName: string;
  agencyId: string;
  agencyName: string;
  mode: AlertMode;
  items: Item[];
  generatedAt: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const LEVEL_COLOR: Record<SensitivityLevel, string> = { hot: '#b71c1c', sensitive: '#e65100', normal: '#455a64' };

function flagsFor(item: Item, agencyId: string) {
  const own = item.flags.filter((f) => f.agencyId === agencyId);
  return own.length > 0 ? own : item.flags;
}

export function subjectOf(msg: AlertMessage): string {
  if (msg.mode !== 'immediate' || msg.items.length !== 1) {
    return `[${MODE_LABEL[msg.mode]}] ${msg.items.length} tin báo chí liên quan đến ${msg.agencyName}`;
  }
  const item = msg.items[0]!;
  const tag = flagsFor(item, msg.agencyId).length > 0 ? 'Cần xử lý' : item.level === 'hot' ? 'Tin nóng' : item.level === 'sensitive' ? 'Tin nhạy cảm' : 'Tin mới';
  return `[${tag}] ${msg.agencyName}: ${item.title}`;
}

function itemText(item: Item, agencyId: string, n: number): string {
  const lines = [
    `${n}. ${item.title}`,
    `   Báo: ${item.outlet} – ${viDateTime(item.publishedAt)}`,
    `   Liên kết: ${item.url}`,
  ];
  if (item.sapo) lines.push(`   Tóm tắt: ${excerpt(item.sapo)}`);
  if (item.agencies.length) lines.push(`   Cơ quan được nhắc đến: ${item.agencies.map((a) => a.name).join('; ')}`);
  lines.push(`   Mức độ: ${LEVEL_LABEL[item.level]}${item.reasons.length ? ` (${item.reasons.join('; ')})` : ''}`);
  if (item.copies > 1) lines.push(`   Số bài cùng sự việc: ${item.copies}`);
  for (const f of flagsFor(item, agencyId)) {
    lines.push(`   Việc cần làm: ${flagLabel(f.kind)}${f.deadline ? ` – hạn ${viDateTime(f.deadline)}` : ''}`);
    for (const r of f.reasons) lines.push(`     · ${r}`);
  }
  return lines.join('\n');
}

function itemHtml(item: Item, agencyId: string): string {
  const flags = flagsFor(item, agencyId);
  const color = LEVEL_COLOR[item.level];
  return `<tr><td style="padding:12px 0;border-bottom:1px solid #e0e0e0;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#212121">
<div style="font-size:12px;color:#616161">${escapeHtml(item.outlet)} · ${escapeHtml(viDateTime(item.publishedAt))}</div>
<div style="font-size:16px;font-weight:bold;margin:4px 0"><a href="${escapeHtml(item.url)}" style="color:#0d47a1;text-decoration:none">${escapeHtml(item.title)}</a></div>
${item.sapo ? `<div style="margin:4px 0;color:#424242">${escapeHtml(excerpt(item.sapo))}</div>` : ''}
<div style="margin:4px 0"><span style="display:inline-block;padding:2px 6px;border-radius:3px;background:${color};color:#ffffff;font-size:12px">${escapeHtml(LEVEL_LABEL[item.level])}</span>${item.reasons.length ? ` <span style="font-size:12px;color:#616161">${escapeHtml(item.reasons.join('; '))}</span>` : ''}</div>
${item.agencies.length ? `<div style="font-size:12px;color:#616161">Cơ quan được nhắc đến: ${escapeHtml(item.agencies.map((a) => a.name).join('; '))}</div>` : ''}
${item.copies > 1 ? `<div style="font-size:12px;color:#616161">Số bài cùng sự việc: ${item.copies}</div>` : ''}
${flags
  .map(
    (f) => `<div style="margin-top:6px;padding:6px 8px;background:#fff3e0;border-left:3px solid #e65100;font-size:13px"><b>${escapeHtml(flagLabel(f.kind))}</b>${f.deadline ? ` – hạn <b>${escapeHtml(viDateTime(f.deadline))}</b>` : ''}${f.reasons.length ? `<br>${f.reasons.map(escapeHtml).join('<br>')}` : ''}</div>`,
  )
  .join('\n')}
</td></tr>`;
}

export function renderAlertEmail(msg: AlertMessage): RenderedMail {
  const subject = subjectOf(msg);
  const level = maxLevel(msg.items.map((i) => i.level));
  const intro = `Hệ thống theo dõi báo chí gửi ${msg.agencyName} ${msg.items.length} tin (${MODE_LABEL[msg.mode].toLowerCase()}, mức cao nhất: ${LEVEL_LABEL[level].toLowerCase()}) theo đăng ký “${msg.subscriptionName}”.`;
  const footer = 'Thư gửi tự động từ hệ thống theo dõi báo chí; vui lòng không trả lời thư này.';
  const text = [intro, '', ...msg.items.map((it, i) => `${itemText(it, msg.agencyId, i + 1)}\n`), '--', footer].join('\n');
  const html = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f5f5f5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f5f5f5"><tr><td align="center">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="background:#ffffff;padding:16px">
<tr><td style="font-family:Arial,Helvetica,sans-serif;font-size:18px;font-weight:bold;color:#b71c1c;padding-bottom:8px">${escapeHtml(subject)}</td></tr>
<tr><td style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#424242;padding-bottom:8px">${escapeHtml(intro)}</td></tr>
${msg.items.map((it) => itemHtml(it, msg.agencyId)).join('\n')}
<tr><td style="font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#9e9e9e;padding-top:12px">${escapeHtml(footer)}</td></tr>
</table></td></tr></table></body></html>`;
  return { subject, text, html };
}

/** The webhook body: stable field names (English) with the Vietnamese texts as values. */
export function webhookPayload(msg: AlertMessage) {
  return {
    type: 'press-monitor.alert',
    idempotencyKey: msg.key,
    alertIds: msg.alertIds,
    subscription: { id: msg.subscriptionId, name: msg.subscriptionName },
    agency: { id: msg.agencyId, name: msg.agencyName },
    mode: msg.mode,
    modeLabel: MODE_LABEL[msg.mode],
    generatedAt: msg.generatedAt,
    subject: subjectOf(msg),
    items: msg.items.map((i) => ({
      articleId: i.articleId,
      storyId: i.storyId,
      outlet: i.outlet,
      publishedAt: i.publishedAt,
      title: i.title,
      url: i.url,
      sapo: i.sapo,
      agencies: i.agencies.map((a) => ({ ...a, prominenceLabel: prominenceLabel(a.prominence) })),
      level: i.level,
      levelLabel: LEVEL_LABEL[i.level],
      tone: i.tone,
      toneLabel: TONE_LABEL[i.tone],
      reasons: i.reasons,
      copies: i.copies,
      flags: flagsFor(i, msg.agencyId).map((f) => ({ ...f, label: flagLabel(f.kind) })),
    })),
  };
}
