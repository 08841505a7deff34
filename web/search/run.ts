/** Run a search: one row per story (copies and same-story articles folded in), facets, pagination, export. */
import type { estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import type { Store } from '../../store/es.ts';
import { scopeOf, type Principal } from '../auth/principal.ts';
import { agencyState } from '../../rules/cases/article-states.ts';
import { multi } from '../route.ts';
import { highlight, snippet } from './highlight.ts';
import { parseQuery, positiveTerms, type FieldFilters } from './parse.ts';
import { buildQuery } from './query.ts';
import { facetValueLabel, flagLabel, levelLabel, outletName, provinceName, toneLabel } from '../views/labels.ts';

export const SearchParams = z.object({
  q: z.string().max(1000).default(''),
  agency: multi,
  province: multi,
  outlet: multi,
  level: multi,
  tone: multi,
  flag: multi,
  case: multi,
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  sort: z.enum(['relevance', 'time']).default('relevance'),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  size: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchParams = z.output<typeof SearchParams>;

export interface ArticleSource {
  id: string;
  url: string;
  title: string | null;
  sapo: string | null;
  body: string | null;
  sourceId: string;
  outletName?: string | null;
  publishedAt: string | null;
  storyId: string | null;
  duplicateOf: string | null;
  agencies?: Array<{ id: string; name: string; province: string | null }>;
  provinces?: string[];
  sensitivity?: { level: string; tone: string } | null;
  flagKinds?: string[];
}

export interface SearchRow {
  storyId: string | null;
  article: Omit<ArticleSource, 'body' | 'sapo' | 'agencies'> & { agencies: Array<{ id: string; name: string }> };
  titleHtml: string;
  snippetHtml: string;
  /** Other articles of the same story matching the query (copies and follow-ups), newest first. */
  related: Array<{ id: string; title: string | null; outlet: string; url: string; publishedAt: string | null; isCopy: boolean }>;
  relatedTotal: number;
}

export interface Facet {
  key: string;
  count: number;
  /** What a person reads: the agency's or province's name, the Vietnamese label of a code. */
  label: string;
}

export interface SearchResult {
  total: { articles: number; stories: number };
  page: number;
  size: number;
  rows: SearchRow[];
  facets: Record<'agency' | 'province' | 'outlet' | 'level' | 'tone' | 'flag' | 'case' | 'date', Facet[]>;
}

const LIST_SOURCE = ['id', 'url', 'title', 'sapo', 'body', 'sourceId', 'outletName', 'publishedAt', 'storyId', 'duplicateOf', 'agencies.id', 'agencies.name', 'agencies.province', 'provinces', 'sensitivity.level', 'sensitivity.tone', 'flagKinds'];

export function selectedFilters(p: Pick<SearchParams, 'agency' | 'province' | 'outlet' | 'level' | 'tone' | 'flag' | 'case' | 'from' | 'to'>): FieldFilters {
  return {
    agency: p.agency,
    province: p.province,
    outlet: p.outlet,
    level: p.level,
    tone: p.tone,
    flag: p.flag,
    case: p.case,
    ...(p.from ? { from: [p.from] } : {}),
    ...(p.to ? { to: [p.to] } : {}),
  };
}

const terms = (field: string, size = 30): estypes.AggregationsAggregationContainer => ({ terms: { field, size } });

type Bucket = { key: string | number; key_as_string?: string; doc_count: number; name?: { buckets?: Array<{ key: string }> } };

function buckets(aggs: Record<string, unknown> | undefined, name: string): Facet[] {
  const b = (aggs?.[name] as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
  return b.map((x) => {
    const key = x.key_as_string ?? String(x.key);
    return { key, count: x.doc_count, label: facetValueLabel(name, key, x.name?.buckets?.[0]?.key ?? null) };
  });
}

/** Case states of the matching articles; an agency user counts only its own cases, by their state. */
function caseStateAgg(principal: Principal): estypes.AggregationsAggregationContainer {
  const agency = scopeOf(principal);
  if (!agency) return terms('caseStates');
  return { terms: { field: 'caseAgencyStates', size: 30, include: `${agencyState(agency, '').replace(/[.?+*|{}[\]()"\\#@&<>~]/g, '\\$&')}.*` } };
}

function caseBuckets(aggs: Record<string, unknown> | undefined, principal: Principal): Facet[] {
  const prefix = scopeOf(principal) === null ? '' : agencyState(scopeOf(principal)!, '');
  return buckets(aggs, 'case').map((f) => {
    const key = f.key.slice(prefix.length);
    return { ...f, key, label: facetValueLabel('case', key) };
  });
}

const outletOf = (a: ArticleSource) => outletName(a.sourceId, a.outletName);

const SIBLING_SOURCE = ['id', 'url', 'title', 'sourceId', 'outletName', 'publishedAt', 'duplicateOf', 'storyId'];

/**
 * The other matching articles of each story on the page, in one query (collapse inner_hits would run one
 * sub-search per row: most of a search's time at 100k articles). Same query as the page, so the same
 * access scope and the same matches.
 */
async function storySiblings(store: Store, query: estypes.QueryDslQueryContainer, storyIds: string[]): Promise<Map<string, { hits: ArticleSource[]; total: number }>> {
  const out = new Map<string, { hits: ArticleSource[]; total: number }>();
  if (storyIds.length === 0) return out;
  const res = await store.client.search<ArticleSource>({
    index: store.names.alias('articles'),
    ignore_unavailable: true,
    allow_no_indices: true,
    size: Math.min(500, storyIds.length * 8),
    query: { bool: { filter: [query, { terms: { storyId: storyIds } }] } },
    sort: [{ publishedAt: { order: 'desc', missing: '_last' } }],
    _source: SIBLING_SOURCE,
    aggs: { perStory: { terms: { field: 'storyId', size: storyIds.length } } },
  });
  for (const b of (res.aggregations as { perStory?: { buckets: Array<{ key: string; doc_count: number }> } } | undefined)?.perStory?.buckets ?? []) {
    out.set(b.key, { hits: [], total: b.doc_count });
  }
  for (const h of res.hits.hits) {
    const s = out.get(h._source!.storyId ?? '');
    if (s && s.hits.length < 6) s.hits.push(h._source!);
  }
  return out;
}

export async function runSearch(store: Store, principal: Principal, params: SearchParams): Promise<SearchResult> {
  const parsed = parseQuery(params.q);
  const query = buildQuery(parsed, selectedFilters(params), principal);
  const highlightTerms = positiveTerms(parsed.node);
  const from = Math.min((params.page - 1) * params.size, 10_000 - params.size);
  const byTime: estypes.SortCombinations[] = [{ publishedAt: { order: 'desc', missing: '_last' } }, { id: 'asc' }];
  const sort: estypes.SortCombinations[] = params.sort === 'time' || !parsed.node ? byTime : [{ _score: { order: 'desc' } }, ...byTime];
  const res = await store.client.search<ArticleSource>({
    index: store.names.alias('articles'),
    ignore_unavailable: true,
    allow_no_indices: true,
    track_total_hits: true,
    query,
    from,
    size: params.size,
    sort,
    _source: LIST_SOURCE,
    // Every indexed article has a story (a lone article is a story of one), so collapsing groups copies.
    collapse: { field: 'storyId' },
    aggs: {
      stories: { cardinality: { field: 'storyId', precision_threshold: 40_000 } },
      agency: terms('agencyIds', 50),
      province: terms('provinces'),
      // The outlet's name as stored on its articles: the sources file knows it, the index keeps it.
      outlet: { ...terms('sourceId'), aggs: { name: terms('outletName', 1) } },
      level: terms('sensitivity.level'),
      tone: terms('sensitivity.tone'),
      flag: terms('flagKinds'),
      case: caseStateAgg(principal),
      date: { date_histogram: { field: 'publishedAt', calendar_interval: 'day', time_zone: '+07:00', format: 'yyyy-MM-dd', min_doc_count: 1 } },
    },
  });
  const aggs = res.aggregations as Record<string, unknown> | undefined;
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  const siblings = await storySiblings(store, query, res.hits.hits.map((h) => h._source!.storyId).filter((x): x is string => Boolean(x)));
  const rows: SearchRow[] = res.hits.hits.map((h) => {
    const a = h._source!;
    const story = siblings.get(a.storyId ?? '') ?? { hits: [], total: 1 };
    const innerTotal = story.total;
    const related = story.hits
      .filter((x) => x.id !== a.id)
      .slice(0, 5)
      .map((x) => ({ id: x.id, title: x.title, outlet: outletOf(x), url: x.url, publishedAt: x.publishedAt, isCopy: x.duplicateOf !== null }));
    const { body, sapo, agencies, ...rest } = a;
    return {
      storyId: a.storyId,
      article: { ...rest, agencies: (agencies ?? []).map((g) => ({ id: g.id, name: g.name })) },
      titleHtml: highlight(a.title, highlightTerms).value,
      snippetHtml: snippet(`${sapo ?? ''} ${body ?? ''}`, highlightTerms).value,
      related,
      relatedTotal: Math.max(0, innerTotal - 1),
    };
  });
  return {
    total: { articles: total, stories: (aggs?.stories as { value?: number } | undefined)?.value ?? 0 },
    page: params.page,
    size: params.size,
    rows,
    facets: {
      agency: buckets(aggs, 'agency'),
      province: buckets(aggs, 'province'),
      outlet: buckets(aggs, 'outlet'),
      level: buckets(aggs, 'level'),
      tone: buckets(aggs, 'tone'),
      flag: buckets(aggs, 'flag'),
      case: caseBuckets(aggs, principal),
      date: buckets(aggs, 'date'),
    },
  };
}

export interface ExportRow {
  publishedAt: string;
  outlet: string;
  title: string;
  url: string;
  agencies: string;
  provinces: string;
  level: string;
  tone: string;
  flags: string;
  storyId: string;
  isCopy: string;
}

export const EXPORT_COLUMNS: Array<{ key: keyof ExportRow; header: string; width: number }> = [
  { key: 'publishedAt', header: 'Thời gian đăng', width: 22 },
  { key: 'outlet', header: 'Cơ quan báo chí', width: 24 },
  { key: 'title', header: 'Tiêu đề', width: 60 },
  { key: 'url', header: 'Đường dẫn', width: 50 },
  { key: 'agencies', header: 'Cơ quan được nhắc đến', width: 40 },
  { key: 'provinces', header: 'Tỉnh', width: 10 },
  { key: 'level', header: 'Mức độ', width: 12 },
  { key: 'tone', header: 'Sắc thái', width: 12 },
  { key: 'flags', header: 'Cảnh báo', width: 24 },
  { key: 'storyId', header: 'Mã sự việc', width: 20 },
  { key: 'isCopy', header: 'Bài đăng lại', width: 12 },
];

/**
 * Every matching article (not folded: an export is for counting and filing), newest first, paged with
 * search_after on (publishedAt, id) so there is no 10 000 cap and memory stays flat.
 */
export async function* exportRows(store: Store, principal: Principal, params: SearchParams, pageSize = 500): AsyncGenerator<ExportRow> {
  const parsed = parseQuery(params.q);
  const query = buildQuery(parsed, selectedFilters(params), principal);
  let after: estypes.SortResults | undefined;
  for (;;) {
    const res = await store.client.search<ArticleSource>({
      index: store.names.alias('articles'),
      ignore_unavailable: true,
      allow_no_indices: true,
      query,
      size: pageSize,
      sort: [{ publishedAt: { order: 'desc', missing: '_last' } }, { id: 'asc' }],
      _source: LIST_SOURCE.filter((f) => f !== 'body' && f !== 'sapo'),
      track_total_hits: false,
      ...(after ? { search_after: after } : {}),
    });
    for (const h of res.hits.hits) {
      const a = h._source!;
      yield {
        publishedAt: a.publishedAt ?? '',
        outlet: outletOf(a),
        title: a.title ?? '',
        url: a.url,
        agencies: [...new Set((a.agencies ?? []).map((g) => g.name))].join('; '),
        // Spreadsheets are read by people: names and Vietnamese labels, not codes.
        provinces: (a.provinces ?? []).map(provinceName).join('; '),
        level: levelLabel(a.sensitivity?.level),
        tone: toneLabel(a.sensitivity?.tone),
        flags: (a.flagKinds ?? []).map(flagLabel).join('; '),
        storyId: a.storyId ?? '',
        isCopy: a.duplicateOf ? 'có' : '',
      };
    }
    if (res.hits.hits.length < pageSize) return;
    after = res.hits.hits.at(-1)!.sort;
  }
}
