/** Generating a digest from the Digests page (notify/digest behind it), viewing and downloading it, by role. */
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openWebFixture, OTHER, OWN, type Session, type WebFixture } from './fixture.ts';

let fx: WebFixture;
let monitor: Session;
let agency: Session;
// The fixture's An Giang articles were published on 20/11 after 07:00: in the digest of 21/11.
const DATE = '2026-11-21';

beforeAll(async () => {
  fx = await openWebFixture();
  [monitor, agency] = await Promise.all([login(fx.app, 'theodoi'), login(fx.app, 'soyte-ag')]);
});
afterAll(() => fx?.close());

const generate = (s: Session, payload: Record<string, unknown>) =>
  fx.app.inject({ method: 'POST', url: '/api/digests/generate', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload });
const get = (s: Session, url: string) => fx.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });

describe('digests from the UI', () => {
  it('offers the form with Vietnamese province names', async () => {
    const page = await get(monitor, '/digests');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tạo điểm báo');
    expect(page.body).toContain('<option value="91" selected>An Giang</option>');
    const own = await get(agency, '/digests');
    expect(own.body).toContain('Cơ quan: <strong>Sở Y tế tỉnh An Giang</strong>');
    expect(own.body).not.toContain('name="province"');
  });

  it('generates, archives and serves a province digest for staff (HTML view, DOCX and PDF download)', async () => {
    const res = await generate(monitor, { date: DATE, province: '91', formats: ['docx', 'pdf'] });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const { digest, links, message } = res.json();
    expect(digest).toMatchObject({ id: `tinh-91-${DATE}`, province: '91', agencyId: null, date: DATE });
    expect(Object.keys(digest.files).sort()).toEqual(['docx', 'html', 'pdf']);
    expect(message).toMatch(/^Đã tạo điểm báo: \d+ tin/);
    expect(digest.figures.total).toBeGreaterThan(0);

    const view = await get(monitor, links.html);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Sở Y tế An Giang xử lý ổ dịch sốt xuất huyết');
    const docx = await get(monitor, links.docx);
    expect(docx.headers['content-disposition']).toContain('attachment');
    const { value: text } = await mammoth.extractRawText({ buffer: docx.rawPayload });
    expect(text).toContain('Sở Y tế An Giang xử lý ổ dịch sốt xuất huyết');
    const pdf = await get(monitor, links.pdf);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const page = await get(monitor, '/digests');
    expect(page.body).toContain(`data-digest="tinh-91-${DATE}"`);
    expect(page.body).toContain('Toàn tỉnh An Giang');
    expect(page.body).toContain(`/api/digests/tinh-91-${DATE}/pdf`);
  });

  it('lets an agency user generate its own agency digest only', async () => {
    const own = await generate(agency, { date: DATE, formats: 'docx' });
    expect(own.statusCode, own.body.slice(0, 300)).toBe(201);
    expect(own.json().digest).toMatchObject({ id: `${OWN}-${DATE}`, agencyId: OWN, province: '91' });
    expect((await generate(agency, { date: DATE, agencyId: OWN, formats: 'html' })).statusCode).toBe(201);
    const other = await generate(agency, { date: DATE, agencyId: OTHER, formats: 'html' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toBe('Người dùng cơ quan chỉ tạo được điểm báo của cơ quan mình');
    // The province digest generated above is not theirs to see.
    const list = (await get(agency, '/api/digests')).json().digests as Array<{ id: string; agencyId: string | null }>;
    expect(list.every((d) => d.agencyId === OWN)).toBe(true);
    expect(list.map((d) => d.id)).toContain(`${OWN}-${DATE}`);
    expect((await get(agency, `/api/digests/tinh-91-${DATE}/html`)).statusCode).toBe(404);
  });

  it('validates the request and audits generation', async () => {
    expect((await generate(monitor, { date: '21/11/2026', province: '91' })).statusCode).toBe(400);
    expect((await generate(monitor, { date: DATE })).statusCode).toBe(400);
    const mismatch = await generate(monitor, { date: DATE, province: '51', agencyId: OWN, formats: 'html' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error).toContain('không thuộc tỉnh đã chọn');
    const anon = await fx.app.inject({ method: 'POST', url: '/api/digests/generate', payload: { date: DATE, province: '91' } });
    expect(anon.statusCode).toBe(401);
    await fx.store.client.indices.refresh({ index: fx.store.names.alias('audit') });
    const audit = await fx.store.client.search<{ actor: string; targetId: string }>({ index: fx.store.names.alias('audit'), query: { term: { action: 'digest-generate' } }, size: 20 });
    expect(audit.hits.hits.map((h) => `${h._source!.actor} ${h._source!.targetId}`)).toEqual(expect.arrayContaining([`theodoi tinh-91-${DATE}`, `soyte-ag ${OWN}-${DATE}`]));
  });
});
