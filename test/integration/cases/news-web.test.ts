import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../../crawlers/crawl.ts';
import { extractArticle } from '../../../crawlers/extract/article.ts';
import { decodeHtml } from '../../../crawlers/extract/decode.ts';
import { normalizeUrl } from '../../../crawlers/extract/url.ts';
import { httpFetch } from '../../../crawlers/fetch/http-fetch.ts';
import { articleId } from '../../../lib/ids.ts';
import { RawArticle } from '../../../model/records.ts';
import { createPipelineDeps } from '../../../pipeline/deps.ts';
import { loadCalendar } from '../../../rules/calendar/calendar.ts';
import { openRenderer, type Renderer } from '../../../rules/cases/chromium.ts';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { captureEvidence, recheckCase, type EvidenceFetch } from '../../../rules/cases/evidence.ts';
import { buildLetter } from '../../../rules/cases/letter/content.ts';
import { renderLetterPdf } from '../../../rules/cases/letter/pdf.ts';
import { getCase, openCasesForFlags } from '../../../rules/cases/repo.ts';
import { caseId } from '../../../rules/cases/schema.ts';
import { loadRules } from '../../../rules/engine/load.ts';
import { loadRegimes } from '../../../rules/legal/regimes.ts';
import { fromRoot } from '../../../lib/paths.ts';
import { ingest, type IngestDeps } from '../../../runner/ingest.ts';
import { BulkWriter } from '../../../store/bulk-writer.ts';
import { startNewsWeb, type NewsWeb } from '../../fixtures/news-web/server.ts';
import { openTestStore, testLog, type TestStore } from '../../helpers/es.ts';
import { newsWebSources } from '../../fixtures/news-web/sources.ts';
import { makeFlag } from '../../unit/cases/fixtures.ts';

// Real HTTP against the sample news web, the real pipeline and rules, a real Elasticsearch and Chromium.
let web: NewsWeb;
let store: TestStore;
let deps: IngestDeps;
let renderer: Renderer;
const ctx = defaultCaseContext();
const fetchPage: EvidenceFetch = (url) => httpFetch(url, { allowPrivateNetwork: true, timeoutMs: 15_000 });

async function raw(id: string): Promise<RawArticle> {
  const url = web.urlOf(id);
  const res = await fetchPage(url);
  expect(res.status).toBe(200);
  const x = extractArticle(decodeHtml(res.bytes, res.contentType ?? undefined).html, { url: res.finalUrl, now: web.clock.now() });
  const outlet = id.startsWith('tn-') ? 'mau-tinnhanh' : 'mau-baoangiang';
  return RawArticle.parse({ ...x, canonicalUrl: normalizeUrl(x.canonicalUrl || url), sourceId: outlet, fetchedAt: web.clock.now().toISOString(), contentHash: contentHash(x), httpStatus: 200 });
}

beforeAll(async () => {
  web = await startNewsWeb({ slowMs: 500 });
  store = await openTestStore();
  const now = () => web.clock.now();
  const regimes = loadRegimes();
  deps = {
    store,
    writer: new BulkWriter(store.client, { log: testLog }),
    pipeline: await createPipelineDeps({ store, now }),
    engine: { rules: loadRules(fromRoot('rules', 'default'), { regimes }), calendar: loadCalendar(), regimes },
    sources: new Map(newsWebSources(web).map((s) => [s.id, s])),
    log: testLog,
    now,
  };
  renderer = await openRenderer();
}, 300_000);
afterAll(async () => {
  await renderer?.close();
  await web?.close();
  await store?.drop();
});

describe('cases on the sample news web', () => {
  it('the false claim opens a case; its later correction is detected, linked and moves the case', async () => {
    web.clock.set('2026-11-20T12:00:00+07:00');
    const fcId = articleId(normalizeUrl(web.urlOf('tn-p-fc')));
    const first = await ingest([await raw('tn-p-fc')], deps);
    expect(first.flags).toBeGreaterThan(0);
    expect(first.corrections).toEqual([]);
    await store.client.indices.refresh({ index: store.names.alias('cases') });
    const res = await store.client.search<{ id: string; agencyId: string; articleIds: string[] }>({ index: store.names.alias('cases'), query: { term: { articleIds: fcId } } });
    const cases = res.hits.hits.map((h) => h._source!);
    expect(cases.map((c) => c.agencyId)).toContain('2025-51-so-y-te');
    const soYTe = cases.find((c) => c.agencyId === '2025-51-so-y-te')!;

    // Re-ingesting the same article changes no case.
    const again = await ingest([await raw('tn-p-fc')], deps);
    expect(again.cases.opened).toEqual([]);
    expect(again.cases.joined).toEqual([]);

    web.clock.set('2026-11-21T16:00:00+07:00');
    const ccId = articleId(normalizeUrl(web.urlOf('tn-p-fc-cc')));
    const second = await ingest([await raw('tn-p-fc-cc')], deps);
    expect(second.corrections.filter((d) => d.caseId === soYTe.id)).toEqual([{ caseId: soYTe.id, articleId: ccId, correctsArticleId: fcId, matchedBy: 'url' }]);
    const c = (await getCase(store, soYTe.id))!.doc;
    expect(c.state).toBe('bao-da-cai-chinh');
    expect(c.stateLabel).toBe('báo đã cải chính');
    expect(c.correction).toMatchObject({ articleId: ccId, detectedAt: '2026-11-21T16:00:00+07:00', title: 'Thông tin cải chính, xin lỗi' });
    expect(c.history.at(-1)).toMatchObject({ action: 'bao-cai-chinh', to: 'bao-da-cai-chinh', by: 'he-thong' });
  });

  it('keeps a snapshot of an article and records its later edit with a diff, then its removal', async () => {
    web.clock.set('2026-11-20T12:00:00+07:00');
    const url = normalizeUrl(web.urlOf('bag-p-s1-b'));
    const article = { id: articleId(url), url, title: 'Di dời khẩn cấp 15 hộ dân khỏi vùng sạt lở ở xã Chợ Mới', outletId: 'mau-baoangiang', outletName: 'Báo An Giang Điện tử', outletKind: 'print+web', publishedAt: '2026-11-20T09:00:00+07:00' };
    const flag = makeFlag({ agencyId: '2025-c30628-ubnd', storyId: 'story-satlo', article, articleId: article.id });
    const id = caseId('2025-c30628-ubnd', 'story-satlo');
    await openCasesForFlags(store, [flag], () => web.clock.now(), ctx);
    const storageDir = mkdtempSync(join(tmpdir(), 'cases-evidence-'));
    const edeps = { fetch: fetchPage, storageDir, clock: () => web.clock.now(), renderer };

    const snap = await captureEvidence(store, id, edeps);
    expect(snap).toHaveLength(1);
    const e = snap[0]!;
    expect(e).toMatchObject({ outcome: 'captured', status: 200, at: '2026-11-20T12:00:00+07:00', title: 'Di dời khẩn cấp 15 hộ dân khỏi vùng sạt lở ở xã Chợ Mới' });
    expect(e.files.html).toMatch(new RegExp(`^evidence/${id}/`));
    expect(readFileSync(join(storageDir, e.files.text!), 'utf8')).toContain('15 hộ với 58 nhân khẩu');
    expect(readFileSync(join(storageDir, e.files.png!)).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(readFileSync(join(storageDir, e.files.pdf!)).subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(await captureEvidence(store, id, edeps)).toEqual([]); // once per article

    // Before the update at 16:00 nothing changed.
    web.clock.set('2026-11-20T15:59:00+07:00');
    expect((await recheckCase(store, id, edeps)).map((x) => x.outcome)).toEqual(['unchanged']);

    web.clock.set('2026-11-20T16:30:00+07:00');
    const [edit] = await recheckCase(store, id, edeps);
    expect(edit!.outcome).toBe('edited');
    const diff = readFileSync(join(storageDir, edit!.files.diff!), 'utf8');
    expect(diff).toContain('-Di dời khẩn cấp 15 hộ dân khỏi vùng sạt lở ở xã Chợ Mới');
    expect(diff).toContain('+Di dời khẩn cấp 27 hộ dân khỏi vùng sạt lở ở xã Chợ Mới, tỉnh hỗ trợ mỗi hộ 30 triệu đồng');
    let c = (await getCase(store, id))!.doc;
    expect(c.history.at(-1)).toMatchObject({ action: 'bai-bi-sua', at: '2026-11-20T16:30:00+07:00' });
    expect(c.history.at(-1)!.note).toContain('tiêu đề “Di dời khẩn cấp 15 hộ dân khỏi vùng sạt lở ở xã Chợ Mới” → “Di dời khẩn cấp 27 hộ');
    // The edit is the new baseline: a second re-check sees no change.
    expect((await recheckCase(store, id, edeps)).map((x) => x.outcome)).toEqual(['unchanged']);

    const gone: EvidenceFetch = async (u) => ({ status: 410, finalUrl: u, contentType: 'text/html', bytes: new Uint8Array() });
    expect((await recheckCase(store, id, { ...edeps, fetch: gone })).map((x) => x.outcome)).toEqual(['removed']);
    c = (await getCase(store, id))!.doc;
    expect(c.history.at(-1)).toMatchObject({ action: 'bai-bi-go', note: `Bài viết đã bị gỡ (HTTP 410): ${url}` });
    expect(existsSync(join(storageDir, 'evidence', id))).toBe(true);
  });

  it('prints the correction request letter to PDF with Chromium', async () => {
    const c = (await getCase(store, caseId('2025-c30628-ubnd', 'story-satlo')))!.doc;
    const letter = buildLetter(
      c,
      {
        issuer: { parent: 'TỈNH AN GIANG', name: 'ỦY BAN NHÂN DÂN XÃ CHỢ MỚI', shortName: 'Ủy ban nhân dân xã Chợ Mới' },
        number: '15/UBND-VP',
        place: 'Chợ Mới',
        date: '2026-11-23',
        points: [{ claim: 'Có 15 hộ phải di dời', fact: 'số hộ phải di dời là 27 hộ.' }],
        signer: { authority: 'TM', onBehalfOf: 'ỦY BAN NHÂN DÂN', title: 'CHỦ TỊCH', name: 'Lê Văn Cường' },
      },
      ctx,
      new Date('2026-11-23T09:00:00+07:00'),
    );
    const pdf = await renderLetterPdf(letter, renderer);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
  });
});
