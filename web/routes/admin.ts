/** Admin: users, agency directory import, rule validation, audit log. Every change is audited. */
import { z } from 'zod';
import { DataFileError } from '../../lib/yaml-file.ts';
import { parseDirectory } from '../../notify/directory/load.ts';
import { importDirectory } from '../../notify/directory/store.ts';
import { parseRuleFiles } from '../../rules/engine/load.ts';
import { loadRegimes } from '../../rules/legal/regimes.ts';
import { BulkWriter } from '../../store/bulk-writer.ts';
import type { App } from '../app-types.ts';
import { audit, recentAudit } from '../audit.ts';
import { ROLE_LABEL } from '../auth/principal.ts';
import { deleteUserSessions } from '../auth/sessions.ts';
import { createUser, getUser, listUsers, NewUserInput, publicUser, updateUser, Username, UserExistsError } from '../auth/users.ts';
import { defineRoute, HttpError } from '../route.ts';
import { html } from '../views/html.ts';
import { viDateTime } from '../views/labels.ts';
import { page } from '../views/layout.ts';

const ADMIN = ['admin'] as const;
const problems = (err: unknown) => (err instanceof DataFileError ? err.issues.map((i) => ({ line: i.line, col: i.col, path: i.path, message: i.message })) : [{ line: 0, col: 0, path: '', message: (err as Error).message }]);

export function registerAdminRoutes({ app, registry, deps }: App): void {
  const { store } = deps;

  defineRoute(app, registry, { method: 'GET', url: '/admin', summary: 'Trang quản trị', roles: [...ADMIN] }, async ({ principal, req, reply }) => {
    const [users, log] = await Promise.all([listUsers(store), recentAudit(store, 50)]);
    const body = html`<h1>Quản trị</h1>
<h2>Người dùng</h2><table><thead><tr><th>Tên đăng nhập</th><th>Họ tên</th><th>Vai trò</th><th>Cơ quan</th><th>Trạng thái</th></tr></thead><tbody>
${users.map((u) => html`<tr><td>${u.username}</td><td>${u.displayName}</td><td>${ROLE_LABEL[u.role]}</td><td>${u.agencyId ?? ''}</td><td>${u.active ? 'Đang hoạt động' : 'Đã khóa'}
<form data-api="/api/admin/users/${u.username}/active" data-method="POST" class="inline"><input type="hidden" name="active" value="${u.active ? 'false' : 'true'}"><button type="submit">${u.active ? 'Khóa' : 'Mở khóa'}</button></form></td></tr>`)}</tbody></table>
<h3>Thêm người dùng</h3><form data-api="/api/admin/users" data-method="POST">
<label>Tên đăng nhập <input name="username" required></label><label>Họ tên <input name="displayName" required></label>
<label>Vai trò <select name="role"><option value="monitor">Cán bộ theo dõi</option><option value="agency">Cơ quan</option><option value="admin">Quản trị</option></select></label>
<label>Mã cơ quan (vai trò Cơ quan) <input name="agencyId"></label><label>Mật khẩu <input name="password" type="password" required minlength="10"></label><button type="submit">Thêm</button></form>
<h2>Nhập danh bạ cơ quan (YAML)</h2><form data-api="/api/admin/directory" data-method="POST"><textarea name="yaml" rows="8" required></textarea><button type="submit">Kiểm tra và nhập</button></form>
<h2>Kiểm tra tệp quy tắc (YAML)</h2><form data-api="/api/admin/rules/validate" data-method="POST"><textarea name="yaml" rows="8" required></textarea><button type="submit">Kiểm tra</button></form>
<h2>Nhật ký thao tác</h2><table><thead><tr><th>Thời gian</th><th>Người</th><th>Thao tác</th><th>Đối tượng</th></tr></thead><tbody>
${log.map((e) => html`<tr><td>${viDateTime(e.at)}</td><td>${e.actor}</td><td>${e.action}</td><td>${e.targetType} ${e.targetId ?? ''}</td></tr>`)}</tbody></table>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Quản trị', principal, csrf: req.session!.csrf, active: '/admin' }, body));
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/admin/users', summary: 'Danh sách người dùng', tag: 'admin', roles: [...ADMIN] }, async () => ({ users: (await listUsers(store)).map(publicUser) }));

  defineRoute(
    app,
    registry,
    { method: 'POST', url: '/api/admin/users', summary: 'Thêm người dùng', tag: 'admin', roles: [...ADMIN], body: NewUserInput.extend({ agencyId: z.string().trim().max(200).nullable().optional().transform((s) => s || null) }) },
    async ({ body, principal, reply }) => {
      if (body.role === 'agency' && !body.agencyId) throw new HttpError(400, 'Người dùng của cơ quan cần có mã cơ quan');
      try {
        const u = await createUser(store, body, deps.clock());
        await audit(store, principal, { action: 'user-create', targetType: 'user', targetId: u.username, agencyId: u.agencyId, details: { role: u.role } }, deps.clock());
        return reply.code(201).send({ user: publicUser(u), message: 'Đã thêm người dùng' });
      } catch (err) {
        if (err instanceof UserExistsError) throw new HttpError(409, 'Tên đăng nhập đã tồn tại');
        throw err;
      }
    },
  );

  defineRoute(
    app,
    registry,
    { method: 'POST', url: '/api/admin/users/:username/active', summary: 'Khóa / mở khóa người dùng', tag: 'admin', roles: [...ADMIN], params: z.object({ username: Username }), body: z.object({ active: z.enum(['true', 'false']).or(z.boolean()).transform((v) => v === true || v === 'true') }) },
    async ({ params, body, principal }) => {
      const u = await getUser(store, params.username);
      if (!u) throw new HttpError(404, 'Không tìm thấy người dùng');
      if (u.username === principal.username && !body.active) throw new HttpError(400, 'Không thể tự khóa tài khoản của mình');
      const next = await updateUser(store, u, { active: body.active }, deps.clock());
      if (!body.active) await deleteUserSessions(store, u.username);
      await audit(store, principal, { action: body.active ? 'user-unlock' : 'user-lock', targetType: 'user', targetId: u.username, agencyId: u.agencyId }, deps.clock());
      return { user: publicUser(next), message: body.active ? 'Đã mở khóa' : 'Đã khóa' };
    },
  );

  defineRoute(app, registry, { method: 'POST', url: '/api/admin/directory', summary: 'Nhập danh bạ cơ quan (YAML), kiểm tra trước khi ghi', tag: 'admin', roles: [...ADMIN], body: z.object({ yaml: z.string().min(1).max(2_000_000) }) }, async ({ body, principal, reply }) => {
    let file;
    try {
      file = parseDirectory('danh-ba.yaml', body.yaml);
    } catch (err) {
      return reply.code(422).send({ error: 'Danh bạ không hợp lệ', problems: problems(err) });
    }
    const n = await importDirectory(store, new BulkWriter(store.client, { log: deps.log }), file, `web:${principal.username}`, deps.clock());
    await audit(store, principal, { action: 'directory-import', targetType: 'directory', targetId: null, details: { agencies: n } }, deps.clock());
    return { imported: n, message: `Đã nhập ${n} cơ quan` };
  });

  defineRoute(app, registry, { method: 'POST', url: '/api/admin/rules/validate', summary: 'Kiểm tra một tệp quy tắc (YAML); lỗi ghi rõ dòng', tag: 'admin', roles: [...ADMIN], body: z.object({ yaml: z.string().min(1).max(1_000_000) }) }, async ({ body, reply }) => {
    try {
      const rules = parseRuleFiles([{ file: 'quy-tac.yaml', text: body.yaml }], { regimes: loadRegimes() });
      return { ok: true, rules: rules.rules.length, message: `Hợp lệ: ${rules.rules.length} quy tắc` };
    } catch (err) {
      return reply.code(422).send({ ok: false, error: 'Tệp quy tắc không hợp lệ', problems: problems(err) });
    }
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/admin/audit', summary: 'Nhật ký thao tác gần đây', tag: 'admin', roles: [...ADMIN] }, async () => ({ entries: await recentAudit(store, 200) }));
}
