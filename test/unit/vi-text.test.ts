import { describe, expect, it } from 'vitest';
import { exactKey, fold, normalizeWithMap, toOriginalSpan, unifyTone } from '../../pipeline/normalize/vi-text.ts';

describe('fold', () => {
  it('removes every diacritic, maps đ to d and lower-cases', () => {
    expect(fold('Sở Tài nguyên và Môi trường tỉnh Đắk Lắk')).toBe('so tai nguyen va moi truong tinh dak lak');
  });
  it('treats NFD input like NFC input', () => {
    const s = 'Ủy ban nhân dân xã Tân Hội';
    expect(fold(s.normalize('NFD'))).toBe(fold(s));
  });
  it('keeps the length of NFC text so offsets carry over', () => {
    const s = 'Người dân phản ánh ô nhiễm ở phường Rạch Giá';
    expect(fold(s)).toHaveLength(s.length);
  });
});

describe('unifyTone', () => {
  it.each([
    ['Uỷ ban', 'Ủy ban'],
    ['hoà giải', 'hòa giải'],
    ['khoẻ mạnh', 'khỏe mạnh'],
    ['thuỷ lợi', 'thủy lợi'],
    ['Thanh Hoá', 'Thanh Hóa'],
  ])('%s → %s', (input, expected) => {
    expect(unifyTone(input)).toBe(expected);
  });
  it('leaves syllables whose position is fixed by a final consonant or a marked vowel', () => {
    for (const w of ['hoàn thành', 'quyết định', 'người', 'giữa', 'khuỷu', 'quý', 'gì', 'tuyển']) {
      expect(unifyTone(w)).toBe(w);
    }
  });
  it('makes both conventions share one exact key', () => {
    expect(exactKey('Uỷ Ban Nhân Dân')).toBe(exactKey('Ủy ban nhân dân'));
  });
});

describe('normalizeWithMap', () => {
  it('collapses whitespace and maps spans back to the original, even from NFD', () => {
    const original = ('  Sở   Tài nguyên\u00a0và ' + 'Môi trường  ').normalize('NFD');
    const n = normalizeWithMap(original);
    expect(n.text).toBe('Sở Tài nguyên và Môi trường');
    const at = n.text.indexOf('Môi trường');
    const span = toOriginalSpan(n, at, at + 'Môi trường'.length);
    expect(original.slice(span.start, span.end).normalize('NFC')).toBe('Môi trường');
  });
  it('drops zero-width characters and unifies typographic quotes', () => {
    const n = normalizeWithMap('Báo \u201cAn\u200bGiang\u201d');
    expect(n.text).toBe('Báo "AnGiang"');
  });
});
