/** Search page, search API, streamed exports, and "save as subscription". */
import { z } from 'zod';
import { AlertMode, Channel } from '../../notify/directory/schema.ts';
import { savedSearch, saveSubscriptions } from '../../notify/subscriptions.ts';
import { BulkWriter } from '../../store/bulk-writer.ts';
import type { App } from '../app-types.ts';
import { audit } from '../audit.ts';
import { scopeOf } from '../auth/principal.ts';
import { csvStream, xlsxStream } from '../search/export.ts';
import { parseQuery } from '../search/parse.ts';
import { EXPORT_COLUMNS, exportRows, runSearch, SearchParams } from '../search/run.ts';
import { defineRoute, HttpError, multi } from '../route.ts';
import { page } from '../views/layout.ts';
import { searchView } from '../views/search.ts';

const ALL = ['admin', 'monitor', 'agency'] as const;

const SaveInput = z.object({
  name: z.string().trim().min(1).max(200),
  q: z.string().max(1000).default(''),
  agencyId: z.string().trim().min(1).max(200).optional(),
  agency: multi,
  province: multi,
  outlet: multi,
  level: multi.pipe(z.array(z.enum(['normal', 'sensitive', 'hot']))),
  mode: AlertMode.default('daily'),
  channels: z.union([Channel, z.array(Channel)]).default(['email']).transform((c) => (Array.isArray(c) ? c : [c])),
});

const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:T]/g, '');

export function registerSearchRoutes({ app, registry, deps }: App): void {
  const { store } = deps;

  defineRoute(app, registry, { method: 'GET', url: '/search', summary: 'Trang tìm kiếm', roles: [...ALL], query: SearchParams }, async ({ query, principal, req, reply }) => {
    const result = await runSearch(store, principal, query);
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Tìm kiếm', principal, csrf: req.session!.csrf, active: '/search' }, searchView(query, result, principal.role !== 'agency')));
  });

  defineRoute(
    app,
    registry,
    { method: 'GET', url: '/api/search', summary: 'Tìm bài báo: một dòng cho mỗi sự việc (các bản đăng lại gộp vào), facet, tô sáng, phân trang', tag: 'search', roles: [...ALL], query: SearchParams },
    async ({ query, principal }) => runSearch(store, principal, query),
  );

  defineRoute(
    app,
    registry,
    { method: 'GET', url: '/api/search/export.csv', summary: 'Xuất toàn bộ kết quả (mỗi bài một dòng) ra CSV, truyền dần', tag: 'search', roles: [...ALL], query: SearchParams, produces: ['text/csv'] },
    async ({ query, principal, reply }) => {
      const body = csvStream(EXPORT_COLUMNS, exportRows(store, principal, query));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="ket-qua-tim-kiem-${stamp(deps.clock())}.csv"`)
        .send(body);
    },
  );

  defineRoute(
    app,
    registry,
    {
      method: 'GET',
      url: '/api/search/export.xlsx',
      summary: 'Xuất toàn bộ kết quả ra Excel (ghi dần bằng WorkbookWriter)',
      tag: 'search',
      roles: [...ALL],
      query: SearchParams,
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    },
    async ({ query, principal, reply, req }) => {
      const body = xlsxStream('Kết quả', EXPORT_COLUMNS, exportRows(store, principal, query), (err) => req.log.error({ err }, 'xlsx export failed'));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="ket-qua-tim-kiem-${stamp(deps.clock())}.xlsx"`)
        .send(body);
    },
  );

  defineRoute(
    app,
    registry,
    { method: 'POST', url: '/api/subscriptions', summary: 'Lưu tìm kiếm thành đăng ký nhận cảnh báo', tag: 'search', roles: [...ALL], body: SaveInput },
    async ({ body, principal, reply }) => {
      // Agency users always subscribe their own agency; staff name the receiving agency.
      const agencyId = scopeOf(principal) ?? body.agencyId;
      if (!agencyId) throw new HttpError(400, 'Cần chọn cơ quan nhận cảnh báo');
      const parsed = parseQuery(body.q);
      // The alert matcher understands free text and keyword filters: field filters typed in the box become filters.
      const text = body.q.replace(/(^|\s)-?[a-z]+:("[^"]*"|\S+)/g, ' ').replace(/\s+/g, ' ').trim();
      const agencies = [...body.agency, ...(parsed.include.agency ?? [])];
      const scoped = principal.role === 'agency' ? [agencyId] : agencies;
      const filters = {
        ...(scoped.length ? { agencyIds: [...new Set(scoped)] } : {}),
        ...(body.province.length || parsed.include.province ? { provinces: [...body.province, ...(parsed.include.province ?? [])] } : {}),
        ...(body.outlet.length || parsed.include.outlet ? { outlets: [...body.outlet, ...(parsed.include.outlet ?? [])] } : {}),
        ...(body.level.length ? { levels: body.level } : {}),
      };
      const sub = savedSearch({ name: body.name, agencyId, query: text || null, filters, channels: body.channels, mode: body.mode, ownerId: principal.username }, deps.clock());
      await saveSubscriptions(store, new BulkWriter(store.client, { log: deps.log, refresh: 'wait_for' }), [sub]);
      await audit(store, principal, { action: 'save-subscription', targetType: 'subscription', targetId: sub.id, agencyId }, deps.clock());
      return reply.code(201).send({ subscription: sub, message: 'Đã lưu đăng ký nhận cảnh báo' });
    },
  );
}
