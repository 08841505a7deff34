/** The page frame: navigation by role, the CSRF token for the small scripts, Vietnamese throughout. */
import { ROLE_LABEL, type Principal } from '../auth/principal.ts';
import { html, type SafeHtml } from './html.ts';
import { agencyName } from './labels.ts';

const NAV: Array<{ href: string; label: string; roles: Principal['role'][] }> = [
  { href: '/search', label: 'Tìm kiếm', roles: ['admin', 'monitor', 'agency'] },
  { href: '/cases', label: 'Vụ việc', roles: ['admin', 'monitor', 'agency'] },
  { href: '/digests', label: 'Điểm báo', roles: ['admin', 'monitor', 'agency'] },
  { href: '/reports', label: 'Báo cáo', roles: ['admin', 'monitor', 'agency'] },
  { href: '/sources', label: 'Nguồn tin', roles: ['admin', 'monitor'] },
  { href: '/admin', label: 'Quản trị', roles: ['admin'] },
];

export interface PageOpts {
  title: string;
  principal: Principal | null;
  csrf: string | null;
  active?: string;
}

export function page(opts: PageOpts, body: SafeHtml): string {
  const p = opts.principal;
  return html`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} – Theo dõi báo chí</title>
${opts.csrf ? html`<meta name="csrf-token" content="${opts.csrf}">` : ''}
<link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script></head>
<body>
<header class="top"><a class="brand" href="/search">Theo dõi báo chí</a>
${p
  ? html`<nav>${NAV.filter((n) => n.roles.includes(p.role)).map((n) => html`<a href="${n.href}"${n.href === opts.active ? html` class="active"` : ''}>${n.label}</a>`)}</nav>
<div class="who">${p.displayName} · ${ROLE_LABEL[p.role]}${p.agencyId ? html` (${agencyName(p.agencyId)})` : ''}
<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${opts.csrf ?? ''}"><button type="submit">Đăng xuất</button></form></div>`
  : ''}
</header>
<main>${body}</main>
<div id="toast" role="status" aria-live="polite"></div>
</body></html>`.value;
}

export function errorPage(principal: Principal | null, csrf: string | null, status: number, message: string): string {
  return page({ title: `Lỗi ${status}`, principal, csrf }, html`<h1>Lỗi ${status}</h1><p class="error">${message}</p><p><a href="/search">Về trang tìm kiếm</a></p>`);
}
