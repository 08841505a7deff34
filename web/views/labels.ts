/** Vietnamese labels for codes shown in the UI (shared with alerts and the digest where they exist). */
import { FLAG_LABEL, LEVEL_LABEL, TONE_LABEL, viDateTime } from '../../notify/labels.ts';

export { viDateTime };
export const levelLabel = (v: string | null | undefined) => (v ? (LEVEL_LABEL as Record<string, string>)[v] ?? v : '');
export const toneLabel = (v: string | null | undefined) => (v ? (TONE_LABEL as Record<string, string>)[v] ?? v : '');
export const flagLabel = (v: string) => FLAG_LABEL[v] ?? v;

export const FACET_LABEL: Record<string, string> = {
  agency: 'Cơ quan',
  province: 'Tỉnh',
  outlet: 'Cơ quan báo chí',
  level: 'Mức độ nhạy cảm',
  tone: 'Sắc thái',
  flag: 'Loại cảnh báo',
  date: 'Ngày đăng',
};

export function facetValueLabel(facet: string, key: string): string {
  if (facet === 'level') return levelLabel(key);
  if (facet === 'tone') return toneLabel(key);
  if (facet === 'flag') return flagLabel(key);
  return key;
}

export const CONFLICT_MESSAGE = 'Vụ việc vừa được người khác cập nhật. Vui lòng tải lại trang để xem thay đổi mới nhất rồi thao tác lại.';
