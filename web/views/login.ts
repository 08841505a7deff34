import { html } from './html.ts';
import { page } from './layout.ts';

export function loginPage(loginCsrf: string, next: string, error: string | null): string {
  return page(
    { title: 'Đăng nhập', principal: null, csrf: null },
    html`<section class="login"><h1>Đăng nhập</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${loginCsrf}"><input type="hidden" name="next" value="${next}">
<label>Tên đăng nhập <input name="username" autocomplete="username" required autofocus></label>
<label>Mật khẩu <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Đăng nhập</button></form></section>`,
  );
}
