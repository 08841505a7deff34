import { describe, expect, it } from 'vitest';
import { isCorrectionLike, refersTo, urlKey, type CandidateArticle } from '../../../rules/cases/corrections.ts';
import { FC_ARTICLE } from './fixtures.ts';

const cand = (over: Partial<CandidateArticle>): CandidateArticle => ({
  id: 'c1',
  url: 'http://127.0.0.1:8101/thong-tin-cai-chinh-xin-loi-30.html',
  sourceId: 'mau-tinnhanh',
  title: 'Thông tin cải chính, xin lỗi',
  sapo: null,
  body: null,
  publishedAt: '2026-11-21T15:00:00+07:00',
  ...over,
});

describe('correction detection', () => {
  it('recognises cue words in title or sapo, with or without diacritics, not in the body', () => {
    expect(isCorrectionLike({ title: 'Thông tin cải chính, xin lỗi', sapo: null })).toBe(true);
    expect(isCorrectionLike({ title: 'Dinh chinh bai viet ve du an ke song', sapo: null })).toBe(true);
    expect(isCorrectionLike({ title: 'Phản hồi bài viết “Dân kêu cứu”', sapo: null })).toBe(true);
    expect(isCorrectionLike({ title: 'Xây kè chống sạt lở', sapo: 'Báo xin lỗi bạn đọc vì sai sót.' })).toBe(true);
    // "chưa nhận được phản hồi" in an ordinary article is in its body, which is not read for cues.
    expect(isCorrectionLike({ title: 'Sở Y tế bị tố giấu ổ dịch', sapo: 'Người dân lo lắng.' })).toBe(false);
    // "chính" inside another word is no cue.
    expect(isCorrectionLike({ title: 'Cải cách hành chính cấp xã', sapo: null })).toBe(false);
  });

  it('matches by the flagged URL in the text (ignoring scheme, www, query and trailing punctuation)', () => {
    expect(urlKey('https://www.Example.vn/a/b/?utm=1#x')).toBe('example.vn/a/b');
    const body = `Ngày 19/11/2026, báo đăng bài tại địa chỉ ${FC_ARTICLE.url.replace('http://', 'https://')}?utm_source=fb.`;
    expect(refersTo(cand({ body }), FC_ARTICLE)).toBe('url');
  });

  it('matches a quoted title from another outlet, without diacritics', () => {
    const c = cand({ sourceId: 'mau-other', sapo: 'Bao cai chinh bai "So Y te Quang Ngai bi to giau o dich bach hau o vung cao" dang ngay 19/11.' });
    expect(refersTo(c, FC_ARTICLE)).toBe('title-quoted');
  });

  it('matches the same outlet by title similarity, but not another outlet', () => {
    const sapo = 'Về bài Sở Y tế Quảng Ngãi giấu ổ dịch bạch hầu ở vùng cao, Tin Nhanh xin đính chính.';
    expect(refersTo(cand({ sapo }), FC_ARTICLE)).toBe('title-similar');
    expect(refersTo(cand({ sapo, sourceId: 'mau-baoangiang' }), FC_ARTICLE)).toBeNull();
  });

  it('does not match an unrelated correction, an earlier article or the article itself', () => {
    expect(refersTo(cand({ sapo: 'Cải chính bài viết về giá lúa tại An Giang.', body: 'http://127.0.0.1:8101/gia-lua-3.html' }), FC_ARTICLE)).toBeNull();
    expect(refersTo(cand({ body: FC_ARTICLE.url, publishedAt: '2026-11-18T08:00:00+07:00' }), FC_ARTICLE)).toBeNull();
    expect(refersTo(cand({ id: FC_ARTICLE.id, body: FC_ARTICLE.url }), FC_ARTICLE)).toBeNull();
  });
});
