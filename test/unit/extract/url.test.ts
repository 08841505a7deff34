import { describe, expect, it } from 'vitest';
import { normalizeUrl, registrableDomain, resolveUrl, sameSite } from '../../../crawlers/extract/url.ts';

describe('normalizeUrl', () => {
  it.each([
    ['https://TinNhanh.VN/thoi-su/a-123.html', 'https://tinnhanh.vn/thoi-su/a-123.html'],
    ['https://tinnhanh.vn:443/a.html', 'https://tinnhanh.vn/a.html'],
    ['http://tinnhanh.vn:80/a.html', 'http://tinnhanh.vn/a.html'],
    ['http://tinnhanh.vn:8080/a.html', 'http://tinnhanh.vn:8080/a.html'],
    ['https://tinnhanh.vn/a.html#box_comment', 'https://tinnhanh.vn/a.html'],
    [
      'https://tinnhanh.vn/a.html?utm_source=facebook&utm_medium=social&fbclid=IwAR0xyz',
      'https://tinnhanh.vn/a.html',
    ],
    ['https://tinnhanh.vn/a.html?gidzl=abc&zarsrc=31&utm_campaign=x', 'https://tinnhanh.vn/a.html'],
    ['https://tinnhanh.vn/a.html?vn_source=rss&vn_medium=feed&gclid=1', 'https://tinnhanh.vn/a.html'],
    [
      'https://baoangiang.com.vn/tin.aspx?page=2&id=12345&utm_source=zalo',
      'https://baoangiang.com.vn/tin.aspx?id=12345&page=2',
    ],
    ['https://m.tinnhanh.vn/thoi-su/a-123.html', 'https://tinnhanh.vn/thoi-su/a-123.html'],
    ['https://amp.tinnhanh.vn/thoi-su/a-123.html', 'https://tinnhanh.vn/thoi-su/a-123.html'],
    ['https://tinnhanh.vn/amp/thoi-su/a-123.html', 'https://tinnhanh.vn/thoi-su/a-123.html'],
    ['https://tinnhanh.vn/thoi-su/a-123.amp.html', 'https://tinnhanh.vn/thoi-su/a-123.html'],
    ['https://tinnhanh.vn/thoi-su/a-123/amp/', 'https://tinnhanh.vn/thoi-su/a-123/'],
    ['https://tinnhanh.vn/thoi-su/a-123.html?amp=1', 'https://tinnhanh.vn/thoi-su/a-123.html'],
    ['https://tinnhanh.vn', 'https://tinnhanh.vn/'],
    ['  https://tinnhanh.vn/a.html  ', 'https://tinnhanh.vn/a.html'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it('keeps the mobile host when desktop mapping is off', () => {
    expect(normalizeUrl('https://m.tinnhanh.vn/amp/a.html?utm_source=x', { desktop: false })).toBe(
      'https://m.tinnhanh.vn/amp/a.html',
    );
  });
  it('never strips m. down to a public suffix', () => {
    expect(normalizeUrl('https://m.com.vn/a')).toBe('https://m.com.vn/a');
  });
  it('returns non-URLs unchanged instead of throwing', () => {
    expect(normalizeUrl('not a url')).toBe('not a url');
    expect(normalizeUrl('mailto:toasoan@tinnhanh.vn')).toBe('mailto:toasoan@tinnhanh.vn');
  });
  it('is idempotent', () => {
    const once = normalizeUrl('https://M.TinNhanh.vn/amp/x.html?b=2&a=1&utm_source=y#c');
    expect(normalizeUrl(once)).toBe(once);
    expect(once).toBe('https://tinnhanh.vn/x.html?a=1&b=2');
  });
});

describe('site helpers', () => {
  it('knows Vietnamese second-level suffixes', () => {
    expect(registrableDomain('www.baoangiang.com.vn')).toBe('baoangiang.com.vn');
    expect(registrableDomain('sovhttdl.angiang.gov.vn')).toBe('angiang.gov.vn');
    expect(registrableDomain('m.tinnhanh.vn')).toBe('tinnhanh.vn');
  });
  it('compares sites', () => {
    expect(sameSite('https://m.tinnhanh.vn/a', 'https://tinnhanh.vn/b')).toBe(true);
    expect(sameSite('https://tinnhanh.vn/a', 'https://baoangiang.com.vn/b')).toBe(false);
  });
  it('resolves relative links and refuses javascript:', () => {
    expect(resolveUrl('/Uploads/a.jpg', 'https://baoangiang.com.vn/tin/1.html')).toBe(
      'https://baoangiang.com.vn/Uploads/a.jpg',
    );
    expect(resolveUrl('javascript:void(0)', 'https://baoangiang.com.vn/')).toBeNull();
  });
});
