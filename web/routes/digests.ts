/**
 * Digests (điểm báo): generate one for a day and a province or agency (the notify/digest functions, archived
 * under the storage dir), list the archive, view the HTML, download PDF/DOCX. Agency users: their own only.
 */
import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ArchivedDigest } from '../../notify/digest/archive.ts';
import { generateDigest } from '../../notify/digest/generate.ts';
import { provinceOfAgencyId } from '../../notify/digest/model.ts';
import { loadDirectory } from '../../notify/directory/store.ts';
import { loadRegistry } from '../../pipeline/agencies/registry/load.ts';
import type { App } from '../app-types.ts';
import { audit } from '../audit.ts';
import { scopeFilter, scopeOf, type Principal } from '../auth/principal.ts';
import { defineRoute, HttpError } from '../route.ts';
import { html, raw, type SafeHtml } from '../views/html.ts';
import { agencyName, provinceName, provinceOptions, viDateTime } from '../views/labels.ts';
import { page } from '../views/layout.ts';
import { insideStorage } from './articles.ts';

const ALL = ['admin', 'monitor', 'agency'] as const;
const TYPES = { html: 'text/html; charset=utf-8', pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;
const ZONE = 'Asia/Ho_Chi_Minh';
const Format = z.enum(['html', 'pdf', 'docx']);

const GenerateInput = z.object({
  date: z.iso.date({ message: 'ngày phải có dạng YYYY-MM-DD' }),
  province: z
    .string()
    .regex(/^\d{2}$/, 'mã tỉnh gồm 2 chữ số')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  agencyId: z.string().trim().max(200).optional().transform((s) => s || undefined),
  // The archive always keeps the HTML (the "Xem" link); PDF and DOCX as asked, all three by default.
  formats: z
    .union([Format, z.array(Format)])
    .default(['html', 'pdf', 'docx'])
    .transform((f) => [...new Set(['html' as const, ...(Array.isArray(f) ? f : [f])])]),
});

const localDate = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toISODate()!;
const viDay = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso);
const figure = (d: ArchivedDigest, key: 'total' | 'needingAction') => (d.figures as Partial<Record<typeof key, number>> | undefined)?.[key] ?? '';

function provinceOfAgency(id: string): string | null {
  try {
    return loadRegistry().agency(id)?.province ?? provinceOfAgencyId(id);
  } catch {
    return provinceOfAgencyId(id);
  }
}

function generateForm(p: Principal, today: string, time: string): SafeHtml {
  const formats = html`<fieldset class="formats"><legend>Định dạng lưu</legend>
<input type="hidden" name="formats" value="html"><label><input type="checkbox" checked disabled> HTML (xem trên web)</label>
<label><input type="checkbox" name="formats" value="docx" checked> DOCX</label>
<label><input type="checkbox" name="formats" value="pdf" checked> PDF</label></fieldset>`;
  return html`<details class="generate" open><summary>Tạo điểm báo</summary>
<form data-api="/api/digests/generate" data-method="POST" class="generate">
<label>Ngày <input type="date" name="date" value="${today}" required></label>
${p.role === 'agency'
  ? html`<p>Cơ quan: <strong>${agencyName(p.agencyId)}</strong></p>`
  : html`<label>Tỉnh, thành phố <select name="province" required>${provinceOptions().map((o) => html`<option value="${o.code}"${o.code === '91' ? raw(' selected') : ''}>${o.name}</option>`)}</select></label>
<label>Chỉ một cơ quan (mã, để trống: toàn tỉnh) <input name="agencyId" placeholder="2025-91-so-y-te"></label>`}
${formats}<p class="help">Điểm báo gồm các tin trong 24 giờ đến ${time} của ngày đã chọn.</p>
<button type="submit">Tạo điểm báo</button></form></details>`;
}

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
    const body = html`<h1>Điểm báo</h1>
${generateForm(principal, localDate(deps.clock()), deps.digestTime ?? '07:00')}
<h2>Điểm báo đã lưu</h2>${rows.length
      ? html`<table class="digests"><thead><tr><th>Ngày</th><th>Phạm vi</th><th>Tiêu đề</th><th>Tổng số bài</th><th>Cần lưu ý</th><th>Xem, tải về</th></tr></thead><tbody>${rows.map(
          (d) => html`<tr data-digest="${d.id}"><td>${viDay(d.date)}</td><td>${d.agencyId ? agencyName(d.agencyId) : `Toàn tỉnh ${provinceName(d.province)}`}</td><td>${d.title}</td><td class="num">${String(figure(d, 'total'))}</td><td class="num">${String(figure(d, 'needingAction'))}</td><td>${(['html', 'pdf', 'docx'] as const)
            .filter((f) => d.files[f])
            .map((f) => html`<a href="/api/digests/${d.id}/${f}"${f === 'html' ? html` target="_blank"` : html` download`}>${f === 'html' ? 'Xem' : `Tải ${f.toUpperCase()}`}</a> `)}</td></tr>`,
        )}</tbody></table>`
      : html`<p>Chưa có điểm báo nào được lưu.</p>`}<p><small>Cập nhật ${viDateTime(deps.clock().toISOString())}</small></p>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Điểm báo', principal, csrf: req.session!.csrf, active: '/digests' }, body));
  });

  defineRoute(
    app,
    registry,
    { method: 'POST', url: '/api/digests/generate', summary: 'Tạo (và lưu) điểm báo của một ngày cho một tỉnh hoặc một cơ quan; người dùng cơ quan chỉ tạo cho cơ quan mình', tag: 'digests', roles: [...ALL], body: GenerateInput },
    async ({ body, principal, reply }) => {
      const own = scopeOf(principal);
      if (principal.role === 'agency' && (!own || (body.agencyId && body.agencyId !== own))) throw new HttpError(403, 'Người dùng cơ quan chỉ tạo được điểm báo của cơ quan mình');
      const agencyId = own ?? body.agencyId ?? null;
      const province = agencyId ? provinceOfAgency(agencyId) : body.province;
      if (!province) throw new HttpError(400, agencyId ? 'Không xác định được tỉnh của cơ quan này' : 'Cần chọn tỉnh, thành phố');
      if (agencyId && body.province && body.province !== province) throw new HttpError(400, `Cơ quan ${agencyName(agencyId)} không thuộc tỉnh đã chọn`);
      const now = deps.clock();
      const request = { scope: { province, agencyId }, date: body.date, time: deps.digestTime ?? '07:00', directory: await loadDirectory(store), now };
      let formats = body.formats;
      let generated;
      try {
        generated = await generateDigest(store, request, { formats, archiveDir: deps.storageDir });
      } catch (err) {
        // PDF needs Chromium; without it the office still gets the HTML and DOCX.
        if (!formats.includes('pdf')) throw err;
        deps.log.warn({ err }, 'digest PDF failed; generating the other formats');
        formats = formats.filter((f) => f !== 'pdf');
        generated = await generateDigest(store, request, { formats, archiveDir: deps.storageDir });
      }
      const archived = generated.archived!;
      await audit(store, principal, { action: 'digest-generate', targetType: 'digest', targetId: archived.id, agencyId, details: { date: body.date, province, formats } }, now);
      const pdfMissing = body.formats.includes('pdf') && !formats.includes('pdf');
      return reply.code(201).send({
        digest: archived,
        links: Object.fromEntries(Object.keys(archived.files).map((f) => [f, `/api/digests/${archived.id}/${f}`])),
        message: `Đã tạo điểm báo: ${generated.digest.figures.total} tin, ${generated.digest.figures.needingAction} tin cần lưu ý${pdfMissing ? ' (không tạo được bản PDF)' : ''}`,
      });
    },
  );

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
