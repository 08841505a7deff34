/**
 * The daily press review (điểm báo) as data (pure): header, summary figures, items grouped by responsible
 * agency with "Cần lưu ý, xử lý" before "Thông tin hoạt động", and the annex of open cases. Renderers
 * (HTML, DOCX, PDF) only lay this out.
 */
import { DateTime } from 'luxon';
import type { SensitivityLevel, Tone } from '../../model/records.ts';
import type { Item } from '../content.ts';
import { LEVEL_RANK, ZONE } from '../labels.ts';

export interface DigestScope {
  /** 2-digit province code. */
  province: string;
  /** One agency only; null: the whole province. */
  agencyId: string | null;
}

export interface CaseRow {
  id: string;
  agencyId: string | null;
  /** Workflow code (kept for filters and tests); people read stateLabel. */
  state: string | null;
  stateLabel: string;
  /** The deadline that runs now: the agency's while it must act, the outlet's once a correction was requested. */
  deadline: string | null;
  /** That deadline passed without the action it asks for (rules/cases/deadlines.ts overdueStatus). */
  overdue: boolean;
  title: string | null;
}

export interface DigestInput {
  scope: DigestScope;
  /** Who the review is for: the agency, or "Ủy ban nhân dân tỉnh …". */
  orgName: string;
  date: string;
  from: string;
  to: string;
  items: Item[];
  agencyNames: Map<string, string>;
  cases: CaseRow[];
  generatedAt: string;
}

export interface DigestItem extends Item {
  /** Articles of the same story within the period. */
  copiesInPeriod: number;
  /** Flags of this group's agency, earliest deadline first. */
  ownFlags: Item['flags'];
}

export interface DigestGroup {
  agencyId: string;
  agencyName: string;
  attention: DigestItem[];
  activity: DigestItem[];
}

export interface DigestFigures {
  total: number;
  stories: number;
  byLevel: Record<SensitivityLevel, number>;
  byTone: Record<Tone, number>;
  needingAction: number;
  byOutlet: Array<[string, number]>;
  byAgency: Array<[string, number]>;
}

export interface Digest {
  id: string;
  scope: DigestScope;
  title: string;
  orgName: string;
  date: string;
  from: string;
  to: string;
  periodLabel: string;
  figures: DigestFigures;
  groups: DigestGroup[];
  cases: Array<CaseRow & { agencyName: string }>;
  generatedAt: string;
}

/** The 24 h ending at `time` (local) on `date`: a 07:00 review covers 07:00 yesterday → 07:00 today. */
export function digestPeriod(date: string, time = '07:00'): { from: string; to: string } {
  const [h, m] = time.split(':').map(Number);
  const to = DateTime.fromISO(date, { zone: ZONE }).set({ hour: h!, minute: m!, second: 0, millisecond: 0 });
  if (!to.isValid) throw new Error(`invalid digest date ${date}`);
  return { from: to.minus({ hours: 24 }).toISO({ suppressMilliseconds: true })!, to: to.toISO({ suppressMilliseconds: true })! };
}

const fmt = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).toFormat("HH:mm 'ngày' dd/MM/yyyy");

export const digestId = (scope: DigestScope, date: string) => `${scope.agencyId ?? `tinh-${scope.province}`}-${date}`;

/** Items needing attention: hot or sensitive, negative, or flagged for the agency. */
export function needsAttention(item: Item, agencyId: string): boolean {
  return item.level !== 'normal' || item.tone === 'negative' || item.flags.some((f) => f.agencyId === agencyId);
}

/** Agencies responsible for an item within the scope: its primary agencies, else every tagged one. */
export function responsibleAgencies(item: Item, scope: DigestScope, provinceOf: (id: string) => string | null): string[] {
  const inScope = item.agencies.filter((a) => (scope.agencyId ? a.id === scope.agencyId : provinceOf(a.id) === scope.province));
  const primary = inScope.filter((a) => a.prominence === 'primary');
  return [...new Set((primary.length > 0 ? primary : inScope).map((a) => a.id))];
}

/** Province code from an agency id of the registry (2025-91-so-y-te → 91); commune/district ids have none. */
export const provinceOfAgencyId = (id: string): string | null => /^(?:pre2025|2025)-(\d{2})-/.exec(id)?.[1] ?? null;

const byAttention = (a: DigestItem, b: DigestItem) =>
  LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
  (a.ownFlags[0]?.deadline ?? '9999').localeCompare(b.ownFlags[0]?.deadline ?? '9999') ||
  (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '');
const byTime = (a: DigestItem, b: DigestItem) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '');

function count<K extends string>(keys: K[], values: K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) out[v]++;
  return out;
}

function topCounts(values: string[]): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'vi'));
}

export function buildDigest(input: DigestInput): Digest {
  const { scope } = input;
  // The items' own tags name their agencies when the caller's map does not (an id is no name for a reader).
  const tagged = new Map(input.items.flatMap((i) => i.agencies.map((a) => [a.id, a.name] as const)));
  const name = (id: string) => input.agencyNames.get(id) ?? tagged.get(id) ?? id;
  const storyKey = (i: Item) => i.storyId ?? `article:${i.articleId}`;
  const storySize = new Map<string, number>();
  for (const i of input.items) storySize.set(storyKey(i), (storySize.get(storyKey(i)) ?? 0) + 1);

  const groups = new Map<string, Map<string, DigestItem>>();
  for (const item of input.items) {
    for (const agencyId of responsibleAgencies(item, scope, provinceOfAgencyId)) {
      const g = groups.get(agencyId) ?? new Map<string, DigestItem>();
      const key = storyKey(item);
      const cur = g.get(key);
      // One entry per story: the original article (earliest non-copy) stands for its copies.
      const better = !cur || (cur.isCopy && !item.isCopy) || (cur.isCopy === item.isCopy && (item.publishedAt ?? '') < (cur.publishedAt ?? ''));
      if (better) {
        const ownFlags = item.flags.filter((f) => f.agencyId === agencyId).sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
        g.set(key, { ...item, copiesInPeriod: storySize.get(key)!, ownFlags, level: cur && LEVEL_RANK[cur.level] > LEVEL_RANK[item.level] ? cur.level : item.level });
      }
      groups.set(agencyId, g);
    }
  }
  const built: DigestGroup[] = [...groups].map(([agencyId, items]) => {
    const all = [...items.values()];
    return {
      agencyId,
      agencyName: name(agencyId),
      attention: all.filter((i) => needsAttention(i, agencyId)).sort(byAttention),
      activity: all.filter((i) => !needsAttention(i, agencyId)).sort(byTime),
    };
  });
  built.sort((a, b) => b.attention.length - a.attention.length || b.attention.length + b.activity.length - (a.attention.length + a.activity.length) || a.agencyName.localeCompare(b.agencyName, 'vi'));

  const attentionStories = new Set(built.flatMap((g) => g.attention.map(storyKey)));
  const figures: DigestFigures = {
    total: input.items.length,
    stories: storySize.size,
    byLevel: count(['hot', 'sensitive', 'normal'], input.items.map((i) => i.level)),
    byTone: count(['negative', 'neutral', 'positive'], input.items.map((i) => i.tone)),
    needingAction: attentionStories.size,
    byOutlet: topCounts(input.items.map((i) => i.outlet)),
    byAgency: topCounts(input.items.flatMap((i) => responsibleAgencies(i, scope, provinceOfAgencyId).map(name))),
  };
  return {
    id: digestId(scope, input.date),
    scope,
    title: 'ĐIỂM BÁO',
    orgName: input.orgName,
    date: input.date,
    from: input.from,
    to: input.to,
    periodLabel: `Từ ${fmt(input.from)} đến ${fmt(input.to)}`,
    figures,
    groups: built,
    cases: input.cases.map((c) => ({ ...c, agencyName: c.agencyId ? name(c.agencyId) : '' })),
    generatedAt: input.generatedAt,
  };
}
