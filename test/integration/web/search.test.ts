import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArticle } from '../../helpers/articles.ts';
import { testLog } from '../../helpers/es.ts';
import { indexArticles } from '../../../store/articles.ts';
import { BulkWriter } from '../../../store/bulk-writer.ts';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { openCasesForFlags, transitionCase } from '../../../rules/cases/repo.ts';
import { makeFlag } from '../../unit/cases/fixtures.ts';
import { agency, login, NOW, openWebFixture, OTHER_ARTICLE, OWN, OWN_ARTICLE, COPY_ARTICLE, type Session, type WebFixture } from './fixture.ts';

let fx: WebFixture;
let monitor: Session;
const BULK = 1234;

beforeAll(async () => {
  fx = await openWebFixture();
  // Many small articles, so the export has to page (search_after) well past one page and the 10 000 window logic.
  const many = Array.from({ length: BULK }, (_, i) =>
    makeArticle({
      canonicalUrl: `https://hangloat.example.vn/bai-${i}.html`,
      title: `Tin hàng loạt số ${i} về giao thông`,
      body: 'Nội dung giao thông.',
      sourceId: 'mau-hangloat',
      storyId: `story-bulk-${i}`,
      publishedAt: `2026-10-${String((i % 28) + 1).padStart(2, '0')}T08:00:00+07:00`,
      agencies: [agency('2025-91-so-xay-dung', 'Sở Xây dựng tỉnh An Giang', '91')],
    }),
  );
  await indexArticles(fx.store, new BulkWriter(fx.store.client, { log: testLog, refresh: 'wait_for' }), many);
  await fx.store.client.indices.refresh({ index: fx.store.names.alias('articles') });
  monitor = await login(fx.app, 'theodoi');
});
afterAll(() => fx?.close());

const search = async (qs: string) => {
  const res = await fx.app.inject({ method: 'GET', url: `/api/search?${qs}`, headers: { cookie: monitor.cookie } });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json();
};

describe('search', () => {
  it('finds the same article with and without diacritics, and highlights the accented words', async () => {
    const withMarks = await search(`q=${encodeURIComponent('sốt xuất huyết')}`);
    const without = await search('q=sot+xuat+huyet');
    expect(withMarks.rows[0].storyId).toBe('story-dich');
    expect(without.rows.map((r: { article: { id: string } }) => r.article.id)).toEqual(withMarks.rows.map((r: { article: { id: string } }) => r.article.id));
    expect(without.rows[0].titleHtml).toContain('<mark>sốt</mark>');
  });

  it('supports phrases, OR, NOT and field filters', async () => {
    expect((await search(`q=${encodeURIComponent('"tiem chung"')}`)).total.articles).toBe(1);
    expect((await search(`q=${encodeURIComponent('"chung tiem"')}`)).total.articles).toBe(0);
    expect((await search(`q=${encodeURIComponent('tiem OR "qua tai"')}`)).total.articles).toBe(2);
    expect((await search(`q=${encodeURIComponent('y te NOT dich')}`)).rows.some((r: { article: { id: string } }) => r.article.id === OWN_ARTICLE.id)).toBe(false);
    const filtered = await search(`q=${encodeURIComponent(`agency:${OWN} level:hot`)}`);
    expect(filtered.total.articles).toBe(2);
  });

  it('folds a story into one row with its copy, and counts facets', async () => {
    const r = await search(`q=${encodeURIComponent('sot xuat huyet')}`);
    expect(r.total.articles).toBe(2);
    expect(r.total.stories).toBe(1);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].relatedTotal).toBe(1);
    expect(r.rows[0].related.map((x: { id: string }) => x.id)).toEqual([r.rows[0].article.id === OWN_ARTICLE.id ? COPY_ARTICLE.id : OWN_ARTICLE.id]);
    const all = await search(`q=y+te`);
    const facet = (name: string) => Object.fromEntries(all.facets[name].map((f: { key: string; count: number }) => [f.key, f.count]));
    expect(facet('agency')[OWN]).toBe(3);
    expect(facet('outlet')).toMatchObject({ 'mau-baoangiang': 2, 'mau-tinnhanh': 1 });
    expect(facet('level')).toMatchObject({ hot: 2 });
    expect(facet('tone')).toMatchObject({ negative: 3, positive: 1 });
    const byDate = await search('level=hot&sort=time');
    expect(byDate.rows).toHaveLength(1);
  });

  it('labels facets with names and Vietnamese labels, filtering by codes', async () => {
    const api = await search('q=y+te');
    const label = (name: string, key: string) => api.facets[name].find((f: { key: string }) => f.key === key)?.label;
    expect(label('agency', OWN)).toBe('Sở Y tế tỉnh An Giang');
    expect(label('province', '91')).toBe('An Giang');
    expect(label('province', '51')).toBe('Quảng Ngãi');
    expect(label('outlet', 'mau-baoangiang')).toBe('Báo An Giang');
    expect(label('level', 'hot')).toBe('Nóng');
    expect(label('tone', 'negative')).toBe('Tiêu cực');

    const res = await fx.app.inject({ method: 'GET', url: '/search?q=y+te', headers: { cookie: monitor.cookie } });
    expect(res.statusCode).toBe(200);
    const facets = /<aside>([\s\S]*?)<\/aside>/.exec(res.body)![1]!;
    // What a person reads in the links: names and labels; the codes stay in the URLs only.
    const texts = [...facets.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(texts).toEqual(expect.arrayContaining(['Sở Y tế tỉnh An Giang', 'An Giang', 'Báo An Giang', 'Nóng', 'Nhạy cảm', 'Tiêu cực', 'Tích cực']));
    for (const code of [OWN, '91', '51', 'mau-baoangiang', 'hot', 'sensitive', 'negative', 'positive']) expect(texts).not.toContain(code);
    expect(facets).toContain(`agency=${OWN}`);
    expect(facets).toContain('province=91');
    // Saving the search for an agency: the agencies of the results are offered by name.
    expect(res.body).toContain(`<option value="${OWN}">Sở Y tế tỉnh An Giang</option>`);
    const filtered = await fx.app.inject({ method: 'GET', url: `/search?q=y+te&province=91&level=hot`, headers: { cookie: monitor.cookie } });
    expect(filtered.body).toContain('class="on">An Giang</a>');
    expect(filtered.body).toContain('class="on">Nóng</a>');
  });

  it('shows agency names, prominence, flag and case-state labels on the article page, not codes', async () => {
    const res = await fx.app.inject({ method: 'GET', url: `/articles/${OWN_ARTICLE.id}`, headers: { cookie: monitor.cookie } });
    const side = /<aside class="article-side">([\s\S]*?)<\/aside>/.exec(res.body)![1]!;
    const text = side.replace(/<[^>]+>/g, ' ');
    expect(text).toContain('Sở Y tế tỉnh An Giang');
    expect(text).toContain('Đối tượng chính của bài');
    expect(text).toContain('An Giang');
    expect(text).toContain('Mới – Sở Y tế tỉnh An Giang');
    expect(text).not.toMatch(/2025-91-so-y-te|\bprimary\b|\b91\b|\bmoi\b/);
    const meta = /<p class="meta">([\s\S]*?)<\/p>/.exec(res.body)![1]!;
    expect(meta).toContain('Báo An Giang');
  });

  it('exports names and labels rather than codes', async () => {
    const csv = (await fx.app.inject({ method: 'GET', url: `/api/search/export.csv?q=${encodeURIComponent('sot xuat huyet')}`, headers: { cookie: monitor.cookie } })).body;
    const row = csv.trim().split('\r\n')[1]!;
    expect(row).toContain('Nóng');
    expect(row).toContain('Tiêu cực');
    expect(row).toContain('An Giang');
    expect(row).not.toMatch(/,hot,|,negative,|,91,/);
  });

  it('paginates stories', async () => {
    const p1 = await search('q=giao+thong&size=50&sort=time');
    const p2 = await search('q=giao+thong&size=50&sort=time&page=2');
    expect(p1.total.stories).toBe(BULK);
    expect(p1.rows).toHaveLength(50);
    const ids = new Set(p1.rows.map((r: { article: { id: string } }) => r.article.id));
    expect(p2.rows.some((r: { article: { id: string } }) => ids.has(r.article.id))).toBe(false);
  });

  it('streams every matching row to CSV, beyond one page', async () => {
    const res = await fx.app.inject({ method: 'GET', url: '/api/search/export.csv?q=giao+thong', headers: { cookie: monitor.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toContain('Tiêu đề');
    expect(lines).toHaveLength(BULK + 1);
    expect(new Set(lines.slice(1)).size).toBe(BULK);
  });

  it('exports XLSX', async () => {
    const res = await fx.app.inject({ method: 'GET', url: '/api/search/export.xlsx?q=y+te', headers: { cookie: monitor.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('renders crawled HTML in titles and bodies escaped, never as markup', async () => {
    const pages = [
      await fx.app.inject({ method: 'GET', url: `/articles/${OTHER_ARTICLE.id}`, headers: { cookie: monitor.cookie } }),
      await fx.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('benh vien qua tai')}`, headers: { cookie: monitor.cookie } }),
      await fx.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('<script>alert(1)</script>')}`, headers: { cookie: monitor.cookie } }),
    ];
    for (const p of pages) {
      expect(p.statusCode).toBe(200);
      expect(p.body).not.toMatch(/<script>(?!.*src=)/i);
      expect(p.body).not.toMatch(/<img src=x/i);
      expect(p.body).not.toContain('<b>phản ánh</b>');
    }
    expect(pages[0]!.body).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
  });

  it('shows the article page with mentions highlighted, flags-free siblings and the original link', async () => {
    const res = await fx.app.inject({ method: 'GET', url: `/articles/${OWN_ARTICLE.id}`, headers: { cookie: monitor.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<mark class="agency" title="Sở Y tế tỉnh An Giang">Sở Y tế</mark>');
    expect(res.body).toContain('Xem bài gốc');
    expect(res.body).toContain(`/articles/${COPY_ARTICLE.id}`);
    expect(res.body).toContain('Dịch bệnh lan rộng');
  });

  it('saves a search as a subscription', async () => {
    const res = await fx.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: { cookie: monitor.cookie, 'x-csrf-token': monitor.csrf },
      payload: { name: 'Dịch bệnh An Giang', q: `sot xuat huyet level:hot agency:${OWN}`, agencyId: OWN, mode: 'immediate' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const sub = res.json().subscription;
    expect(sub.query).toBe('sot xuat huyet');
    expect(sub.filters.agencyIds).toEqual([OWN]);
  });

  it('filters and counts by case state; an agency user sees only the state of its own case', async () => {
    // A second agency's case on the same article, moved on to "đang xử lý"; the agency's own case stays "mới".
    const third = '2025-91-ubnd-tinh';
    const ref = { id: OWN_ARTICLE.id, url: OWN_ARTICLE.url, title: OWN_ARTICLE.title, outletId: OWN_ARTICLE.sourceId, outletName: null, outletKind: null, publishedAt: OWN_ARTICLE.publishedAt };
    const [flag] = [{ ...makeFlag({ agencyId: third, articleId: OWN_ARTICLE.id, storyId: 'story-dich', article: ref }), province: '91' }];
    const opened = await openCasesForFlags(fx.store, [flag], () => NOW, defaultCaseContext(), { refresh: 'wait_for' });
    await transitionCase(fx.store, opened.opened[0]!, { to: 'dang-xu-ly', by: 'theodoi' }, () => NOW);
    await fx.store.client.indices.refresh({ index: fx.store.names.alias('articles') });

    const facet = (r: { facets: { case: Array<{ key: string; count: number; label: string }> } }) => Object.fromEntries(r.facets.case.map((f) => [f.key, [f.count, f.label]]));
    const all = await search(`q=${encodeURIComponent('sot xuat huyet')}`);
    expect(facet(all)).toEqual({ moi: [1, 'Mới'], 'dang-xu-ly': [1, 'Đang xử lý'] });
    const moving = await search('case=dang-xu-ly');
    expect(moving.rows.map((r: { article: { id: string } }) => r.article.id)).toEqual([OWN_ARTICLE.id]);
    expect((await search(`q=${encodeURIComponent('case:moi')}`)).total.articles).toBe(2); // both agencies' new cases

    const agencyUser = await login(fx.app, 'soyte-ag');
    const asAgency = async (qs: string) => (await fx.app.inject({ method: 'GET', url: `/api/search?${qs}`, headers: { cookie: agencyUser.cookie } })).json();
    expect(facet(await asAgency(`q=${encodeURIComponent('sot xuat huyet')}`))).toEqual({ moi: [1, 'Mới'] });
    expect((await asAgency('case=dang-xu-ly')).total.articles).toBe(0);
    expect((await asAgency('case=moi')).rows.map((r: { article: { id: string } }) => r.article.id)).toEqual([OWN_ARTICLE.id]);
  });
});
