/** A web app over a fresh test index: a few articles (two agencies, one story with a copy), users, cases. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AgencyTag, Article } from '../../../model/records.ts';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { openCasesForFlags } from '../../../rules/cases/repo.ts';
import { caseId } from '../../../rules/cases/schema.ts';
import { indexArticles } from '../../../store/articles.ts';
import { BulkWriter } from '../../../store/bulk-writer.ts';
import { createUser } from '../../../web/auth/users.ts';
import { buildApp } from '../../../web/app.ts';
import type { RouteRegistry } from '../../../web/route.ts';
import { makeArticle } from '../../helpers/articles.ts';
import { openTestStore, testLog, type TestStore } from '../../helpers/es.ts';
import { makeFlag } from '../../unit/cases/fixtures.ts';

export const OWN = '2025-91-so-y-te';
export const OTHER = '2025-51-so-y-te';
export const PASSWORD = 'mat-khau-thu-nghiem-1';
export const NOW = new Date('2026-11-21T09:00:00+07:00');

export function agency(id: string, name: string, province: string, mentions: AgencyTag['mentions'] = []): AgencyTag {
  return { id, name, type: 'so', level: 'tinh', province, provinceName: null, validFrom: null, validTo: null, successors: [], mentions, prominence: 'primary', confidence: 0.9 };
}

const title1 = 'Sở Y tế An Giang xử lý ổ dịch sốt xuất huyết';
/** The ingest path stores the outlet's name from the sources file on each article; so does the fixture. */
export const OUTLET_NAMES: Record<string, string> = { 'mau-baoangiang': 'Báo An Giang', 'mau-tinnhanh': 'Báo điện tử Tin Nhanh', 'mau-ptthquangngai': 'Đài Phát thanh và Truyền hình Quảng Ngãi' };
const withOutlet = (a: Article): Article => Object.assign(a, { outletName: OUTLET_NAMES[a.sourceId] ?? null });
export const ARTICLES: Article[] = [
  makeArticle({
    canonicalUrl: 'https://baoangiang.example.vn/y-te/o-dich.html',
    title: title1,
    body: 'Sở Y tế tỉnh An Giang cho biết đã khoanh vùng ổ dịch sốt xuất huyết tại phường Long Xuyên.',
    sourceId: 'mau-baoangiang',
    storyId: 'story-dich',
    agencies: [agency(OWN, 'Sở Y tế tỉnh An Giang', '91', [{ field: 'title', start: 0, end: 7, text: 'Sở Y tế' }])],
    sensitivity: { level: 'hot', score: 0.9, tone: 'negative', toneByAgency: {}, categories: ['dich-benh'], reasons: ['Dịch bệnh lan rộng'] },
  }),
  makeArticle({
    canonicalUrl: 'https://tinnhanh.example.vn/o-dich-copy.html',
    title: title1,
    body: 'Sở Y tế tỉnh An Giang cho biết đã khoanh vùng ổ dịch sốt xuất huyết tại phường Long Xuyên.',
    sourceId: 'mau-tinnhanh',
    storyId: 'story-dich',
    publishedAt: '2026-11-20T10:00:00+07:00',
    agencies: [agency(OWN, 'Sở Y tế tỉnh An Giang', '91')],
    sensitivity: { level: 'hot', score: 0.9, tone: 'negative', toneByAgency: {}, categories: [], reasons: [] },
  }),
  makeArticle({
    canonicalUrl: 'https://baoangiang.example.vn/y-te/tiem-chung.html',
    title: 'An Giang đẩy mạnh tiêm chủng mở rộng',
    body: 'Ngành y tế An Giang triển khai tiêm chủng cho trẻ em.',
    sourceId: 'mau-baoangiang',
    storyId: 'story-tiem',
    publishedAt: '2026-11-19T08:00:00+07:00',
    agencies: [agency(OWN, 'Sở Y tế tỉnh An Giang', '91')],
    sensitivity: { level: 'normal', score: 0.1, tone: 'positive', toneByAgency: {}, categories: [], reasons: [] },
  }),
  makeArticle({
    canonicalUrl: 'https://ptthquangngai.example.vn/benh-vien.html',
    title: '<script>alert("xss")</script> Bệnh viện Quảng Ngãi quá tải <img src=x onerror=alert(1)>',
    body: 'Bệnh nhân phản ánh <script>document.cookie</script> về Sở Y tế Quảng Ngãi.',
    sourceId: 'mau-ptthquangngai',
    storyId: 'story-qn',
    agencies: [agency(OTHER, 'Sở Y tế tỉnh Quảng Ngãi', '51')],
    sensitivity: { level: 'sensitive', score: 0.5, tone: 'negative', toneByAgency: {}, categories: [], reasons: ['<b>phản ánh</b>'] },
  }),
].map(withOutlet);
// The flagged ones carry their flag kinds, as the ingest path writes them.
for (const i of [0, 3]) Object.assign(ARTICLES[i]!, { flagKinds: ['needs_response'] });
export const [OWN_ARTICLE, COPY_ARTICLE, , OTHER_ARTICLE] = ARTICLES as [Article, Article, Article, Article];
export const OWN_CASE = caseId(OWN, 'story-dich');
export const OTHER_CASE = caseId(OTHER, 'story-qn');

export interface WebFixture {
  store: TestStore;
  app: FastifyInstance;
  registry: RouteRegistry;
  storageDir: string;
  close(): Promise<void>;
}

export async function openWebFixture(opts: { loginMax?: number } = {}): Promise<WebFixture> {
  const store = await openTestStore();
  const writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' });
  await indexArticles(store, writer, ARTICLES, NOW);
  const ref = (a: Article) => ({ id: a.id, url: a.url, title: a.title, outletId: a.sourceId, outletName: 'Báo điện tử Tin Nhanh', outletKind: 'e-paper', publishedAt: a.publishedAt });
  const flags = [
    { ...makeFlag({ agencyId: OWN, articleId: OWN_ARTICLE.id, storyId: 'story-dich', article: ref(OWN_ARTICLE) }), province: '91' },
    { ...makeFlag({ agencyId: OTHER, articleId: OTHER_ARTICLE.id, storyId: 'story-qn', article: ref(OTHER_ARTICLE) }), province: '51' },
  ];
  await openCasesForFlags(store, flags, () => NOW, defaultCaseContext(), { refresh: 'wait_for' });
  for (const { article: _a, ...f } of flags) {
    await store.client.index({ index: store.names.alias('flags'), id: f.id, document: { ...f, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() }, refresh: 'wait_for' });
  }
  for (const [username, role, agencyId] of [
    ['admin', 'admin', null],
    ['theodoi', 'monitor', null],
    ['soyte-ag', 'agency', OWN],
  ] as const) {
    await createUser(store, { username, displayName: username, role, agencyId, password: PASSWORD }, NOW);
  }
  const storageDir = mkdtempSync(join(tmpdir(), 'web-test-'));
  mkdirSync(join(storageDir, 'digests'), { recursive: true });
  for (const [id, agencyId] of [
    ['own-digest', OWN],
    ['other-digest', OTHER],
  ] as const) {
    const file = join(storageDir, 'digests', `${id}.html`);
    writeFileSync(file, `<p>Điểm báo ${id}</p>`);
    await store.client.index({
      index: store.names.alias('digests'),
      id,
      document: { id, scope: 'agency', province: agencyId.split('-')[1], agencyId, title: `Điểm báo ${id}`, date: '2026-11-21', from: NOW.toISOString(), to: NOW.toISOString(), figures: {}, files: { html: file }, createdAt: NOW.toISOString() },
      refresh: 'wait_for',
    });
  }
  mkdirSync(join(storageDir, 'crawl-state'));
  writeFileSync(
    join(storageDir, 'crawl-state', 'mau-baoangiang.json'),
    JSON.stringify({ version: 1, sourceId: 'mau-baoangiang', urls: { 'https://x/1': { status: 'extracted', at: '2026-11-20T01:00:00Z' }, 'https://x/2': { status: 'failed', at: '2026-11-20T02:00:00Z', reason: 'http-500' } }, canonicals: {}, lastRun: null }),
  );
  const { app, registry } = await buildApp({
    store,
    clock: () => NOW,
    log: testLog,
    storageDir,
    crawlStateDirs: [join(storageDir, 'crawl-state')],
    loginRateLimit: { max: opts.loginMax ?? 1000, timeWindow: 60_000 },
  });
  await app.ready();
  return { store, app, registry, storageDir, close: async () => void (await app.close(), await store.drop()) };
}

export interface Session {
  cookie: string;
  csrf: string;
}

/** Log in through the real form flow (GET /login for the login token, POST /login). */
let ipCounter = 0;
/** A fresh client address per login, so the login rate limit (per IP) only bites where a test wants it to. */
export const nextIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<Session> {
  const remoteAddress = nextIp();
  const form = await app.inject({ method: 'GET', url: '/login' });
  const lcsrf = form.cookies.find((c) => c.name === 'pm_lcsrf')!.value;
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pm_lcsrf=${lcsrf}` },
    payload: new URLSearchParams({ username, password, _csrf: lcsrf }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`login ${username}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const sid = res.cookies.find((c) => c.name === 'pm_sid')!.value;
  const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `pm_sid=${sid}` } });
  return { cookie: `pm_sid=${sid}`, csrf: me.json().csrf };
}
