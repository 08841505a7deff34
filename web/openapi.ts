/** The OpenAPI 3.1 document, generated from the same route declarations and zod schemas the server validates with. */
import { z } from 'zod';
import type { RouteRegistry, RouteSpec } from './route.ts';

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

function parameters(spec: RouteSpec): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
  }
  return out;
}

export function openApiDocument(registry: RouteRegistry): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of registry.specs) {
    if (!spec.url.startsWith('/api/') && spec.url !== '/login' && spec.url !== '/logout') continue;
    if (spec.url === '/login' && spec.method === 'GET') continue;
    const path = spec.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const media = spec.produces ?? ['application/json'];
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag ?? 'other'],
      description: spec.roles === 'public' ? 'Công khai.' : `Vai trò: ${spec.roles.join(', ')}. Người dùng cơ quan chỉ thấy dữ liệu của cơ quan mình.`,
      ...(spec.roles === 'public' ? { security: [] } : {}),
      parameters: parameters(spec),
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) }, 'application/x-www-form-urlencoded': { schema: jsonSchema(spec.body) } } } }
        : {}),
      responses: {
        200: { description: 'OK', content: Object.fromEntries(media.map((m) => [m, {}])) },
        400: { description: 'Dữ liệu không hợp lệ' },
        401: { description: 'Chưa đăng nhập' },
        403: { description: 'Không có quyền, hoặc thiếu/sai mã CSRF (header X-CSRF-Token)' },
        404: { description: 'Không tìm thấy (hoặc ngoài phạm vi cơ quan)' },
        ...(spec.method === 'POST' && spec.url.startsWith('/api/cases/') ? { 409: { description: 'Vụ việc đã bị người khác sửa (phiên bản cũ)' } } : {}),
        ...(spec.url === '/login' ? { 429: { description: 'Quá nhiều lần đăng nhập' } } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Theo dõi báo chí – API', version: '1.0.0', description: 'JSON API của ứng dụng web. Xác thực bằng cookie phiên (pm_sid); mọi yêu cầu thay đổi dữ liệu cần header X-CSRF-Token (lấy từ GET /api/me).' },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'pm_sid' }, csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' } } },
    security: [{ session: [] }],
    paths,
  };
}
