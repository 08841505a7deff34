/**
 * Evaluate rules on one article: one flag per article × agency × matching rule.
 *
 * Pure and deterministic: no clock (pass `now` to stamp `createdAt` and as the last-resort start of a
 * deadline), no I/O; flags come out in agency order (as tagged) then rule order (file name, then position).
 */
import { z } from 'zod';
import { AgencyTag, IsoDateTime, Sensitivity } from '../../model/records.ts';
import type { Field } from '../../model/records.ts';
import { exactKey, foldForSearch } from '../../pipeline/normalize/vi-text.ts';
import type { WorkCalendar } from '../calendar/calendar.ts';
import { localDate, viDateTime } from '../calendar/deadlines.ts';
import { computeDeadline, durationText, regimeFor } from '../legal/regimes.ts';
import type { Regime, Regimes } from '../legal/regimes.ts';
import { flagId } from './flag.ts';
import type { Flag } from './flag.ts';
import type { Condition, LoadedRule, RuleSet, TextCond } from './schema.ts';

/** What the engine knows of a story (the cluster of articles about one event), when the caller has it. */
export const StoryInfo = z.object({
  /** Outlet ids, or just their number. */
  outlets: z.union([z.array(z.string()), z.number().int().nonnegative()]),
  articleCount: z.number().int().nonnegative(),
  firstSeen: IsoDateTime.nullish(),
});
export type StoryInfo = z.infer<typeof StoryInfo>;

const OutletInfo = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  level: z.string().nullish(),
  kind: z.string().nullish(),
  province: z.string().nullish(),
});

/** An agency tag as the tagger writes it; fields the rules do not need may be absent. */
export const RuleAgency = AgencyTag.extend({
  type: z.string().default(''),
  level: z.string().default(''),
  province: z.string().nullable().default(null),
  provinceName: z.string().nullable().default(null),
  validFrom: z.string().nullable().default(null),
  validTo: z.string().nullable().default(null),
  successors: z.array(z.string()).default([]),
  mentions: AgencyTag.shape.mentions.default([]),
});

/**
 * The article fields the rules read: a subset of model/records.ts `Article` (which satisfies it) that is
 * also what `monitor tag` writes, plus optional story information.
 */
export const RuleArticle = z.looseObject({
  id: z.string().min(1),
  url: z.string().nullish(),
  sourceId: z.string().nullish(),
  outlet: z.union([z.string(), OutletInfo]).nullish(),
  outletLevel: z.string().nullish(),
  outletKind: z.string().nullish(),
  outletProvince: z.string().nullish(),
  title: z.string().nullish(),
  sapo: z.string().nullish(),
  body: z.string().nullish(),
  publishedAt: IsoDateTime.nullish(),
  fetchedAt: IsoDateTime.nullish(),
  agencies: z.array(RuleAgency).default([]),
  sensitivity: Sensitivity.nullish(),
  storyId: z.string().nullish(),
  duplicateOf: z.string().nullish(),
  story: StoryInfo.nullish(),
});
export type RuleArticle = z.input<typeof RuleArticle>;
type ParsedArticle = z.output<typeof RuleArticle>;
type ParsedAgency = z.output<typeof RuleAgency>;

export interface EvaluateOptions {
  calendar: WorkCalendar;
  regimes: Regimes;
  /** The injected clock: stamps `createdAt`, and starts a deadline when the article has no date at all. */
  now?: string;
  /** Story information, when not on the article itself. */
  story?: StoryInfo | null;
}

const LEVEL_VI = { normal: 'bình thường', sensitive: 'nhạy cảm', hot: 'nóng' } as const;
const LEVEL_RANK = { normal: 0, sensitive: 1, hot: 2 } as const;
const TONE_VI = { negative: 'tiêu cực', neutral: 'trung tính', positive: 'tích cực' } as const;
const PROMINENCE_VI = {
  primary: 'là đối tượng chính của bài viết',
  secondary: 'được nêu ở mức thứ yếu',
  passing: 'chỉ được nhắc qua',
} as const;
const FIELD_VI: Record<Field, string> = { title: 'tiêu đề', sapo: 'sapo', body: 'nội dung' };
export const CATEGORY_VI: Record<string, string> = {
  violation: 'vi phạm',
  complaint: 'khiếu nại, phản ánh',
  land: 'đất đai',
  environment: 'môi trường',
  accident: 'tai nạn, sự cố',
  health: 'y tế, sức khỏe',
  public_order: 'an ninh, trật tự',
  press_conduct: 'hoạt động báo chí (thông tin sai, một chiều)',
  activity: 'tin hoạt động',
};

interface Ctx {
  article: ParsedArticle;
  agency: ParsedAgency;
  regime: Regime | null;
  story: StoryInfo | null;
  texts: TextCache;
}

interface Result {
  ok: boolean;
  reasons: string[];
}

const TRUE: Result = { ok: true, reasons: [] };
const FALSE: Result = { ok: false, reasons: [] };

class TextCache {
  private readonly cache = new Map<string, string>();
  constructor(private readonly article: ParsedArticle) {}
  get(field: Field, mode: 'folded' | 'exact'): string {
    const key = `${field}|${mode}`;
    let v = this.cache.get(key);
    if (v === undefined) {
      const raw = this.article[field] ?? '';
      v = mode === 'folded' ? foldForSearch(raw) : exactKey(raw).replace(/\s+/g, ' ').trim();
      this.cache.set(key, v);
    }
    return v;
  }
}

const patternCache = new Map<string, RegExp>();
function patternRegex(pattern: string, mode: 'folded' | 'exact'): RegExp {
  const key = `${mode}|${pattern}`;
  let re = patternCache.get(key);
  if (!re) {
    const norm = mode === 'folded' ? foldForSearch(pattern) : exactKey(pattern).replace(/\s+/g, ' ').trim();
    const body = norm
      .split(' ')
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
    patternCache.set(key, re);
  }
  return re;
}

function glob(patterns: readonly string[], value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return patterns.some((p) => {
    if (!p.includes('*')) return p === value;
    const re = new RegExp(
      `^${p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return re.test(value);
  });
}

function outletOf(a: ParsedArticle) {
  const o = a.outlet;
  const obj = typeof o === 'object' && o !== null ? o : {};
  const id = a.sourceId ?? (typeof o === 'string' ? o : (obj.id ?? null));
  return {
    id,
    name: obj.name ?? id,
    level: a.outletLevel ?? obj.level ?? null,
    kind: a.outletKind ?? obj.kind ?? null,
    province: a.outletProvince ?? obj.province ?? null,
  };
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function toneToward(a: ParsedArticle, agency: ParsedAgency) {
  const s = a.sensitivity;
  if (!s) return null;
  return s.toneByAgency[agency.id] ?? s.tone;
}

function evalText(c: TextCond, ctx: Ctx): Result {
  const reasons: string[] = [];
  for (const p of c.patterns) {
    const re = patternRegex(p, c.match);
    const where = c.fields.filter((f) => re.test(ctx.texts.get(f, c.match)));
    if (where.length > 0)
      reasons.push(`Bài viết có cụm từ “${p}” (${where.map((f) => FIELD_VI[f]).join(', ')})`);
  }
  return reasons.length > 0 ? { ok: true, reasons } : FALSE;
}

function evaluate(c: Condition, ctx: Ctx): Result {
  if ('all' in c) {
    const reasons: string[] = [];
    for (const x of c.all) {
      const r = evaluate(x, ctx);
      if (!r.ok) return FALSE;
      reasons.push(...r.reasons);
    }
    return { ok: true, reasons };
  }
  if ('any' in c) {
    const reasons: string[] = [];
    let ok = false;
    for (const x of c.any) {
      const r = evaluate(x, ctx);
      if (r.ok) {
        ok = true;
        reasons.push(...r.reasons);
      }
    }
    return ok ? { ok, reasons } : FALSE;
  }
  if ('not' in c) return evaluate(c.not, ctx).ok ? FALSE : TRUE;
  if ('agency' in c) {
    const q = c.agency;
    const g = ctx.agency;
    if (q.id && !glob(q.id, g.id)) return FALSE;
    if (q.type && !glob(q.type, g.type)) return FALSE;
    if (q.level && !glob(q.level, g.level)) return FALSE;
    if (q.province && !glob(q.province, g.province)) return FALSE;
    if (q.prominence && !q.prominence.includes(g.prominence)) return FALSE;
    if (q.confidenceMin !== undefined && g.confidence < q.confidenceMin) return FALSE;
    return {
      ok: true,
      reasons: [`${g.name} ${PROMINENCE_VI[g.prominence]} (độ tin cậy nhận diện ${percent(g.confidence)})`],
    };
  }
  if ('sensitivity' in c) {
    const q = c.sensitivity;
    const s = ctx.article.sensitivity;
    if (!s) return FALSE;
    const reasons: string[] = [];
    if (q.level || q.levelMin) {
      if (q.level && !q.level.includes(s.level)) return FALSE;
      if (q.levelMin && LEVEL_RANK[s.level] < LEVEL_RANK[q.levelMin]) return FALSE;
      reasons.push(`Mức độ nhạy cảm của bài: ${LEVEL_VI[s.level]}`);
    }
    if (q.scoreMin !== undefined && s.score < q.scoreMin) return FALSE;
    if (q.categories) {
      const hit = q.categories.filter((x) => s.categories.includes(x));
      if (hit.length === 0) return FALSE;
      reasons.push(`Nhóm nội dung: ${hit.map((x) => CATEGORY_VI[x] ?? x).join('; ')}`);
    }
    if (q.categoriesAll) {
      if (!q.categoriesAll.every((x) => s.categories.includes(x))) return FALSE;
      reasons.push(`Nhóm nội dung: ${q.categoriesAll.map((x) => CATEGORY_VI[x] ?? x).join('; ')}`);
    }
    if (q.tone) {
      const t = toneToward(ctx.article, ctx.agency);
      if (!t || !q.tone.includes(t)) return FALSE;
      reasons.push(`Sắc thái đối với ${ctx.agency.name}: ${TONE_VI[t]}`);
    }
    return { ok: true, reasons };
  }
  if ('outlet' in c) {
    const q = c.outlet;
    const o = outletOf(ctx.article);
    const reasons: string[] = [];
    if (q.id && !glob(q.id, o.id)) return FALSE;
    if (q.level) {
      if (!glob(q.level, o.level)) return FALSE;
      const level = o.level === 'national' ? 'trung ương' : o.level === 'provincial' ? 'địa phương' : o.level;
      reasons.push(`Cơ quan báo chí${o.name ? ` ${o.name}` : ''} thuộc cấp ${level}`);
    }
    if (q.kind) {
      if (!glob(q.kind, o.kind)) return FALSE;
      reasons.push(`Loại hình báo chí: ${o.kind}`);
    }
    if (q.sameProvinceAsAgency !== undefined) {
      const same = o.province !== null && o.province === ctx.agency.province;
      if (same !== q.sameProvinceAsAgency) return FALSE;
    }
    return { ok: true, reasons };
  }
  if ('story' in c) {
    const st = ctx.story;
    if (!st) return FALSE;
    const outlets = typeof st.outlets === 'number' ? st.outlets : new Set(st.outlets).size;
    if (c.story.outletsMin !== undefined && outlets < c.story.outletsMin) return FALSE;
    if (c.story.articleCountMin !== undefined && st.articleCount < c.story.articleCountMin) return FALSE;
    return {
      ok: true,
      reasons: [`Sự việc được ${outlets} cơ quan báo chí đưa tin (${st.articleCount} bài)`],
    };
  }
  if ('text' in c) return evalText(c.text, ctx);
  if ('published' in c) {
    const p = ctx.article.publishedAt;
    if (!p) return FALSE;
    const d = localDate(p);
    if (c.published.from && d < c.published.from) return FALSE;
    if (c.published.to && d > c.published.to) return FALSE;
    return TRUE;
  }
  if ('regime' in c) return ctx.regime && c.regime.includes(ctx.regime.id) ? TRUE : FALSE;
  if ('duplicate' in c) return (ctx.article.duplicateOf ? true : false) === c.duplicate ? TRUE : FALSE;
  const never: never = c;
  throw new Error(`unknown condition ${JSON.stringify(never)}`);
}

function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (m, k: string) => vars[k] ?? m);
}

interface Timing {
  deadline: string | null;
  vars: Record<string, string>;
  reasons: string[];
}

function timing(
  rule: LoadedRule,
  article: ParsedArticle,
  regime: Regime | null,
  opts: EvaluateOptions,
): Timing {
  const spec = rule.then.deadline;
  const none: Record<string, string> = {
    deadline: 'không có hạn cố định',
    period: '',
    startsFrom: '',
    citation: '',
  };
  if (!spec) return { deadline: null, vars: none, reasons: [] };
  if (!regime) {
    return {
      deadline: null,
      vars: none,
      reasons: [
        'Bài đăng trước ngày có hiệu lực của chế độ pháp lý đầu tiên được mô hình hóa (01/01/2017): không tính hạn.',
      ],
    };
  }
  const p = regime.parameters[spec.param];
  if (!p) throw new Error(`rule ${rule.id}: regime ${regime.id} has no parameter ${spec.param}`);
  const anchor =
    spec.from === 'detected'
      ? (article.fetchedAt ?? opts.now ?? article.publishedAt ?? null)
      : (article.publishedAt ?? article.fetchedAt ?? opts.now ?? null);
  const deadline = anchor ? computeDeadline(p, anchor, opts.calendar, opts.regimes.computation) : null;
  const period = durationText(p);
  const reasons: string[] = [];
  const anchorName =
    spec.from === 'detected' || !article.publishedAt
      ? 'thời điểm hệ thống phát hiện bài'
      : 'thời điểm đăng bài';
  if (deadline) {
    reasons.push(
      `Thời hạn: ${period} kể từ ${p.startsFrom} (${p.citation}); hệ thống tính từ ${anchorName} ${viDateTime(anchor!)}: hạn chót ${viDateTime(deadline)}.`,
    );
  } else {
    reasons.push(`Thời hạn: ${period} (${p.citation}).`);
  }
  if (p.confidence !== 'H')
    reasons.push(`Lưu ý: thông số thời hạn này có độ tin cậy ${p.confidence}, cần đối chiếu văn bản gốc.`);
  return {
    deadline,
    vars: {
      deadline: deadline ? viDateTime(deadline) : period,
      period,
      startsFrom: p.startsFrom,
      citation: p.citation,
    },
    reasons,
  };
}

/** Evaluate every rule for every tagged agency of the article. */
export function evaluateRules(input: RuleArticle, ruleSet: RuleSet, opts: EvaluateOptions): Flag[] {
  const article = RuleArticle.parse(input);
  const when = article.publishedAt ?? article.fetchedAt ?? opts.now ?? null;
  const regime = when ? regimeFor(when, opts.regimes) : null;
  const story = article.story ?? opts.story ?? null;
  const texts = new TextCache(article);
  const outlet = outletOf(article);
  const flags: Flag[] = [];
  const seen = new Set<string>();
  for (const agency of article.agencies) {
    for (const rule of ruleSet.rules) {
      const id = flagId(article.id, agency.id, rule.id);
      if (seen.has(id)) continue; // the same agency tagged twice: one flag
      const r = evaluate(rule.when, { article, agency, regime, story, texts });
      if (!r.ok) continue;
      seen.add(id);
      const t = timing(rule, article, regime, opts);
      const vars: Record<string, string> = {
        agency: agency.name,
        article: article.title ?? '',
        outlet: outlet.name ?? '',
        level: article.sensitivity ? LEVEL_VI[article.sensitivity.level] : '',
        regime: regime?.name ?? '',
        ...t.vars,
      };
      const reasons = [render(rule.then.explanation, vars), ...new Set(r.reasons), ...t.reasons];
      if (!article.publishedAt)
        reasons.push('Bài viết không có thời điểm đăng: chế độ pháp lý xác định theo thời điểm phát hiện.');
      const flag: Flag = {
        id,
        articleId: article.id,
        agencyId: agency.id,
        ruleId: rule.id,
        kind: rule.then.kind,
        priority: rule.then.priority,
        deadline: t.deadline,
        regime: regime?.id ?? null,
        reasons,
      };
      if (opts.now) flag.createdAt = opts.now;
      flags.push(flag);
    }
  }
  return flags;
}
