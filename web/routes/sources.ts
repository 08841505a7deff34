/** Sources health from the crawl state files, and the alert log (agency users: their own alerts). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { App } from '../app-types.ts';
import { scopeFilter } from '../auth/principal.ts';
import { defineRoute } from '../route.ts';
import { html } from '../views/html.ts';
import { outletName, viDateTime } from '../views/labels.ts';
import { page } from '../views/layout.ts';

const StateFile = z.object({
  sourceId: z.string(),
  urls: z.record(z.string(), z.object({ status: z.string(), at: z.string(), reason: z.string().optional() })),
  lastRun: z.object({ at: z.string(), extracted: z.number(), failed: z.number() }).nullable().optional(),
});

export interface SourceHealth {
  sourceId: string;
  file: string;
  lastCrawl: string | null;
  extracted: number;
  skipped: number;
  failed: number;
  lastRun: { at: string; extracted: number; failed: number } | null;
  errors: Array<{ url: string; at: string; reason: string }>;
}

export async function sourcesHealth(dirs: string[]): Promise<SourceHealth[]> {
  const out: SourceHealth[] = [];
  for (const dir of dirs) {
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const f of files.filter((x) => x.endsWith('.json')).sort()) {
      const parsed = StateFile.safeParse(JSON.parse(await readFile(join(dir, f), 'utf8').catch(() => 'null')));
      if (!parsed.success) continue;
      const urls = Object.entries(parsed.data.urls);
      const count = (s: string) => urls.filter(([, u]) => u.status === s).length;
      const last = urls.reduce<string | null>((m, [, u]) => (!m || u.at > m ? u.at : m), null);
      out.push({
        sourceId: parsed.data.sourceId,
        file: join(dir, f),
        lastCrawl: parsed.data.lastRun?.at ?? last,
        extracted: count('extracted'),
        skipped: count('skipped'),
        failed: count('failed'),
        lastRun: parsed.data.lastRun ?? null,
        errors: urls
          .filter(([, u]) => u.status === 'failed')
          .sort((a, b) => b[1].at.localeCompare(a[1].at))
          .slice(0, 10)
          .map(([url, u]) => ({ url, at: u.at, reason: u.reason ?? '' })),
      });
    }
  }
  return out;
}

export function registerSourceRoutes({ app, registry, deps }: App): void {
  defineRoute(app, registry, { method: 'GET', url: '/sources', summary: 'Trang tình trạng nguồn tin', roles: ['admin', 'monitor'] }, async ({ principal, req, reply }) => {
    const rows = await sourcesHealth(deps.crawlStateDirs);
    const body = html`<h1>Tình trạng nguồn tin</h1>${rows.length
      ? html`<table><thead><tr><th>Nguồn</th><th>Lần thu thập gần nhất</th><th>Bài đã lấy</th><th>Bỏ qua</th><th>Lỗi</th><th>Lỗi gần đây</th></tr></thead><tbody>${rows.map(
          (s) => html`<tr class="${s.failed ? 'warn' : ''}"><td>${outletName(s.sourceId)}${outletName(s.sourceId) !== s.sourceId ? html` <small>${s.sourceId}</small>` : ''}</td><td>${viDateTime(s.lastCrawl)}</td><td class="num">${s.extracted}</td><td class="num">${s.skipped}</td><td class="num">${s.failed}</td><td>${s.errors.slice(0, 3).map((e) => html`<div><small>${e.reason} – ${e.url}</small></div>`)}</td></tr>`,
        )}</tbody></table>`
      : html`<p>Chưa có dữ liệu thu thập.</p>`}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Nguồn tin', principal, csrf: req.session!.csrf, active: '/sources' }, body));
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/sources', summary: 'Tình trạng từng nguồn: lần thu thập cuối, số bài, lỗi', tag: 'sources', roles: ['admin', 'monitor'] }, async () => ({ sources: await sourcesHealth(deps.crawlStateDirs) }));

  defineRoute(
    app,
    registry,
    { method: 'GET', url: '/api/alerts', summary: 'Nhật ký cảnh báo đã gửi/đang chờ', tag: 'alerts', roles: ['admin', 'monitor', 'agency'], query: z.object({ status: z.enum(['pending', 'sent', 'dead']).optional() }) },
    async ({ principal, query }) => {
      const res = await deps.store.client.search({
        index: deps.store.names.alias('alerts'),
        query: { bool: { filter: [...scopeFilter(principal, 'agencyId'), ...(query.status ? [{ term: { status: query.status } }] : [])] } },
        sort: [{ createdAt: 'desc' }],
        size: 200,
        ignore_unavailable: true,
        allow_no_indices: true,
      });
      return { alerts: res.hits.hits.map((h) => h._source) };
    },
  );
}
