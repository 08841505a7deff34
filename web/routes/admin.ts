/** Admin: users, agency directory import, rule files (view, validate, save as override), audit log. Every change is audited. */
import { z } from 'zod';
import { sha256Hex } from '../../lib/ids.ts';
import { DataFileError } from '../../lib/yaml-file.ts';
import { parseDirectory } from '../../notify/directory/load.ts';
import { importDirectory } from '../../notify/directory/store.ts';
import { loadRegimes } from '../../rules/legal/regimes.ts';
import { BulkWriter } from '../../store/bulk-writer.ts';
import type { App } from '../app-types.ts';
import { audit, recentAudit } from '../audit.ts';
import { ROLE_LABEL } from '../auth/principal.ts';
import { deleteUserSessions } from '../auth/sessions.ts';
import { createUser, getUser, listUsers, NewUserInput, publicUser, updateUser, Username, UserExistsError } from '../auth/users.ts';
import { defineRoute, HttpError } from '../route.ts';
import { html } from '../views/html.ts';
import { effectiveRuleFiles, overridesDir, removeRuleOverride, RULE_FILE_NAME, saveRuleOverride, validateRuleEdit, type RuleFileInfo, type RuleProblem } from '../rules-files.ts';
import { agencyName, viDateTime } from '../views/labels.ts';
import { page } from '../views/layout.ts';

const ADMIN = ['admin'] as const;
const problems = (err: unknown) => (err instanceof DataFileError ? err.issues.map((i) => ({ line: i.line, col: i.col, path: i.path, message: i.message })) : [{ line: 0, col: 0, path: '', message: (err as Error).message }]);

const AUDIT_ACTION_LABEL: Record<string, string> = {
  login: 'Đăng nhập',
  'login-failed': 'Đăng nhập không thành công',
  logout: 'Đăng xuất',
  'user-create': 'Thêm người dùng',
  'user-lock': 'Khóa người dùng',
  'user-unlock': 'Mở khóa người dùng',
  'directory-import': 'Nhập danh bạ cơ quan',
  'rules-save': 'Lưu tệp quy tắc',
  'rules-reset': 'Khôi phục tệp quy tắc mặc định',
  'case-transition': 'Chuyển trạng thái vụ việc',
  'case-assign': 'Phân công vụ việc',
  'case-note': 'Ghi chú vụ việc',
  'case-letter': 'Soạn công văn đề nghị cải chính',
  'case-correction': 'Gắn bài cải chính',
  'digest-generate': 'Tạo điểm báo',
  'save-subscription': 'Lưu đăng ký nhận cảnh báo',
};
const RuleName = z.string().regex(RULE_FILE_NAME, 'tên tệp quy tắc: chữ thường, số, dấu gạch, đuôi .yaml');
const ORIGIN_LABEL: Record<RuleFileInfo['origin'], string> = { default: 'Tệp mặc định kèm phần mềm', override: 'Bản đã sửa (thay cho tệp mặc định)', added: 'Tệp bổ sung' };

/** 422 body: the problems for the page, and `details` so the generic form script shows them too. */
const invalidRules = (problems: RuleProblem[]) => ({
  ok: false,
  error: 'Tệp quy tắc không hợp lệ, chưa lưu',
  problems,
  details: problems.map((p) => ({ path: p.path, message: p.text })),
});

const rulesTable = (files: RuleFileInfo[]) =>
  html`<table class="rules"><thead><tr><th>Tệp</th><th>Nguồn</th><th></th></tr></thead><tbody>${files.map(
    (f) => html`<tr><td><code>${f.name}</code></td><td>${ORIGIN_LABEL[f.origin]}</td><td><a href="/admin/rules/${f.name}">Xem, sửa</a></td></tr>`,
  )}</tbody></table>`;

export function registerAdminRoutes({ app, registry, deps }: App): void {
  const { store } = deps;
  const ruleFile = (name: string) => {
    const f = effectiveRuleFiles(deps.storageDir).find((x) => x.name === name);
    if (!f) throw new HttpError(404, 'Không có tệp quy tắc này');
    return f;
  };

  defineRoute(app, registry, { method: 'GET', url: '/admin', summary: 'Trang quản trị', roles: [...ADMIN] }, async ({ principal, req, reply }) => {
    const [users, log] = await Promise.all([listUsers(store), recentAudit(store, 50)]);
    const body = html`<h1>Quản trị</h1>
<h2>Người dùng</h2><table><thead><tr><th>Tên đăng nhập</th><th>Họ tên</th><th>Vai trò</th><th>Cơ quan</th><th>Trạng thái</th></tr></thead><tbody>
${users.map((u) => html`<tr><td>${u.username}</td><td>${u.displayName}</td><td>${ROLE_LABEL[u.role]}</td><td>${u.agencyId ? agencyName(u.agencyId) : ''}</td><td>${u.active ? 'Đang hoạt động' : 'Đã khóa'}
<form data-api="/api/admin/users/${u.username}/active" data-method="POST" class="inline"><input type="hidden" name="active" value="${u.active ? 'false' : 'true'}"><button type="submit">${u.active ? 'Khóa' : 'Mở khóa'}</button></form></td></tr>`)}</tbody></table>
<h3>Thêm người dùng</h3><form data-api="/api/admin/users" data-method="POST">
<label>Tên đăng nhập <input name="username" required></label><label>Họ tên <input name="displayName" required></label>
<label>Vai trò <select name="role"><option value="monitor">Cán bộ theo dõi</option><option value="agency">Cơ quan</option><option value="admin">Quản trị</option></select></label>
<label>Mã cơ quan (vai trò Cơ quan) <input name="agencyId"></label><label>Mật khẩu <input name="password" type="password" required minlength="10"></label><button type="submit">Thêm</button></form>
<h2>Nhập danh bạ cơ quan (YAML)</h2><form data-api="/api/admin/directory" data-method="POST"><textarea name="yaml" rows="8" required></textarea><button type="submit">Kiểm tra và nhập</button></form>
<h2>Quy tắc cảnh báo</h2>${rulesTable(effectiveRuleFiles(deps.storageDir))}
<h2>Nhật ký thao tác</h2><table><thead><tr><th>Thời gian</th><th>Người</th><th>Thao tác</th><th>Đối tượng</th></tr></thead><tbody>
${log.map((e) => html`<tr><td>${viDateTime(e.at)}</td><td>${e.actor}</td><td>${AUDIT_ACTION_LABEL[e.action] ?? e.action}</td><td>${e.targetType} ${e.targetId ?? ''}</td></tr>`)}</tbody></table>`;
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

  defineRoute(
    app,
    registry,
    { method: 'POST', url: '/api/admin/rules/validate', summary: 'Kiểm tra một tệp quy tắc (YAML) cùng các tệp đang dùng; lỗi ghi rõ tệp, dòng, cột', tag: 'admin', roles: [...ADMIN], body: z.object({ yaml: z.string().min(1).max(1_000_000), file: RuleName.optional() }) },
    async ({ body, reply }) => {
      const v = validateRuleEdit(deps.storageDir, body.file ?? 'quy-tac-moi.yaml', body.yaml, { regimes: loadRegimes() });
      if (!v.ok) return reply.code(422).send(invalidRules(v.problems));
      return { ok: true, rules: v.rules, message: `Hợp lệ: ${v.rules} quy tắc trong tệp, ${v.total} quy tắc đang dùng` };
    },
  );

  defineRoute(app, registry, { method: 'GET', url: '/admin/rules/:name', summary: 'Sửa một tệp quy tắc', roles: [...ADMIN], params: z.object({ name: RuleName }) }, async ({ params, principal, req, reply }) => {
    const f = ruleFile(params.name);
    const body = html`<h1>Tệp quy tắc ${f.name}</h1>
<p class="meta">${ORIGIN_LABEL[f.origin]} · <a href="/admin">← Quản trị</a></p>
<p class="help">Tệp được kiểm tra theo đúng lược đồ của bộ máy quy tắc trước khi lưu; lỗi ghi rõ dòng và cột. Bản lưu nằm trong thư mục dữ liệu (${overridesDir(deps.storageDir)}) và thay cho tệp mặc định cùng tên từ lần kiểm tra quy tắc tiếp theo; tệp mặc định kèm phần mềm không bị ghi đè.</p>
<form data-api="/api/admin/rules/${f.name}" data-method="POST" class="rules-editor">
<textarea name="yaml" rows="32" spellcheck="false" required>${f.text}</textarea>
<input type="hidden" name="file" value="${f.name}">
<div class="problems" data-problems aria-live="polite"></div>
<div class="buttons"><button type="submit" data-api="/api/admin/rules/validate" data-stay="1">Chỉ kiểm tra</button> <button type="submit">Kiểm tra và lưu</button></div></form>
${f.origin === 'override' ? html` <form data-api="/api/admin/rules/${f.name}" data-method="DELETE" class="inline"><button type="submit">Khôi phục tệp mặc định</button></form>` : ''}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: `Quy tắc ${f.name}`, principal, csrf: req.session!.csrf, active: '/admin' }, body));
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/admin/rules', summary: 'Các tệp quy tắc đang dùng (mặc định hoặc bản đã sửa)', tag: 'admin', roles: [...ADMIN] }, async () => ({
    files: effectiveRuleFiles(deps.storageDir).map((f) => ({ name: f.name, origin: f.origin, hasDefault: f.hasDefault })),
  }));

  defineRoute(app, registry, { method: 'GET', url: '/api/admin/rules/:name', summary: 'Nội dung một tệp quy tắc', tag: 'admin', roles: [...ADMIN], params: z.object({ name: RuleName }) }, async ({ params }) => {
    const f = ruleFile(params.name);
    return { name: f.name, origin: f.origin, hasDefault: f.hasDefault, text: f.text };
  });

  defineRoute(
    app,
    registry,
    { method: 'POST', url: '/api/admin/rules/:name', summary: 'Lưu tệp quy tắc đã sửa (kiểm tra trước; lưu thành bản thay thế trong thư mục dữ liệu)', tag: 'admin', roles: [...ADMIN], params: z.object({ name: RuleName }), body: z.object({ yaml: z.string().min(1).max(1_000_000) }) },
    async ({ params, body, principal, reply }) => {
      const v = validateRuleEdit(deps.storageDir, params.name, body.yaml, { regimes: loadRegimes() });
      if (!v.ok) return reply.code(422).send(invalidRules(v.problems));
      const now = deps.clock();
      const before = effectiveRuleFiles(deps.storageDir).find((f) => f.name === params.name);
      await saveRuleOverride(deps.storageDir, params.name, body.yaml, now);
      await audit(store, principal, { action: 'rules-save', targetType: 'rules', targetId: params.name, details: { rules: v.rules, before: before ? sha256Hex(before.text) : null, after: sha256Hex(body.yaml) } }, now);
      return { ok: true, file: params.name, rules: v.rules, message: `Đã lưu ${params.name} (${v.rules} quy tắc); áp dụng từ lần kiểm tra quy tắc tiếp theo` };
    },
  );

  defineRoute(app, registry, { method: 'DELETE', url: '/api/admin/rules/:name', summary: 'Bỏ bản đã sửa, dùng lại tệp quy tắc mặc định', tag: 'admin', roles: [...ADMIN], params: z.object({ name: RuleName }) }, async ({ params, principal }) => {
    const f = ruleFile(params.name);
    if (!f.hasDefault) throw new HttpError(400, 'Tệp này không có bản mặc định để khôi phục');
    const now = deps.clock();
    if (!(await removeRuleOverride(deps.storageDir, params.name, now))) throw new HttpError(404, 'Tệp này chưa được sửa');
    await audit(store, principal, { action: 'rules-reset', targetType: 'rules', targetId: params.name }, now);
    return { ok: true, message: `Đã khôi phục tệp mặc định ${params.name}` };
  });

  defineRoute(app, registry, { method: 'GET', url: '/api/admin/audit', summary: 'Nhật ký thao tác gần đây', tag: 'admin', roles: [...ADMIN] }, async () => ({ entries: await recentAudit(store, 200) }));
}
