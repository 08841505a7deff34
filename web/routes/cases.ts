/** Cases board, case page and the case actions (state, assignment, notes, correction letter), all OCC-checked. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { articleId as articleIdOf } from '../../lib/ids.ts';
import { defaultCaseContext } from '../../rules/cases/context.ts';
import { isoNow, overdueStatus } from '../../rules/cases/deadlines.ts';
import { buildLetter } from '../../rules/cases/letter/content.ts';
import { LetterInput } from '../../rules/cases/letter/input.ts';
import { listCases } from '../../rules/cases/query.ts';
import { appendHistory, transition } from '../../rules/cases/ops.ts';
import { addCaseNote, assignCase, mutateCase, transitionCase } from '../../rules/cases/repo.ts';
import { StateCode } from '../../rules/cases/workflow.ts';
import type { App } from '../app-types.ts';
import { audit } from '../audit.ts';
import { scopeOf, type Principal } from '../auth/principal.ts';
import { listUsers } from '../auth/users.ts';
import { getVisibleCase } from '../data.ts';
import { defineRoute, HttpError } from '../route.ts';
import { caseView, casesBoard } from '../views/cases.ts';
import { page } from '../views/layout.ts';

const ALL = ['admin', 'monitor', 'agency'] as const;
const Id = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'mã vụ việc không hợp lệ') });
const Expected = { seqNo: z.coerce.number().int().min(0), primaryTerm: z.coerce.number().int().min(1) };
const CaseList = z.object({ agency: z.string().min(1).max(200).optional(), state: StateCode.optional(), overdue: z.enum(['true', 'false']).optional().transform((v) => v === 'true') });
const Transition = z.object({ to: StateCode, note: z.string().trim().max(2000).optional().transform((s) => s || null), articleId: z.string().max(100).optional(), ...Expected });
const Assign = z.object({ assignee: z.string().trim().max(60).nullable().optional().transform((s) => s || null), ...Expected });
const Note = z.object({ text: z.string().trim().min(1).max(5000), seqNo: Expected.seqNo.optional(), primaryTerm: Expected.primaryTerm.optional() });
const opt = z.string().trim().max(500).optional().transform((s) => s || undefined);
const LetterForm = z.object({
  format: z.enum(['docx', 'pdf']).default('docx'),
  issuerParent: opt,
  issuerName: z.string().trim().min(1).max(300),
  issuerShortName: z.string().trim().min(1).max(300),
  number: z.string().max(100),
  place: z.string().trim().min(1).max(100),
  claim: z.string().trim().min(1).max(5000),
  fact: z.string().trim().min(1).max(5000),
  signerTitle: z.string().trim().min(1).max(200),
  signerName: z.string().trim().min(1).max(200),
  signerAuthority: z.enum(['TM', 'KT', 'TL', 'TUQ']).optional(),
  signerOnBehalfOf: opt,
  articleId: opt,
});

const CorrectionForm = z.object({
  url: z.url({ protocol: /^https?$/, message: 'đường dẫn phải bắt đầu bằng http:// hoặc https://' }).max(2000),
  title: opt,
  articleId: opt,
  ...Expected,
});

export function registerCaseRoutes({ app, registry, deps }: App): void {
  const { store } = deps;
  const ctx = deps.caseContext ?? defaultCaseContext();

  const articleByUrl = async (url: string) => {
    const res = await store.client.search<{ id: string; title: string | null }>({
      index: store.names.alias('articles'),
      query: { bool: { should: [{ term: { url } }, { term: { canonicalUrl: url } }], minimum_should_match: 1 } },
      _source: ['id', 'title'],
      size: 1,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return res.hits.hits[0]?._source ?? null;
  };

  const visible = async (p: Principal, id: string) => {
    const c = await getVisibleCase(store, p, id);
    if (!c) throw new HttpError(404, 'Không tìm thấy vụ việc hoặc bạn không có quyền xem');
    return c;
  };
  const list = (p: Principal, q: z.output<typeof CaseList>) =>
    // Agency users: their agency, whatever they asked for.
    listCases(store, { agencyId: scopeOf(p) ?? (p.role === 'agency' ? '\u0000' : q.agency), state: q.state, overdue: q.overdue }, deps.clock, ctx);
  const result = (v: { doc: { id: string; state: string; stateLabel: string }; seqNo: number; primaryTerm: number }) => ({
    case: v.doc,
    version: { seqNo: v.seqNo, primaryTerm: v.primaryTerm },
  });

  defineRoute(app, registry, { method: 'GET', url: '/cases', summary: 'Bảng vụ việc', roles: [...ALL], query: CaseList }, async ({ query, principal, req, reply }) => {
    const cases = await list(principal, query);
    return reply
      .type('text/html; charset=utf-8')
      .send(page({ title: 'Vụ việc', principal, csrf: req.session!.csrf, active: '/cases' }, casesBoard(cases, ctx.workflow, { agency: query.agency ?? null, overdue: query.overdue }, principal.role !== 'agency')));
  });

  defineRoute(app, registry, { method: 'GET', url: '/cases/:id', summary: 'Trang vụ việc', roles: [...ALL], params: Id }, async ({ params, principal, req, reply }) => {
    const c = await visible(principal, params.id);
    // Staff, and the users of the case's own agency: nobody from another agency is offered.
    const assignees = (await listUsers(store)).filter((u) => u.active && (u.role !== 'agency' || u.agencyId === c.doc.agencyId)).map((u) => ({ username: u.username, displayName: u.displayName }));
    return reply
      .type('text/html; charset=utf-8')
      .send(page({ title: c.doc.title ?? 'Vụ việc', principal, csrf: req.session!.csrf, active: '/cases' }, caseView(c, overdueStatus(c.doc, deps.clock(), ctx), ctx.workflow, assignees)));
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/cases', summary: 'Danh sách vụ việc (khẩn nhất trước)', tag: 'cases', roles: [...ALL], query: CaseList }, async ({ query, principal }) => ({ cases: await list(principal, query) }));

  defineRoute(app, registry, { method: 'GET', url: '/api/cases/:id', summary: 'Một vụ việc với phiên bản (seqNo, primaryTerm) để sửa', tag: 'cases', roles: [...ALL], params: Id }, async ({ params, principal }) => {
    const c = await visible(principal, params.id);
    return { ...result(c), overdue: overdueStatus(c.doc, deps.clock(), ctx), allowed: ctx.workflow.allowedFrom(c.doc.state) };
  });

  defineRoute(
    app,
    registry,
    { method: 'POST', url: '/api/cases/:id/transition', summary: 'Chuyển trạng thái (409 nếu vụ việc đã bị người khác sửa)', tag: 'cases', roles: [...ALL], params: Id, body: Transition },
    async ({ params, body, principal }) => {
      const before = await visible(principal, params.id);
      const v = await transitionCase(store, params.id, { to: body.to, by: principal.username, note: body.note, articleId: body.articleId, expected: { seqNo: body.seqNo, primaryTerm: body.primaryTerm } }, deps.clock, ctx, { refresh: 'wait_for' });
      await audit(store, principal, { action: 'case-transition', targetType: 'case', targetId: params.id, agencyId: before.doc.agencyId, details: { from: before.doc.state, to: body.to } }, deps.clock());
      return { ...result(v), message: `Đã chuyển sang "${v.doc.stateLabel}"` };
    },
  );

  defineRoute(app, registry, { method: 'POST', url: '/api/cases/:id/assign', summary: 'Phân công người phụ trách', tag: 'cases', roles: [...ALL], params: Id, body: Assign }, async ({ params, body, principal }) => {
    const before = await visible(principal, params.id);
    const v = await assignCase(store, params.id, { by: principal.username, assignee: body.assignee, expected: { seqNo: body.seqNo, primaryTerm: body.primaryTerm } }, deps.clock, { refresh: 'wait_for' });
    await audit(store, principal, { action: 'case-assign', targetType: 'case', targetId: params.id, agencyId: before.doc.agencyId, details: { assignee: body.assignee } }, deps.clock());
    return { ...result(v), message: 'Đã cập nhật phân công' };
  });

  defineRoute(app, registry, { method: 'POST', url: '/api/cases/:id/notes', summary: 'Thêm ghi chú', tag: 'cases', roles: [...ALL], params: Id, body: Note }, async ({ params, body, principal }) => {
    const before = await visible(principal, params.id);
    const expected = body.seqNo !== undefined && body.primaryTerm !== undefined ? { expected: { seqNo: body.seqNo, primaryTerm: body.primaryTerm } } : {};
    const v = await addCaseNote(store, params.id, { by: principal.username, text: body.text, ...expected }, deps.clock, { refresh: 'wait_for' });
    await audit(store, principal, { action: 'case-note', targetType: 'case', targetId: params.id, agencyId: before.doc.agencyId }, deps.clock());
    return { ...result(v), message: 'Đã thêm ghi chú' };
  });

  defineRoute(
    app,
    registry,
    {
      method: 'POST',
      url: '/api/cases/:id/correction',
      summary: 'Gắn bài cải chính/phản hồi mà cơ quan báo chí đã đăng; chuyển vụ việc sang "báo đã cải chính" khi quy trình cho phép',
      tag: 'cases',
      roles: [...ALL],
      params: Id,
      body: CorrectionForm,
    },
    async ({ params, body, principal }) => {
      const before = await visible(principal, params.id);
      const now = deps.clock();
      const found = await articleByUrl(body.url);
      const correctsArticleId = body.articleId && before.doc.articleIds.includes(body.articleId) ? body.articleId : before.doc.articles[0]?.id;
      if (!correctsArticleId) throw new HttpError(422, 'Vụ việc chưa có bài báo nào để gắn cải chính');
      const correction = {
        // An article we have not crawled gets the id it would get once crawled (hash of its URL).
        articleId: found?.id ?? articleIdOf(body.url),
        detectedAt: isoNow(now),
        url: body.url,
        title: found?.title ?? body.title ?? null,
        correctsArticleId,
        matchedBy: 'url' as const,
      };
      const note = `Gắn bài cải chính của báo: ${correction.title ?? correction.url}`;
      const v = await mutateCase(
        store,
        params.id,
        (c) => {
          const linked = { ...c, correction };
          // The person who attached it moves the case, so the history names them rather than the system.
          return ctx.workflow.allowedFrom(c.state).includes('bao-da-cai-chinh')
            ? transition(linked, { to: 'bao-da-cai-chinh', by: principal.username, note }, now, ctx)
            : appendHistory(linked, { by: principal.username, action: 'gan-cai-chinh', note }, now);
        },
        { refresh: 'wait_for', expected: { seqNo: body.seqNo, primaryTerm: body.primaryTerm } },
      );
      await audit(store, principal, { action: 'case-correction', targetType: 'case', targetId: params.id, agencyId: before.doc.agencyId, details: { url: body.url, articleId: correction.articleId } }, now);
      return { ...result(v), message: v.doc.state === 'bao-da-cai-chinh' && before.doc.state !== 'bao-da-cai-chinh' ? `Đã gắn bài cải chính; vụ việc chuyển sang "${v.doc.stateLabel}"` : 'Đã gắn bài cải chính' };
    },
  );

  defineRoute(
    app,
    registry,
    {
      method: 'POST',
      url: '/api/cases/:id/letter',
      summary: 'Soạn công văn đề nghị cải chính (NĐ 30/2020) và tải về DOCX hoặc PDF',
      tag: 'cases',
      roles: [...ALL],
      params: Id,
      body: LetterForm,
      produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf'],
    },
    async ({ params, body, principal, reply }) => {
      const c = await visible(principal, params.id);
      const parsed = LetterInput.safeParse({
        issuer: { parent: body.issuerParent ?? null, name: body.issuerName, shortName: body.issuerShortName },
        number: body.number,
        place: body.place,
        points: [{ claim: body.claim, fact: body.fact }],
        signer: { authority: body.signerAuthority ?? null, onBehalfOf: body.signerOnBehalfOf ?? null, title: body.signerTitle, name: body.signerName },
        ...(body.articleId ? { articleId: body.articleId } : {}),
      });
      if (!parsed.success) throw new HttpError(400, 'Nội dung công văn chưa hợp lệ', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      const now = deps.clock();
      const letter = buildLetter(c.doc, parsed.data, ctx, now);
      const { renderLetter } = await import('../../rules/cases/letter/render.ts');
      const bytes = await renderLetter(letter, body.format);
      const dir = resolve(deps.storageDir, 'letters', c.doc.id);
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${now.getTime()}.${body.format}`);
      await writeFile(file, bytes);
      await mutateCase(store, c.doc.id, (x) => ({ ...x, letters: [...x.letters, { at: isoNow(now), by: principal.username, number: parsed.data.number, format: body.format, file }] }), { refresh: 'wait_for' });
      await audit(store, principal, { action: 'case-letter', targetType: 'case', targetId: c.doc.id, agencyId: c.doc.agencyId, details: { format: body.format, number: parsed.data.number } }, now);
      const type = body.format === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/pdf';
      return reply.type(type).header('content-disposition', `attachment; filename="cong-van-cai-chinh-${c.doc.id.slice(0, 8)}.${body.format}"`).send(bytes);
    },
  );
}
