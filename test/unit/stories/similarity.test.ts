import { describe, expect, it } from 'vitest';
import {
  assignStory,
  idfFromStats,
  MemoryStoryStore,
  SHARED_LOCAL_BONUS,
  SHARED_PROVINCIAL_BONUS,
  storySimilarity,
  termVector,
  type StoryArticle,
  type StoryRecord,
} from '../../../pipeline/stories/stories.ts';

const article = (id: string, over: Partial<StoryArticle> = {}): StoryArticle => ({
  id,
  sourceId: 'src',
  title: null,
  sapo: null,
  body: null,
  publishedAt: '2026-11-20T08:00:00+07:00',
  fetchedAt: '2026-11-20T08:00:00+07:00',
  agencyIds: [],
  provinces: [],
  level: 'normal',
  duplicateOf: null,
  ...over,
});

/** A one-article story whose terms are exactly `terms`, with the given core agencies and provinces. */
const story = (terms: Record<string, number>, agencies: string[], provinces: string[]): StoryRecord => ({
  id: 'story-x',
  title: '',
  canonicalArticleId: 'x',
  articleIds: ['x'],
  articleCount: 1,
  outlets: ['src'],
  outletCount: 1,
  agencyIds: agencies,
  provinces,
  firstSeen: '2026-11-20T08:00:00+07:00',
  lastSeen: '2026-11-20T08:00:00+07:00',
  highestLevel: 'normal',
  levelRank: 0,
  keyTerms: Object.keys(terms),
  signature: { terms, agencies: Object.fromEntries(agencies.map((a) => [a, 1])), provinces: Object.fromEntries(provinces.map((p) => [p, 1])) },
  updatedAt: '2026-11-20T08:00:00+07:00',
});

describe('story similarity', () => {
  it('weighs a term by how few stories carry it', () => {
    const idf = idfFromStats({ stories: 1000, df: { 'ninh binh': 300, 'tam chuc': 2 } });
    expect(idf('tam chuc')).toBeGreaterThan(3 * idf('ninh binh'));
    expect(idf('never seen')).toBeGreaterThan(idf('tam chuc'));
    expect(idfFromStats(null)('anything')).toBe(1);
  });

  it('needs less text overlap with a shared local agency than with only provincial ones, and more for another province', () => {
    const v = new Map([
      ['a', 1],
      ['b', 1],
    ]);
    const s = (agencies: string[], provinces = ['37']) => story({ a: 1, c: 1 }, agencies, provinces);
    const text = storySimilarity(v, [], [], s([]));
    expect(text).toBeCloseTo(0.5);
    expect(storySimilarity(v, ['2025-c14533-ubnd', '2025-37-ubnd-tinh'], ['37'], s(['2025-c14533-ubnd']))).toBeCloseTo(text + SHARED_LOCAL_BONUS);
    expect(storySimilarity(v, ['2025-37-ubnd-tinh'], ['37'], s(['2025-37-ubnd-tinh', '2025-37-so-tai-chinh']))).toBeCloseTo(text + SHARED_PROVINCIAL_BONUS);
    expect(storySimilarity(v, ['2025-37-so-y-te'], ['37'], s(['2025-37-ubnd-tinh']))).toBeCloseTo(text);
    expect(storySimilarity(v, ['2025-91-so-y-te'], ['91'], s(['2025-51-so-y-te'], ['51']))).toBeCloseTo(text / 2);
  });

  it('counts each stored story once in the document frequencies, also after it is updated', async () => {
    const store = new MemoryStoryStore();
    const base = article('a1', { title: 'Sạt lở bờ sông ở xã Chợ Mới', agencyIds: ['2025-c30628-ubnd'], provinces: ['91'] });
    await assignStory(base, store);
    await assignStory({ ...base, id: 'a2', sourceId: 'other' }, store);
    await assignStory(article('b1', { title: 'Hội nghị gặp gỡ nhà đầu tư', publishedAt: '2026-01-13T08:00:00+07:00' }), store);
    expect(store.stories.size).toBe(2);
    const stats = await store.termStats(['sat lo', 'dau tu', 'xyz']);
    expect(stats).toEqual({ stories: 2, df: { 'sat lo': 1, 'dau tu': 1 } });
  });

  it('keeps the IDF each story term had when weighed, so a lookup needs statistics for the article terms only', async () => {
    const store = new MemoryStoryStore();
    for (let i = 0; i < 5; i++) {
      await assignStory(article(`o${i}`, { title: `Ninh Bình khánh thành công trình số ${'abcde'[i]}`, publishedAt: `2026-0${i + 1}-10T08:00:00+07:00` }), store);
    }
    const s = await assignStory(article('n1', { title: 'Ninh Bình ra mắt tuyến du lịch đường thủy Tam Chúc', publishedAt: '2026-09-15T08:00:00+07:00' }), store);
    expect(s.signature.idf!['tam chuc']).toBeGreaterThan(s.signature.idf!['ninh binh']!);
    expect(Object.keys(s.signature.idf!).sort()).toEqual(Object.keys(s.signature.terms).sort());
    expect(s.keyTerms).toEqual(Object.keys(s.signature.terms));
  });

  it('keeps apart same-province, same-topic coverage of different events, and joins the same event told differently', async () => {
    const store = new MemoryStoryStore();
    // Background: a province's ordinary news, so that its name and the investment vocabulary are common.
    const topics = ['khánh thành nhà máy', 'thu hút vốn đầu tư dự án', 'hội nghị xúc tiến đầu tư dự án', 'khởi công dự án khu công nghiệp', 'đối thoại doanh nghiệp dự án'];
    for (const [i, t] of topics.entries()) {
      await assignStory(article(`bg${i}`, { title: `Ninh Bình ${t}`, sapo: `UBND tỉnh Ninh Bình ${t} năm 2026.`, publishedAt: `2026-0${i + 1}-05T08:00:00+07:00`, agencyIds: ['2025-37-ubnd-tinh'], provinces: ['37'] }), store);
    }
    const at = (h: number) => new Date(Date.parse('2026-09-14T08:00:00+07:00') + h * 3_600_000).toISOString();
    const fdi = await assignStory(
      article('fdi', { title: 'Ninh Bình thu hút vốn FDI vào các khu công nghiệp', sapo: 'Sở Tài chính Ninh Bình cho biết vốn đầu tư nước ngoài năm 2025 vượt kế hoạch, nhiều dự án điện tử.', publishedAt: at(0), agencyIds: ['2025-37-so-tai-chinh', '2025-37-ubnd-tinh'], provinces: ['37'] }),
      store,
    );
    const conference = await assignStory(
      article('conf', { title: 'Ninh Bình gặp gỡ nhà đầu tư, trao chủ trương 15 dự án', sapo: 'UBND tỉnh Ninh Bình trao quyết định chủ trương đầu tư dự án cho các nhà đầu tư, Sở Tài chính phối hợp tháo gỡ.', publishedAt: at(24), agencyIds: ['2025-37-ubnd-tinh', '2025-37-so-tai-chinh'], provinces: ['37'] }),
      store,
    );
    expect(conference.id).not.toBe(fdi.id);
    const waterway = await assignStory(
      article('w1', { title: 'Ninh Bình ra mắt tuyến du lịch đường thủy nối Tam Chúc với Tràng An', sapo: 'Tuyến thuyền Tam Chúc - Tràng An dài 40 km đón khách từ tháng 10.', publishedAt: at(2), agencyIds: ['2025-37-so-vh-tt-dl'], provinces: ['37'] }),
      store,
    );
    const retold = await assignStory(
      article('w2', { title: 'Đi thuyền từ Tam Chúc đến Tràng An', sapo: 'Du khách có thể đi đường thủy giữa hai khu du lịch Tam Chúc và Tràng An.', publishedAt: at(20), agencyIds: ['2025-37-so-vh-tt-dl'], provinces: ['37'] }),
      store,
    );
    expect(retold.id).toBe(waterway.id);
    expect(termVector({ title: 'Tam Chúc', sapo: null, body: null }).has('tam chuc')).toBe(true);
  });
});
