/** Vietnamese labels and date formatting shared by alerts and the digest (always Asia/Ho_Chi_Minh). */
import { DateTime } from 'luxon';
import type { SensitivityLevel, Tone } from '../model/records.ts';
import { loadWorkflow, StateCode } from '../rules/cases/workflow.ts';

export const ZONE = 'Asia/Ho_Chi_Minh';

export const LEVEL_RANK: Record<SensitivityLevel, number> = { normal: 0, sensitive: 1, hot: 2 };
export const LEVEL_LABEL: Record<SensitivityLevel, string> = { hot: 'Nóng', sensitive: 'Nhạy cảm', normal: 'Bình thường' };
export const TONE_LABEL: Record<Tone, string> = { negative: 'Tiêu cực', neutral: 'Trung tính', positive: 'Tích cực' };
export const FLAG_LABEL: Record<string, string> = {
  needs_response: 'Cần phát ngôn, cung cấp thông tin cho báo chí',
  correction_review: 'Xem xét đề nghị cải chính',
  escalate: 'Báo cáo lãnh đạo',
};
export const MODE_LABEL = { immediate: 'Cảnh báo ngay', hourly: 'Tổng hợp theo giờ', daily: 'Tổng hợp hằng ngày' } as const;
export const CHANNEL_LABEL = { email: 'Thư điện tử', webhook: 'Webhook' } as const;
export const PROMINENCE_LABEL: Record<string, string> = { primary: 'Đối tượng chính của bài', secondary: 'Được đề cập', passing: 'Nhắc qua' };

/** A code we have no label for is still never shown raw to an official. */
const UNKNOWN = 'Chưa xác định';

export const flagLabel = (kind: string): string => FLAG_LABEL[kind] ?? 'Đề xuất xử lý khác';
export const prominenceLabel = (p: string): string => PROMINENCE_LABEL[p] ?? UNKNOWN;

/**
 * Case states written by older or external tools (English codes); the current workflow's own codes are
 * labelled from rules/cases/workflow.yaml so a state renamed there reads the same here.
 */
const LEGACY_CASE_STATE_LABEL: Record<string, string> = {
  new: 'Mới',
  open: 'Mới',
  in_progress: 'Đang xử lý',
  needs_response: 'Cần phát ngôn',
  responded: 'Đã phát ngôn',
  letter_sent: 'Đã gửi đề nghị cải chính',
  correction_requested: 'Đã gửi đề nghị cải chính',
  corrected: 'Báo đã cải chính',
  closed: 'Đóng',
  done: 'Đóng',
  resolved: 'Đóng',
  dismissed: 'Không cần xử lý',
};

const capitalize = (s: string) => (s ? `${s[0]!.toLocaleUpperCase('vi')}${s.slice(1)}` : s);

/**
 * "Đang xử lý" for `dang-xu-ly`: the workflow label (sentence case, it stands alone in a table cell), else
 * the label stored on the case, else a known legacy code, else "Chưa xác định" — never the code itself.
 */
export function caseStateLabel(code: string | null | undefined, storedLabel?: string | null): string {
  if (!code) return storedLabel ? capitalize(storedLabel) : UNKNOWN;
  const parsed = StateCode.safeParse(code);
  if (parsed.success) return capitalize(loadWorkflow().label(parsed.data));
  if (storedLabel) return capitalize(storedLabel);
  return LEGACY_CASE_STATE_LABEL[code] ?? UNKNOWN;
}

export const maxLevel = (levels: SensitivityLevel[]): SensitivityLevel =>
  levels.reduce<SensitivityLevel>((a, b) => (LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a), 'normal');

/** "08:30 ngày 20/11/2026" */
export function viDateTime(iso: string | null | undefined): string {
  if (!iso) return 'không rõ thời gian';
  const d = DateTime.fromISO(iso, { setZone: true }).setZone(ZONE);
  return d.isValid ? d.toFormat("HH:mm 'ngày' dd/MM/yyyy") : 'không rõ thời gian';
}

/** "20/11/2026" */
export function viDate(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).toFormat('dd/MM/yyyy');
}

/** "ngày 20 tháng 11 năm 2026", the administrative style of document dates. */
export function viLongDate(iso: string): string {
  const d = DateTime.fromISO(iso, { setZone: true }).setZone(ZONE);
  return `ngày ${d.toFormat('dd')} tháng ${d.toFormat('MM')} năm ${d.toFormat('yyyy')}`;
}

/** First sentence-ish of a sapo, cut on a word boundary. */
export function excerpt(text: string | null | undefined, max = 280): string {
  if (!text) return '';
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
