import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodeCp1258, toCp1258Form } from '../../fixtures/news-web/encoding.ts';

describe('windows-1258 encoding', () => {
  it('keeps letters CP1258 has precomposed and splits off tone marks', () => {
    expect(toCp1258Form('Đà')).toBe('\u0110\u00e0'); // Đ and à exist in CP1258
    expect(toCp1258Form('ặ')).toBe('\u0103\u0323'); // ă + combining dot below
    expect(toCp1258Form('ấ')).toBe('\u00e2\u0301'); // â + combining acute
    expect(toCp1258Form('ờ')).toBe('\u01a1\u0300'); // ơ + combining grave
  });

  it('writes characters outside CP1258 as numeric references', () => {
    expect(toCp1258Form('● 5€')).toBe('&#9679; 5€');
  });

  it('round-trips Vietnamese text through iconv-lite', () => {
    const text =
      'Sở Văn hóa, Thể thao và Du lịch Quảng Ngãi đánh giá du lịch cộng đồng ở Măng Đen là hướng đi phù hợp.';
    const bytes = encodeCp1258(text);
    expect(bytes.includes(0x3f)).toBe(false); // no "?" substitutions
    expect(bytes.toString('utf8')).not.toBe(text);
    expect(iconv.decode(bytes, 'windows-1258').normalize('NFC')).toBe(text);
  });
});
