/** Article page and API, and evidence files of a case (crawled HTML is sanitized before it is served). */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import sanitizeHtml from 'sanitize-html';
import { z } from 'zod';
import type { App } from '../app-types.ts';
import { casesOfArticle, flagsOfArticle, getArticle, getVisibleCase, storySiblings } from '../data.ts';
import { defineRoute, HttpError } from '../route.ts';
import { articleView } from '../views/article.ts';
import { page } from '../views/layout.ts';

const ALL = ['admin', 'monitor', 'agency'] as const;
const Id = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'mã bài báo không hợp lệ') });
const NOT_FOUND = 'Không tìm thấy bài báo hoặc bạn không có quyền xem';

/** A stored path (relative to the storage dir or absolute) that must stay inside the storage dir. */
export function insideStorage(storageDir: string, path: string): string | null {
  const root = resolve(storageDir);
  const full = isAbsolute(path) ? resolve(path) : resolve(root, path);
  const rel = relative(root, full);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? full : null;
}

export function registerArticleRoutes({ app, registry, deps }: App): void {
  const { store } = deps;
  const load = async (principal: Parameters<typeof getArticle>[1], id: string) => {
    const article = await getArticle(store, principal, id);
    if (!article) throw new HttpError(404, NOT_FOUND);
    const [flags, cases, siblings] = await Promise.all([flagsOfArticle(store, principal, id), casesOfArticle(store, principal, id, article.storyId), storySiblings(store, principal, article)]);
    return { article, flags, cases, siblings };
  };

  defineRoute(app, registry, { method: 'GET', url: '/articles/:id', summary: 'Trang bài báo', roles: [...ALL], params: Id }, async ({ params, principal, req, reply }) => {
    const v = await load(principal, params.id);
    return reply.type('text/html; charset=utf-8').send(page({ title: v.article.title ?? 'Bài báo', principal, csrf: req.session!.csrf, active: '/search' }, articleView(v)));
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/articles/:id', summary: 'Bài báo với cảnh báo, vụ việc và các bài cùng sự việc', tag: 'articles', roles: [...ALL], params: Id }, async ({ params, principal }) => {
    const v = await load(principal, params.id);
    const { copySignature: _s, copyBands: _b, ...article } = v.article as typeof v.article & { copySignature?: unknown; copyBands?: unknown };
    return { ...v, article, cases: v.cases.map((c) => ({ id: c.id, agencyId: c.agencyId, state: c.state, stateLabel: c.stateLabel, deadline: c.deadline })) };
  });

  defineRoute(
    app,
    registry,
    {
      method: 'GET',
      url: '/cases/:id/evidence/:n/:kind',
      summary: 'Tệp bằng chứng của vụ việc (ảnh chụp, PDF, HTML đã làm sạch)',
      roles: [...ALL],
      params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), n: z.coerce.number().int().min(0).max(1000), kind: z.enum(['png', 'pdf', 'html', 'text']) }),
    },
    async ({ params, principal, reply }) => {
      const c = await getVisibleCase(store, principal, params.id);
      const entry = c?.doc.evidence[params.n];
      const stored = entry?.files[params.kind];
      const file = stored ? insideStorage(deps.storageDir, stored) : null;
      if (!file) throw new HttpError(404, 'Không tìm thấy tệp bằng chứng');
      const data = await readFile(file).catch(() => null);
      if (!data) throw new HttpError(404, 'Không tìm thấy tệp bằng chứng');
      if (params.kind === 'html') {
        // Crawled HTML: scripts, handlers and frames removed; images only from http(s).
        const clean = sanitizeHtml(data.toString('utf8'), { allowedTags: sanitizeHtml.defaults.allowedTags.concat(['img', 'h1', 'h2']), allowedSchemes: ['http', 'https'] });
        return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; img-src http: https:; style-src 'unsafe-inline'").send(clean);
      }
      const type = { png: 'image/png', pdf: 'application/pdf', text: 'text/plain; charset=utf-8' }[params.kind];
      return reply.type(type).send(data);
    },
  );
}
