/** Reports per agency/province and period (incl. the NĐ 244/2026 period 15/12–14/12), with an XLSX export. */
import type { estypes } from '@elastic/elasticsearch';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { nd244Report, type Nd244Counts } from '../../rules/cases/report.ts';
import type { App } from '../app-types.ts';
import { scopeOf, type Principal } from '../auth/principal.ts';
import { defineRoute } from '../route.ts';
import { xlsxStream } from '../search/export.ts';
import { html, raw } from '../views/html.ts';
import { agencyName, flagLabel, levelLabel, outletName, provinceName, provinceOptions, toneLabel } from '../views/labels.ts';
import { page } from '../views/layout.ts';

const ALL = ['admin', 'monitor', 'agency'] as const;
const ZONE = 'Asia/Ho_Chi_Minh';

const ReportQuery = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** NĐ 244 reporting year: 15/12 of the year before to 14/12 of this year. */
  nd244Year: z.coerce.number().int().min(2026).max(2100).optional(),
  agency: z.string().min(1).max(200).optional(),
  province: z.string().regex(/^\d{2}$/).optional(),
});

interface Row {
  key: string;
  count: number;
}
export interface Report {
  from: string;
  to: string;
  agency: string | null;
  province: string | null;
  articles: number;
  byOutlet: Row[];
  byLevel: Row[];
  byTone: Row[];
  flagsByKind: Row[];
  nd244: Nd244Counts[];
  /** sourceId → the outlet's name as stored on its articles. */
  outletNames: Record<string, string>;
}

/** The current NĐ 244 period at `now`: 15/12 last year … 14/12 this year (or the next one after 14/12). */
export function nd244Period(year: number): { from: string; to: string } {
  return { from: `${year - 1}-12-15`, to: `${year}-12-14` };
}

function period(q: z.output<typeof ReportQuery>, now: Date) {
  if (q.nd244Year) return nd244Period(q.nd244Year);
  const local = DateTime.fromJSDate(now, { zone: ZONE });
  const fallback = nd244Period(local.month === 12 && local.day >= 15 ? local.year + 1 : local.year);
  return { from: q.from ?? fallback.from, to: q.to ?? fallback.to };
}

const rows = (aggs: Record<string, unknown> | undefined, name: string): Row[] =>
  ((aggs?.[name] as { buckets?: Array<{ key: string; doc_count: number }> })?.buckets ?? []).map((b) => ({ key: String(b.key), count: b.doc_count }));

const outletNames = (aggs: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    ((aggs?.outlet as { buckets?: Array<{ key: string; name?: { buckets?: Array<{ key: string }> } }> })?.buckets ?? []).flatMap((b) => (b.name?.buckets?.[0] ? [[String(b.key), b.name.buckets[0].key]] : [])),
  );

export async function buildReport(deps: App['deps'], p: Principal, q: z.output<typeof ReportQuery>): Promise<Report> {
  const { store } = deps;
  const { from, to } = period(q, deps.clock());
  // Agency users: their agency, whatever they asked for.
  const agency = scopeOf(p) ?? (p.role === 'agency' ? '\u0000' : (q.agency ?? null));
  const range = { gte: `${from}T00:00:00+07:00`, lte: `${to}T23:59:59+07:00` };
  const articleFilter: estypes.QueryDslQueryContainer[] = [{ range: { publishedAt: range } }];
  if (agency) articleFilter.push({ term: { agencyIds: agency } });
  if (q.province) articleFilter.push({ term: { provinces: q.province } });
  const a = await store.client.search({
    index: store.names.alias('articles'),
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: articleFilter } },
    aggs: { outlet: { terms: { field: 'sourceId', size: 100 }, aggs: { name: { terms: { field: 'outletName', size: 1 } } } }, level: { terms: { field: 'sensitivity.level' } }, tone: { terms: { field: 'sensitivity.tone' } } },
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  const flagFilter: estypes.QueryDslQueryContainer[] = [{ range: { createdAt: range } }];
  if (agency) flagFilter.push({ term: { agencyId: agency } });
  if (q.province) flagFilter.push({ term: { province: q.province } });
  const f = await store.client.search({ index: store.names.alias('flags'), size: 0, query: { bool: { filter: flagFilter } }, aggs: { kind: { terms: { field: 'kind' } } }, ignore_unavailable: true, allow_no_indices: true });
  let nd244 = await nd244Report(store, { from, to, ...(agency ? { agencyId: agency } : {}) }, deps.caseContext);
  if (q.province) nd244 = nd244.filter((r) => r.agencyId.startsWith(`2025-${q.province}-`));
  const total = typeof a.hits.total === 'number' ? a.hits.total : (a.hits.total?.value ?? 0);
  const aa = a.aggregations as Record<string, unknown> | undefined;
  return { from, to, agency, province: q.province ?? null, articles: total, byOutlet: rows(aa, 'outlet'), outletNames: outletNames(aa), byLevel: rows(aa, 'level'), byTone: rows(aa, 'tone'), flagsByKind: rows(f.aggregations as Record<string, unknown>, 'kind'), nd244 };
}

const table = (title: string, r: Row[], label: (k: string) => string = (k) => k) =>
  html`<h2>${title}</h2>${r.length ? html`<table><tbody>${r.map((x) => html`<tr><td>${label(x.key)}</td><td class="num">${x.count}</td></tr>`)}</tbody></table>` : html`<p>Không có dữ liệu.</p>`}`;

export function registerReportRoutes({ app, registry, deps }: App): void {
  defineRoute(app, registry, { method: 'GET', url: '/reports', summary: 'Trang báo cáo', roles: [...ALL], query: ReportQuery }, async ({ query, principal, req, reply }) => {
    const r = await buildReport(deps, principal, query);
    const qs = new URLSearchParams(Object.entries({ from: r.from, to: r.to, ...(r.agency && principal.role !== 'agency' ? { agency: r.agency } : {}), ...(r.province ? { province: r.province } : {}) })).toString();
    const body = html`<h1>Báo cáo</h1>
<form method="get" action="/reports" class="filters"><label>Từ ngày <input type="date" name="from" value="${r.from}"></label><label>Đến ngày <input type="date" name="to" value="${r.to}"></label>
${principal.role !== 'agency'
  ? html`<label>Cơ quan (mã) <input name="agency" value="${r.agency ?? ''}" placeholder="2025-91-so-y-te"></label>${r.agency ? html` <span class="tag">${agencyName(r.agency)}</span>` : ''}<label>Tỉnh, thành phố <select name="province"><option value="">Tất cả</option>${provinceOptions().map((o) => html`<option value="${o.code}"${o.code === r.province ? raw(' selected') : ''}>${o.name}</option>`)}</select></label>`
  : ''}
<button type="submit">Xem</button> <a href="/reports?nd244Year=${DateTime.fromJSDate(deps.clock(), { zone: ZONE }).year}">Kỳ báo cáo NĐ 244/2026 (15/12–14/12)</a></form>
<p>Kỳ: ${r.from} – ${r.to}${r.province ? html` · ${provinceName(r.province)}` : ''} · Tổng số bài: <strong>${r.articles}</strong> · <a href="/api/reports/export.xlsx?${qs}">Xuất Excel</a></p>
${table('Số bài theo cơ quan báo chí', r.byOutlet, (k) => outletName(k, r.outletNames[k]))}${table('Theo mức độ nhạy cảm', r.byLevel, levelLabel)}${table('Theo sắc thái', r.byTone, toneLabel)}${table('Cảnh báo theo loại', r.flagsByKind, flagLabel)}
<h2>Chỉ tiêu NĐ 244/2026</h2>${r.nd244.length
      ? html`<table><thead><tr><th>Cơ quan</th><th>Phát ngôn đúng hạn / số vụ việc hạn 24 giờ</th><th>Văn bản phản hồi, đề nghị cải chính / số vụ việc thông tin sai sự thật</th></tr></thead><tbody>${r.nd244.map(
          (x) => html`<tr><td>${agencyName(x.agencyId)}</td><td class="num">${x.statementsOnTime}/${x.statementCases}</td><td class="num">${x.writtenReplies}/${x.falseInfoCases}</td></tr>`,
        )}</tbody></table>`
      : html`<p>Không có vụ việc trong kỳ.</p>`}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Báo cáo', principal, csrf: req.session!.csrf, active: '/reports' }, body));
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/reports', summary: 'Số liệu báo cáo theo kỳ (kể cả chỉ tiêu NĐ 244/2026)', tag: 'reports', roles: [...ALL], query: ReportQuery }, async ({ query, principal }) =>
    buildReport(deps, principal, query),
  );

  defineRoute(
    app,
    registry,
    { method: 'GET', url: '/api/reports/export.xlsx', summary: 'Xuất báo cáo ra Excel', tag: 'reports', roles: [...ALL], query: ReportQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    async ({ query, principal, reply, req }) => {
      const r = await buildReport(deps, principal, query);
      type Line = { section: string; key: string; value: string };
      async function* lines(): AsyncGenerator<Line> {
        yield { section: 'Kỳ báo cáo', key: `${r.from} – ${r.to}`, value: String(r.articles) };
        for (const x of r.byOutlet) yield { section: 'Cơ quan báo chí', key: outletName(x.key, r.outletNames[x.key]), value: String(x.count) };
        for (const x of r.byLevel) yield { section: 'Mức độ nhạy cảm', key: levelLabel(x.key), value: String(x.count) };
        for (const x of r.byTone) yield { section: 'Sắc thái', key: toneLabel(x.key), value: String(x.count) };
        for (const x of r.flagsByKind) yield { section: 'Cảnh báo', key: flagLabel(x.key), value: String(x.count) };
        for (const x of r.nd244) {
          yield { section: 'NĐ 244: phát ngôn đúng hạn', key: agencyName(x.agencyId), value: `${x.statementsOnTime}/${x.statementCases}` };
          yield { section: 'NĐ 244: văn bản phản hồi/cải chính', key: agencyName(x.agencyId), value: `${x.writtenReplies}/${x.falseInfoCases}` };
        }
      }
      const cols = [
        { key: 'section' as const, header: 'Mục', width: 36 },
        { key: 'key' as const, header: 'Nội dung', width: 40 },
        { key: 'value' as const, header: 'Số liệu', width: 14 },
      ];
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="bao-cao-${r.from}-${r.to}.xlsx"`)
        .send(xlsxStream('Báo cáo', cols, lines(), (err) => req.log.error({ err }, 'report export failed')));
    },
  );
}
