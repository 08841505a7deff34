/** Digest archive (điểm báo): list, view the archived HTML, download PDF/DOCX. Agency users: their own only. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ArchivedDigest } from '../../notify/digest/archive.ts';
import type { App } from '../app-types.ts';
import { scopeFilter, type Principal } from '../auth/principal.ts';
import { defineRoute, HttpError } from '../route.ts';
import { html } from '../views/html.ts';
import { viDateTime } from '../views/labels.ts';
import { page } from '../views/layout.ts';
import { insideStorage } from './articles.ts';

const ALL = ['admin', 'monitor', 'agency'] as const;
const TYPES = { html: 'text/html; charset=utf-8', pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;

export function registerDigestRoutes({ app, registry, deps }: App): void {
  const { store } = deps;
  const list = async (p: Principal, id?: string): Promise<ArchivedDigest[]> => {
    const res = await store.client.search<ArchivedDigest>({
      index: store.names.alias('digests'),
      query: { bool: { filter: [...(id ? [{ ids: { values: [id] } }] : []), ...scopeFilter(p, 'agencyId')] } },
      sort: [{ date: 'desc' }, { id: 'asc' }],
      size: 200,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return res.hits.hits.map((h) => h._source!);
  };

  defineRoute(app, registry, { method: 'GET', url: '/digests', summary: 'Trang lưu trữ điểm báo', roles: [...ALL] }, async ({ principal, req, reply }) => {
    const rows = await list(principal);
    const body = html`<h1>Điểm báo đã lưu</h1>${rows.length
      ? html`<table><thead><tr><th>Ngày</th><th>Tiêu đề</th><th>Tổng số bài</th><th>Tải về</th></tr></thead><tbody>${rows.map(
          (d) => html`<tr><td>${d.date}</td><td>${d.title}</td><td>${String((d.figures as { total?: number } | undefined)?.total ?? '')}</td><td>${(['html', 'pdf', 'docx'] as const)
            .filter((f) => d.files[f])
            .map((f) => html`<a href="/api/digests/${d.id}/${f}"${f === 'html' ? '' : html` download`}>${f === 'html' ? 'Xem' : f.toUpperCase()}</a> `)}</td></tr>`,
        )}</tbody></table>`
      : html`<p>Chưa có điểm báo nào được lưu. Tạo bằng lệnh <code>monitor digest</code>.</p>`}<p><small>Cập nhật ${viDateTime(deps.clock().toISOString())}</small></p>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Điểm báo', principal, csrf: req.session!.csrf, active: '/digests' }, body));
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/digests', summary: 'Danh sách điểm báo đã lưu', tag: 'digests', roles: [...ALL] }, async ({ principal }) => ({ digests: await list(principal) }));

  defineRoute(
    app,
    registry,
    {
      method: 'GET',
      url: '/api/digests/:id/:format',
      summary: 'Tải một điểm báo đã lưu (HTML, PDF, DOCX)',
      tag: 'digests',
      roles: [...ALL],
      params: z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/), format: z.enum(['html', 'pdf', 'docx']) }),
      produces: Object.values(TYPES),
    },
    async ({ params, principal, reply }) => {
      const d = (await list(principal, params.id))[0];
      const stored = d?.files[params.format];
      const file = stored ? insideStorage(deps.storageDir, stored) : null;
      const data = file ? await readFile(file).catch(() => null) : null;
      if (!data) throw new HttpError(404, 'Không tìm thấy điểm báo hoặc định dạng này chưa được tạo');
      if (params.format !== 'html') reply.header('content-disposition', `attachment; filename="${params.id}.${params.format}"`);
      // Our own rendering, but shown under a strict CSP anyway: it embeds crawled titles.
      else reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      return reply.type(TYPES[params.format]).send(data);
    },
  );
}
