import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkWriter } from '../../store/bulk-writer.ts';
import { indexArticles } from '../../store/articles.ts';
import { searchIndex, textQuery } from '../../store/search.ts';
import { makeArticle } from '../helpers/articles.ts';
import { openTestStore, testLog, type TestStore } from '../helpers/es.ts';

let store: TestStore;

const docs = [
  makeArticle({ canonicalUrl: 'https://a.vn/1', title: 'Sở Tài nguyên và Môi trường kiểm tra bãi rác Rạch Giá' }),
  makeArticle({ canonicalUrl: 'https://a.vn/2', title: 'Uỷ ban nhân dân tỉnh họp bàn phòng chống sạt lở' }),
  makeArticle({ canonicalUrl: 'https://a.vn/3', title: 'Ủy ban nhân dân xã Tân Hội tiếp dân định kỳ' }),
  makeArticle({ canonicalUrl: 'https://a.vn/4', title: 'Người dân phản ánh khói bụi ở khu công nghiệp'.normalize('NFD') }),
  makeArticle({ canonicalUrl: 'https://a.vn/5', title: 'Công an tỉnh An Giang triệt phá đường dây lừa đảo' }),
  makeArticle({ canonicalUrl: 'https://a.vn/6', title: 'Cong an tinh An Giang trien khai dot cao diem' }),
  makeArticle({ canonicalUrl: 'https://a.vn/7', title: 'Giá lúa tăng, nông dân phấn khởi' }),
];

async function titles(q: string): Promise<string[]> {
  const page = await searchIndex<{ title: string }>(store, 'articles', { query: textQuery(q), size: 20 });
  return page.hits.map((h) => h.source.title.normalize('NFC'));
}

beforeAll(async () => {
  store = await openTestStore();
  const writer = new BulkWriter(store.client, { log: testLog, refresh: 'wait_for' });
  const result = await indexArticles(store, writer, docs);
  expect(result.rejected).toEqual([]);
});
afterAll(() => store.drop());

describe('Vietnamese search over folded fields', () => {
  it('finds text with diacritics from a query typed without them', async () => {
    expect(await titles('so tai nguyen va moi truong')).toEqual(['Sở Tài nguyên và Môi trường kiểm tra bãi rác Rạch Giá']);
  });

  it('matches both tone-mark conventions of "Ủy ban" either way', async () => {
    const fromNew = await titles('Uỷ ban nhân dân');
    const fromOld = await titles('Ủy ban nhân dân');
    for (const result of [fromNew, fromOld]) {
      expect(result).toHaveLength(2);
      expect(result).toContain('Uỷ ban nhân dân tỉnh họp bàn phòng chống sạt lở');
      expect(result).toContain('Ủy ban nhân dân xã Tân Hội tiếp dân định kỳ');
    }
  });

  it('finds an NFD-encoded document with an NFC query', async () => {
    expect(await titles('phản ánh khói bụi')).toEqual(['Người dân phản ánh khói bụi ở khu công nghiệp']);
  });

  it('ranks the document with the exact diacritics first', async () => {
    const result = await titles('Công an tỉnh An Giang');
    expect(result).toHaveLength(2);
    expect(result[0]).toBe('Công an tỉnh An Giang triệt phá đường dây lừa đảo');
    const plain = await titles('cong an tinh an giang trien khai');
    expect(plain[0]).toBe('Cong an tinh An Giang trien khai dot cao diem');
  });

  it('does not match unrelated documents', async () => {
    expect(await titles('ngộ độc thực phẩm')).toEqual([]);
  });
});
