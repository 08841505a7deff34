import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { defaultCaseContext } from '../../../rules/cases/context.ts';
import { buildLetter, vietnameseDateLine } from '../../../rules/cases/letter/content.ts';
import { renderLetterDocx } from '../../../rules/cases/letter/docx.ts';
import { renderLetterHtml } from '../../../rules/cases/letter/html.ts';
import type { LetterInput } from '../../../rules/cases/letter/input.ts';
import { newCase } from '../../../rules/cases/ops.ts';
import { FC_ARTICLE, makeFlag } from './fixtures.ts';

const ctx = defaultCaseContext();
const NOW = new Date('2026-11-23T09:00:00+07:00');

const INPUT: LetterInput = {
  issuer: { parent: 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI', name: 'SỞ Y TẾ', shortName: 'Sở Y tế tỉnh Quảng Ngãi' },
  number: '2145/SYT-NVY',
  place: 'Quảng Ngãi',
  points: [
    { claim: 'Ít nhất 5 trường hợp được xác định mắc bạch hầu, một bé trai 6 tuổi đã tử vong', fact: 'trên địa bàn xã Sơn Tây chỉ ghi nhận 1 trường hợp nghi mắc, kết quả xét nghiệm âm tính; không có trường hợp tử vong.' },
    { claim: 'Ngành y tế không công bố thông tin', fact: 'Sở Y tế đã thông báo trên cổng thông tin điện tử ngày 16/11/2026.' },
  ],
  grounds: ['Kết quả xét nghiệm của Viện Pasteur Nha Trang ngày 17/11/2026'],
  signer: { authority: 'KT', onBehalfOf: 'GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC', name: 'Nguyễn Văn An' },
  copyTo: ['Như trên', 'Sở Văn hóa, Thể thao và Du lịch (để biết)', 'Lưu: VT, NVY'],
};

const caseFor = (article = FC_ARTICLE) => newCase(makeFlag({ article, articleId: article.id }), NOW, ctx);
const docxText = async (input: LetterInput, c = caseFor()) => (await mammoth.extractRawText({ buffer: await renderLetterDocx(buildLetter(c, input, ctx, NOW)) })).value;

describe('correction request letter', () => {
  it('writes the NĐ 30/2020 date line with leading zeros for days < 10 and months 1–2', () => {
    expect(vietnameseDateLine('An Giang', '2026-11-23')).toBe('An Giang, ngày 23 tháng 11 năm 2026');
    expect(vietnameseDateLine('An Giang', '2027-01-05')).toBe('An Giang, ngày 05 tháng 01 năm 2027');
    expect(vietnameseDateLine('An Giang', '2027-03-09')).toBe('An Giang, ngày 09 tháng 3 năm 2027');
  });

  it('the DOCX parses back with the header, motto, subject, article, points, legal basis and signature', async () => {
    const text = await docxText(INPUT);
    for (const expected of [
      'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI',
      'SỞ Y TẾ',
      'Số: 2145/SYT-NVY',
      'V/v đề nghị cải chính thông tin',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Quảng Ngãi, ngày 23 tháng 11 năm 2026',
      'Kính gửi: Tổng Biên tập Báo điện tử Tin Nhanh',
      `Ngày 19/11/2026, Báo điện tử Tin Nhanh đăng bài viết “Sở Y tế Quảng Ngãi bị tố “giấu” ổ dịch bạch hầu ở vùng cao” tại địa chỉ ${FC_ARTICLE.url}.`,
      '1. Bài viết nêu: “Ít nhất 5 trường hợp được xác định mắc bạch hầu, một bé trai 6 tuổi đã tử vong”. Thực tế: trên địa bàn xã Sơn Tây chỉ ghi nhận 1 trường hợp nghi mắc',
      '2. Bài viết nêu: “Ngành y tế không công bố thông tin”.',
      'Căn cứ xác minh: Kết quả xét nghiệm của Viện Pasteur Nha Trang ngày 17/11/2026.',
      'Căn cứ Luật Báo chí số 126/2025/QH15 ngày 10 tháng 12 năm 2025; Nghị định số 237/2026/NĐ-CP',
      'Nghị định số 244/2026/NĐ-CP ngày 26 tháng 6 năm 2026',
      'theo quy định tại khoản 6 Điều 7 Nghị định số 244/2026/NĐ-CP; Điều 36 Luật Báo chí số 126/2025/QH15.',
      '- Báo điện tử: đăng cải chính ngay khi nhận được văn bản này (điểm a khoản 3 Điều 19 Nghị định số 237/2026/NĐ-CP).',
      'Nơi nhận:',
      '- Như trên;',
      '- Lưu: VT, NVY.',
      'KT. GIÁM ĐỐC',
      'PHÓ GIÁM ĐỐC',
      'Nguyễn Văn An',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('103/2016');
    // Diacritics survive as NFC (no decomposed marks).
    expect(text).toBe(text.normalize('NFC'));
  });

  it('an article of the old regime cites the 2016 law and NĐ 09/2017, with the 07-day online rule', async () => {
    const old = { ...FC_ARTICLE, id: 'a-old', publishedAt: '2026-06-20T08:00:00+07:00' };
    const text = await docxText({ ...INPUT, date: '2026-07-02' }, caseFor(old));
    expect(text).toContain('Quảng Ngãi, ngày 02 tháng 7 năm 2026');
    expect(text).toContain('Căn cứ Luật Báo chí số 103/2016/QH13 ngày 05 tháng 4 năm 2016; Nghị định số 09/2017/NĐ-CP');
    expect(text).toContain('theo quy định tại điểm c khoản 3 Điều 6 Nghị định số 09/2017/NĐ-CP; Điều 43 Luật Báo chí số 103/2016/QH13.');
    expect(text).toContain('- Báo điện tử: đăng cải chính ngay khi nhận được văn bản này và giữ nội dung cải chính trên trang chủ ít nhất 07 ngày (điểm a khoản 5 Điều 42, khoản 2 Điều 43 Luật Báo chí số 103/2016/QH13).');
    expect(text).not.toContain('126/2025');
  });

  it('a radio-TV outlet is addressed to its director, with the 02-day deadline', async () => {
    const tv = { ...FC_ARTICLE, id: 'a-tv', outletName: 'Đài Phát thanh - Truyền hình Quảng Ngãi', outletKind: 'radio-TV' };
    const text = await docxText({ ...INPUT, signer: { authority: 'TM', onBehalfOf: 'ỦY BAN NHÂN DÂN', title: 'CHỦ TỊCH', name: 'Trần Thị Bình' } }, caseFor(tv));
    expect(text).toContain('Kính gửi: Giám đốc Đài Phát thanh - Truyền hình Quảng Ngãi');
    expect(text).toContain('- Phát thanh, truyền hình: đăng cải chính trong thời hạn 02 ngày kể từ ngày nhận được văn bản này (điểm b khoản 3 Điều 19 Nghị định số 237/2026/NĐ-CP).');
    expect(text).toContain('TM. ỦY BAN NHÂN DÂN');
  });

  it('validates the input with zod', () => {
    const c = caseFor();
    expect(() => buildLetter(c, { ...INPUT, points: [] }, ctx, NOW)).toThrow(/at least one untrue point/);
    expect(() => buildLetter(c, { ...INPUT, number: '2145' }, ctx, NOW)).toThrow(/2145\/SYT-NVY/);
    expect(() => buildLetter(c, { ...INPUT, articleId: 'nope' }, ctx, NOW)).toThrow(/not in case/);
  });

  it('the HTML has the same content, escaped', () => {
    const html = renderLetterHtml(buildLetter(caseFor({ ...FC_ARTICLE, title: 'A <b> & “B”' }), INPUT, ctx, NOW));
    expect(html).toContain('A &lt;b&gt; &amp; “B”');
    expect(html).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(html).toContain('<html lang="vi">');
  });
});
