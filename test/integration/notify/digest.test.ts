import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDigests } from '../../../notify/digest/archive.ts';
import { generateDigest } from '../../../notify/digest/generate.ts';
import { indexArticles } from '../../../store/articles.ts';
import { BulkWriter } from '../../../store/bulk-writer.ts';
import { openTestStore, testLog, type TestStore } from '../../helpers/es.ts';
import { AGENCIES, article, flagDoc } from './fixtures.ts';

let store: TestStore;
const now = new Date('2026-11-21T07:10:00+07:00');
const QN = { id: '2025-51-so-y-te', name: 'Sở Y tế tỉnh Quảng Ngãi' };

const hot = article({
  slug: 'ngo-doc-bep-an',
  title: 'Hơn 40 học sinh nhập viện nghi ngộ độc thực phẩm',
  sapo: 'Sở Y tế tỉnh An Giang đã lấy mẫu thực phẩm tại bếp ăn bán trú để xét nghiệm.',
  agencies: [AGENCIES.yte],
  level: 'hot',
  reasons: ['ngộ độc tập thể'],
  storyId: 'story-ngodoc',
  publishedAt: '2026-11-20T09:15:00+07:00',
});
const copy = article({ slug: 'ngo-doc-ban-sao', title: hot.title!, sapo: hot.sapo!, agencies: [AGENCIES.yte], level: 'hot', storyId: 'story-ngodoc', duplicateOf: hot.id, outlet: 'Báo An Giang', publishedAt: '2026-11-20T10:00:00+07:00' });
const activity = article({ slug: 'tiem-chung-mo-rong', title: 'Ngành y tế triển khai tiêm chủng mở rộng đợt 2', agencies: [AGENCIES.yte], tone: 'positive', publishedAt: '2026-11-20T15:00:00+07:00' });
const ubnd = article({ slug: 'du-an-cham-tien-do', title: 'Dự án khu tái định cư chậm tiến độ, người dân mòn mỏi chờ', agencies: [AGENCIES.ubnd], level: 'sensitive', reasons: ['phản ánh chậm trễ'], publishedAt: '2026-11-20T20:00:00+07:00', outlet: 'Báo An Giang' });
const nnmt = article({ slug: 'lua-thu-dong', title: 'Nông dân xuống giống lúa thu đông đúng lịch thời vụ', agencies: [AGENCIES.nnmt], tone: 'positive', publishedAt: '2026-11-21T06:00:00+07:00' });
const tooOld = article({ slug: 'tin-cu', title: 'Tin cũ ngoài kỳ điểm báo', agencies: [AGENCIES.yte], publishedAt: '2026-11-20T06:59:00+07:00' });
const otherProvince = article({ slug: 'quang-ngai', title: 'Tin của tỉnh khác', agencies: [QN], publishedAt: '2026-11-20T12:00:00+07:00' });
for (const a of [otherProvince]) a.agencies[0]!.province = '51';

beforeAll(async () => {
  store = await openTestStore();
  const writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' });
  await indexArticles(store, writer, [hot, copy, activity, ubnd, nnmt, tooOld, otherProvince], now);
  await store.client.index({ index: store.names.alias('flags'), id: 'f1', document: flagDoc(hot.id, AGENCIES.yte.id, '2026-11-21T09:15:00+07:00', 'story-ngodoc'), refresh: 'wait_for' });
  const cases = store.names.alias('cases');
  await store.client.index({ index: cases, id: 'c1', document: { id: 'c1', agencyId: AGENCIES.yte.id, province: '91', state: 'dang-xu-ly', deadline: '2026-11-21T09:15:00+07:00', title: 'Vụ ngộ độc thực phẩm tại trường học' } });
  await store.client.index({ index: cases, id: 'c2', document: { id: 'c2', agencyId: AGENCIES.ubnd.id, province: '91', state: 'closed', title: 'Vụ việc đã đóng' } });
  await store.client.index({ index: cases, id: 'c3', document: { id: 'c3', agencyId: AGENCIES.ubnd.id, province: '91', state: 'khong-can-xu-ly', stateLabel: 'không cần xử lý', title: 'Vụ việc không cần xử lý' } });
  // The agency already spoke: its own deadline, though past, is no longer "quá hạn".
  await store.client.index({ index: cases, id: 'c4', document: { id: 'c4', agencyId: AGENCIES.ubnd.id, province: '91', state: 'da-phat-ngon', deadline: '2026-11-20T12:00:00+07:00', title: 'Dự án tái định cư chậm tiến độ' } });
  // The outlet was asked for a correction and let its legal deadline pass without publishing one.
  await store.client.index({ index: cases, id: 'c6', document: { id: 'c6', agencyId: AGENCIES.nnmt.id, province: '91', state: 'da-gui-de-nghi-cai-chinh', deadline: '2026-11-19T09:00:00+07:00', outletDeadline: '2026-11-20T17:00:00+07:00', correction: null, title: 'Báo đưa tin sai về vắc xin' } });
  // A code an older tool wrote: labelled, never shown raw.
  await store.client.index({ index: cases, id: 'c5', document: { id: 'c5', agencyId: AGENCIES.nnmt.id, province: '91', state: 'letter_sent', deadline: '2026-11-25T17:00:00+07:00', title: 'Tin sai về dịch bệnh trên lúa' }, refresh: 'wait_for' });
});

afterAll(async () => {
  await store?.drop();
});

describe('daily press digest (điểm báo)', () => {
  it('groups by responsible agency, "cần lưu ý" first, with figures, charts, copies and the cases annex', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'digest-'));
    const { digest: d, outputs, archived } = await generateDigest(store, { scope: { province: '91', agencyId: null }, date: '2026-11-21', now }, { formats: ['html', 'docx', 'pdf'], archiveDir: dir });
    expect(d.from).toBe('2026-11-20T07:00:00+07:00');
    expect(d.to).toBe('2026-11-21T07:00:00+07:00');
    expect(d.orgName).toBe('Ủy ban nhân dân tỉnh An Giang');
    expect(d.figures).toMatchObject({ total: 5, stories: 4, needingAction: 2, byLevel: { hot: 2, sensitive: 1, normal: 2 }, byTone: { negative: 3, positive: 2, neutral: 0 } });
    expect(d.figures.byOutlet).toEqual([['Báo Tin Nhanh', 3], ['Báo An Giang', 2]]);
    expect(d.groups.map((g) => [g.agencyName, g.attention.length, g.activity.length])).toEqual([
      ['Sở Y tế tỉnh An Giang', 1, 1],
      ['Ủy ban nhân dân tỉnh An Giang', 1, 0],
      ['Sở Nông nghiệp và Môi trường tỉnh An Giang', 0, 1],
    ]);
    const yte = d.groups[0]!;
    expect(yte.attention[0]).toMatchObject({ articleId: hot.id, copiesInPeriod: 2 });
    expect(yte.attention[0]!.ownFlags[0]!.deadline).toBe('2026-11-21T09:15:00+07:00');
    expect(d.cases.map((c) => [c.title, c.state, c.stateLabel, c.overdue])).toEqual([
      ['Dự án tái định cư chậm tiến độ', 'da-phat-ngon', 'Đã phát ngôn', false],
      ['Báo đưa tin sai về vắc xin', 'da-gui-de-nghi-cai-chinh', 'Đã gửi đề nghị cải chính', true],
      ['Vụ ngộ độc thực phẩm tại trường học', 'dang-xu-ly', 'Đang xử lý', false],
      ['Tin sai về dịch bệnh trên lúa', 'letter_sent', 'Đã gửi đề nghị cải chính', false],
    ]);

    const html = outputs.html as string;
    expect(html).toContain('ĐIỂM BÁO');
    expect(html).toContain('ngày 21 tháng 11 năm 2026');
    expect(html).toContain('Từ 07:00 ngày 20/11/2026 đến 07:00 ngày 21/11/2026');
    const section = html.slice(html.indexOf('1. Sở Y tế tỉnh An Giang'));
    expect(section.indexOf('Cần lưu ý, xử lý')).toBeGreaterThan(0);
    expect(section.indexOf('Cần lưu ý, xử lý')).toBeLessThan(section.indexOf('Thông tin hoạt động'));
    expect(html).toContain('2 bài cùng nội dung/sự việc');
    expect(html).toContain('hạn <b>09:15 ngày 21/11/2026</b>');
    expect(html).toContain(`href="${hot.canonicalUrl}"`);
    expect(html).toContain('<svg');
    expect(html).toContain('Số tin theo cơ quan báo chí');
    expect(html).not.toContain('Tin cũ ngoài kỳ');
    expect(html).not.toContain('Tin của tỉnh khác');
    expect(html.replace(/<svg[\s\S]*?<\/svg>/g, "")).not.toMatch(/<style|class="/); // inline CSS only, for mail clients

    const annex = html.slice(html.indexOf('PHỤ LỤC'));
    expect(annex).toContain('>Đang xử lý<');
    expect(annex).toContain('>Đã phát ngôn<');
    expect(annex).toContain('>Đã gửi đề nghị cải chính<');
    for (const code of ['dang-xu-ly', 'da-phat-ngon', 'letter_sent', 'khong-can-xu-ly']) expect(annex).not.toContain(code);
    expect(annex).not.toContain('Vụ việc không cần xử lý');

    const pdf = outputs.pdf as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);

    const docx = await mammoth.extractRawText({ buffer: outputs.docx as Buffer });
    expect(docx.value).toContain('ĐIỂM BÁO');
    expect(docx.value).toContain('Cần lưu ý, xử lý (1)');
    expect(docx.value).toContain('Hơn 40 học sinh nhập viện nghi ngộ độc thực phẩm');
    expect(docx.value).toContain('Đề xuất: Cần phát ngôn, cung cấp thông tin cho báo chí – hạn 09:15 ngày 21/11/2026');
    expect(docx.value.indexOf('Cần lưu ý, xử lý')).toBeLessThan(docx.value.indexOf('Thông tin hoạt động'));
    expect(docx.value).toContain('Vụ ngộ độc thực phẩm tại trường học');
    const docxAnnex = docx.value.slice(docx.value.indexOf('PHỤ LỤC'));
    expect(docxAnnex).toContain('Đang xử lý');
    expect(docxAnnex).toContain('Đã gửi đề nghị cải chính');
    for (const code of ['dang-xu-ly', 'da-phat-ngon', 'letter_sent']) expect(docxAnnex).not.toContain(code);

    // The three charts of the HTML are in the DOCX as PNGs, and the document body shows them.
    const zip = await JSZip.loadAsync(outputs.docx as Buffer);
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/') && !zip.files[f]!.dir);
    expect(media).toHaveLength(3);
    for (const f of media) {
      const png = await zip.file(f)!.async('nodebuffer');
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.readUInt32BE(16)).toBe(1120); // 560 px drawn at 2×, sharp in print
    }
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    const documentXml = await zip.file('word/document.xml')!.async('string');
    const embeds = [...documentXml.matchAll(/r:embed="([^"]+)"/g)].map((m) => m[1]!);
    expect(embeds).toHaveLength(3);
    for (const rid of embeds) expect(rels).toMatch(new RegExp(`Id="${rid}"[^>]*Target="media/[^"]+\\.png"`));
    expect(documentXml).toContain('title="Số tin theo cơ quan báo chí"');
    // Charts sit in the summary, before the first agency section.
    expect(documentXml.indexOf('r:embed=')).toBeLessThan(documentXml.indexOf('TIN THEO CƠ QUAN CHỊU TRÁCH NHIỆM'));

    expect(Object.keys(archived!.files).sort()).toEqual(['docx', 'html', 'pdf']);
    const listed = await listDigests(store, { province: '91' });
    expect(listed.map((x) => x.id)).toEqual(['tinh-91-2026-11-21']);
  });

  it('narrows to one agency', async () => {
    const { digest: d } = await generateDigest(store, { scope: { province: '91', agencyId: AGENCIES.yte.id }, date: '2026-11-21', now }, { formats: [] });
    expect(d.orgName).toBe('Sở Y tế tỉnh An Giang');
    expect(d.groups.map((g) => g.agencyId)).toEqual([AGENCIES.yte.id]);
    expect(d.figures.total).toBe(3);
    expect(d.cases.map((c) => c.title)).toEqual(['Vụ ngộ độc thực phẩm tại trường học']);
  });
});
