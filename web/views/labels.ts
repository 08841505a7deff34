/**
 * Vietnamese labels for codes shown in the UI (shared with alerts and the digest where they exist).
 * Filters and URLs keep the codes; only what a person reads goes through these.
 */
import { caseStateLabel as notifyCaseStateLabel, FLAG_LABEL, LEVEL_LABEL, prominenceLabel as notifyProminenceLabel, TONE_LABEL, viDateTime } from '../../notify/labels.ts';
import { loadSources } from '../../crawlers/sources/load.ts';
import { loadRegistry, type Registry } from '../../pipeline/agencies/registry/load.ts';
import { defaultCaseContext } from '../../rules/cases/context.ts';

export { viDateTime };
export const levelLabel = (v: string | null | undefined) => (v ? ((LEVEL_LABEL as Record<string, string>)[v] ?? v) : '');
export const toneLabel = (v: string | null | undefined) => (v ? ((TONE_LABEL as Record<string, string>)[v] ?? v) : '');
export const flagLabel = (v: string) => FLAG_LABEL[v] ?? v;

export { PROMINENCE_LABEL } from '../../notify/labels.ts';
export const prominenceLabel = (v: string | null | undefined) => (v ? notifyProminenceLabel(v) : '');

/** The workflow file's own labels (as in alerts and digests), so a renamed state reads the same on the board and in filters. */
export const caseStateLabel = (code: string | null | undefined): string => (code ? notifyCaseStateLabel(code) : '');

/** History actions written by the case functions (transitions use the workflow's action labels). */
const CASE_ACTION_LABEL: Record<string, string> = {
  'mo-vu-viec': 'Mở vụ việc',
  'them-canh-bao': 'Thêm cảnh báo',
  'ghi-chu': 'Ghi chú',
  'phan-cong': 'Phân công',
  'phat-hien-cai-chinh': 'Báo đăng cải chính',
  'gan-cai-chinh': 'Gắn bài cải chính của báo',
  'luu-bang-chung': 'Lưu bằng chứng',
  'bai-bi-go': 'Bài viết bị gỡ',
  'bai-bi-sua': 'Bài viết bị sửa',
  'bao-qua-han-cai-chinh': 'Báo quá hạn cải chính',
};
export function caseActionLabel(action: string): string {
  const t = defaultCaseContext().workflow.data.transitions.find((x) => x.action === action);
  const label = t?.label ?? CASE_ACTION_LABEL[action] ?? action;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export const EVIDENCE_KIND_LABEL: Record<string, string> = { snapshot: 'Lưu bản chụp khi mở vụ việc', recheck: 'Kiểm tra lại' };
export const EVIDENCE_OUTCOME_LABEL: Record<string, string> = {
  captured: 'đã lưu',
  unchanged: 'không thay đổi',
  edited: 'bài đã bị sửa',
  removed: 'bài đã bị gỡ',
  unreachable: 'không truy cập được',
};

let registry: Registry | null | undefined;
/** The agency registry, loaded once; null when its data files are missing (names then fall back to codes). */
function reg(): Registry | null {
  if (registry === undefined) {
    try {
      registry = loadRegistry();
    } catch {
      registry = null;
    }
  }
  return registry;
}

/** Load the registry now (at start-up) rather than on the first page view. */
export function warmLabels(): void {
  reg();
  outletName('');
}

/** "Sở Y tế tỉnh An Giang" for "2025-91-so-y-te"; the id itself when the registry does not know it. */
export function agencyName(id: string | null | undefined, known?: string | null): string {
  if (!id) return '';
  return reg()?.agency(id)?.name ?? known ?? id;
}

/**
 * Province name for a 2-digit code: the 2025 province first (codes in use today); a code that only
 * existed before the July 2025 merger says so, since the same name may now mean a larger province.
 */
export function provinceName(code: string | null | undefined): string {
  if (!code) return '';
  const r = reg();
  const now = r?.province('2025', code);
  if (now) return now.name;
  const before = r?.province('pre2025', code);
  return before ? `${before.name} (trước 01/7/2025)` : code;
}

/** 2025 provinces by name, for pickers. */
export function provinceOptions(): Array<{ code: string; name: string }> {
  return (reg()?.provinces ?? [])
    .filter((p) => p.period === '2025')
    .map((p) => ({ code: p.code, name: p.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

let outlets: Map<string, string> | null = null;
/** An outlet's name: as stored on its articles, else from the sources files, else its id. */
export function outletName(sourceId: string, known?: string | null): string {
  if (known) return known;
  if (!outlets) {
    try {
      outlets = new Map(loadSources().map((s) => [s.id, s.name]));
    } catch {
      outlets = new Map();
    }
  }
  return outlets.get(sourceId) ?? sourceId;
}

export const FACET_LABEL: Record<string, string> = {
  agency: 'Cơ quan',
  province: 'Tỉnh, thành phố',
  outlet: 'Cơ quan báo chí',
  level: 'Mức độ nhạy cảm',
  tone: 'Sắc thái',
  flag: 'Loại cảnh báo',
  case: 'Trạng thái vụ việc',
  date: 'Ngày đăng',
};

/** Label of a facet value; `known` is a name the index already holds (the outlet name of a source). */
export function facetValueLabel(facet: string, key: string, known?: string | null): string {
  switch (facet) {
    case 'agency':
      return agencyName(key, known);
    case 'province':
      return provinceName(key);
    case 'outlet':
      return outletName(key, known);
    case 'level':
      return levelLabel(key);
    case 'tone':
      return toneLabel(key);
    case 'flag':
      return flagLabel(key);
    case 'case':
      return caseStateLabel(key);
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(key) ? `${key.slice(8, 10)}/${key.slice(5, 7)}/${key.slice(0, 4)}` : key;
    default:
      return key;
  }
}

export const CONFLICT_MESSAGE = 'Vụ việc vừa được người khác cập nhật. Vui lòng tải lại trang để xem thay đổi mới nhất rồi thao tác lại.';
