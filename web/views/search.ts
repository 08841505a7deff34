import type { SearchParams, SearchResult } from '../search/run.ts';
import { html, safeUrl, raw, type SafeHtml } from './html.ts';
import { FACET_LABEL, levelLabel, outletName, toneLabel, flagLabel, viDateTime } from './labels.ts';

type FacetKey = keyof SearchResult['facets'];
const PARAM_OF: Partial<Record<FacetKey, keyof SearchParams>> = { agency: 'agency', province: 'province', outlet: 'outlet', level: 'level', tone: 'tone', flag: 'flag', case: 'case' };

export function searchQueryString(p: SearchParams, change: Record<string, string | string[] | null> = {}): string {
  const qs = new URLSearchParams();
  const base: Record<string, string | string[] | undefined> = { q: p.q, agency: p.agency, province: p.province, outlet: p.outlet, level: p.level, tone: p.tone, flag: p.flag, case: p.case, from: p.from, to: p.to, sort: p.sort };
  for (const [k, v] of Object.entries({ ...base, ...change })) {
    if (v === null || v === undefined || v === '') continue;
    for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  }
  return qs.toString();
}

function facetBlock(p: SearchParams, r: SearchResult, key: FacetKey): SafeHtml {
  const items = r.facets[key];
  if (items.length === 0) return html``;
  const param = PARAM_OF[key];
  return html`<details open class="facet"><summary>${FACET_LABEL[key] ?? key}</summary><ul>
${items.map((f) => {
  if (!param) {
    const on = p.from === f.key && p.to === f.key;
    return html`<li><a href="/search?${searchQueryString(p, on ? { from: null, to: null, page: null } : { from: f.key, to: f.key })}"${on ? raw(' class="on"') : ''}>${f.label}</a> <span class="count">${f.count}</span></li>`;
  }
  const selected = (p[param] as string[]).includes(f.key);
  const nextValues = selected ? (p[param] as string[]).filter((v) => v !== f.key) : [...(p[param] as string[]), f.key];
  return html`<li><a href="/search?${searchQueryString(p, { [param]: nextValues })}"${selected ? raw(' class="on"') : ''}>${f.label}</a> <span class="count">${f.count}</span></li>`;
})}</ul></details>`;
}

export function searchView(p: SearchParams, r: SearchResult | null, canPickAgency: boolean): SafeHtml {
  const qs = searchQueryString(p);
  const pages = r ? Math.ceil(r.total.stories / p.size) : 0;
  return html`<h1>Tìm kiếm bài báo</h1>
<form class="search" method="get" action="/search" role="search">
<input name="q" value="${p.q}" placeholder='Ví dụ: so y te "sốt xuất huyết" OR dengue NOT quảng-cáo agency:2025-91-so-y-te level:hot' aria-label="Từ khóa">
<select name="sort" aria-label="Sắp xếp"><option value="relevance"${p.sort === 'relevance' ? raw(' selected') : ''}>Liên quan nhất</option><option value="time"${p.sort === 'time' ? raw(' selected') : ''}>Mới nhất</option></select>
<label>Từ <input type="date" name="from" value="${p.from ?? ''}"></label><label>Đến <input type="date" name="to" value="${p.to ?? ''}"></label>
${(['agency', 'province', 'outlet', 'level', 'tone', 'flag', 'case'] as const).flatMap((k) => p[k].map((v) => html`<input type="hidden" name="${k}" value="${v}">`))}
<button type="submit">Tìm</button></form>
<p class="help">Gõ có dấu hoặc không dấu; "cụm từ" trong ngoặc kép; AND, OR, NOT (hoặc -từ); lọc theo trường: agency:, outlet:, level:, province:, tone:, flag:, case: (trạng thái vụ việc), from:, to:.</p>
${r
  ? html`<div class="results-layout"><aside>${(['agency', 'province', 'outlet', 'level', 'tone', 'flag', 'case', 'date'] as const).map((k) => facetBlock(p, r, k))}</aside>
<section>
<p class="summary"><strong>${r.total.stories}</strong> sự việc, <strong>${r.total.articles}</strong> bài báo ·
<a href="/api/search/export.csv?${qs}">Xuất CSV</a> · <a href="/api/search/export.xlsx?${qs}">Xuất Excel</a></p>
<details class="save"><summary>Lưu thành đăng ký nhận cảnh báo</summary>
<form data-api="/api/subscriptions" data-method="POST">
<input type="hidden" name="q" value="${p.q}">${(['agency', 'province', 'outlet', 'level'] as const).flatMap((k) => p[k].map((v) => html`<input type="hidden" name="${k}" value="${v}">`))}
<label>Tên <input name="name" required maxlength="200"></label>
${canPickAgency ? html`<label>Cơ quan nhận cảnh báo <input name="agencyId" required list="agency-options" placeholder="gõ tên hoặc mã, ví dụ 2025-91-so-y-te"></label><datalist id="agency-options">${r.facets.agency.map((f) => html`<option value="${f.key}">${f.label}</option>`)}</datalist>` : ''}
<label>Hình thức <select name="mode"><option value="immediate">Cảnh báo ngay</option><option value="hourly">Tổng hợp theo giờ</option><option value="daily" selected>Tổng hợp hằng ngày</option></select></label>
<label>Kênh <select name="channels"><option value="email">Thư điện tử</option><option value="webhook">Webhook</option></select></label>
<button type="submit">Lưu</button></form></details>
<ol class="results">${r.rows.map(
      (row) => html`<li class="result level-${row.article.sensitivity?.level ?? 'normal'}">
<h2><a href="/articles/${row.article.id}">${raw(row.titleHtml || '(không có tiêu đề)')}</a></h2>
<p class="meta">${outletName(row.article.sourceId, row.article.outletName)} · ${viDateTime(row.article.publishedAt)}
${row.article.sensitivity ? html` · <span class="badge level-${row.article.sensitivity.level}">${levelLabel(row.article.sensitivity.level)}</span> · ${toneLabel(row.article.sensitivity.tone)}` : ''}
${(row.article.flagKinds ?? []).map((k) => html` · <span class="badge flag">${flagLabel(k)}</span>`)}</p>
<p class="snippet">${raw(row.snippetHtml)}</p>
<p class="agencies">${row.article.agencies.map((a) => html`<span class="tag">${a.name}</span> `)}</p>
${row.relatedTotal > 0
  ? html`<details class="related"><summary>${row.relatedTotal} bài khác cùng sự việc</summary><ul>${row.related.map(
      (x) => html`<li><a href="/articles/${x.id}">${x.title ?? x.id}</a> – ${x.outlet}, ${viDateTime(x.publishedAt)}${x.isCopy ? ' (đăng lại)' : ''} <a href="${safeUrl(x.url)}" rel="noopener noreferrer" target="_blank">↗</a></li>`,
    )}</ul></details>`
  : ''}
</li>`,
    )}</ol>
${pages > 1
  ? html`<nav class="pages">${p.page > 1 ? html`<a href="/search?${searchQueryString(p, { page: String(p.page - 1) })}">‹ Trang trước</a>` : ''} Trang ${p.page}/${pages} ${p.page < pages ? html`<a href="/search?${searchQueryString(p, { page: String(p.page + 1) })}">Trang sau ›</a>` : ''}</nav>`
  : ''}
</section></div>`
  : ''}`;
}
