import { describe, expect, it } from 'vitest';
import { Article } from '../../../model/records.ts';
import { evaluateRules } from '../../../rules/engine/evaluate.ts';
import { Flag, flagId } from '../../../rules/engine/flag.ts';
import { parseRuleFiles } from '../../../rules/engine/load.ts';
import { agency, article, calendar, defaultRules, regimes } from './helpers.ts';

const opts = { calendar, regimes };
const END = 'T23:59:59+07:00';
/** `echo -n 'art-1|2025-91-so-y-te|spokesperson-hot-event' | sha256sum` */
const SHA_OF_KEY = '55349ba0f4aab9013a3558647d84683dd3c2e3f9920a9ce855a377643b695212';

function rulesFrom(yaml: string) {
  return parseRuleFiles([{ file: 'test-rules.yaml', text: yaml }], { regimes });
}

describe('flags are deterministic and idempotent', () => {
  const hot = article({ level: 'hot', tone: 'negative', categories: ['accident'] });

  it('id = sha256("articleId|agencyId|ruleId") in hex', () => {
    const f = evaluateRules(hot, defaultRules, opts).find((x) => x.ruleId === 'spokesperson-hot-event')!;
    expect(f.id).toBe(SHA_OF_KEY);
  });

  it('the same input gives the same flags, in the same order, every time', () => {
    const a = evaluateRules(hot, defaultRules, opts);
    const b = evaluateRules(structuredClone(hot), defaultRules, opts);
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(0);
    for (const f of a) expect(Flag.safeParse(f).success).toBe(true);
  });

  it('stamps createdAt only from the injected clock', () => {
    expect(evaluateRules(hot, defaultRules, opts)[0]).not.toHaveProperty('createdAt');
    const now = '2026-11-20T09:00:00+07:00';
    expect(evaluateRules(hot, defaultRules, { ...opts, now })[0]!.createdAt).toBe(now);
  });

  it('one flag per article × agency × rule, even when the tagger repeats an agency', () => {
    const twice = article({ level: 'hot', tone: 'negative', agencies: [agency(), agency()] });
    const fs = evaluateRules(twice, defaultRules, opts);
    expect(new Set(fs.map((f) => f.id)).size).toBe(fs.length);
  });

  it('flags each agency separately, in tagging order', () => {
    const ubnd = agency({ id: '2025-91-ubnd-tinh', name: 'UBND tỉnh An Giang', type: 'ubnd-tinh' });
    const fs = evaluateRules(
      article({ level: 'hot', tone: 'negative', agencies: [ubnd, agency()] }),
      defaultRules,
      opts,
    );
    const hotOnes = fs.filter((f) => f.ruleId === 'spokesperson-hot-event');
    expect(hotOnes.map((f) => f.agencyId)).toEqual(['2025-91-ubnd-tinh', '2025-91-so-y-te']);
    expect(new Set(fs.map((f) => f.id)).size).toBe(fs.length);
  });
});

it('the sha256 of a known key matches a value computed outside the code', () => {
  // Computed with `echo -n 'art-1|2025-91-so-y-te|spokesperson-hot-event' | sha256sum`.
  expect(flagId('art-1', '2025-91-so-y-te', 'spokesperson-hot-event')).toBe(SHA_OF_KEY);
});

describe('regime boundary: 30/06/2026 vs 01/07/2026', () => {
  const body = 'Báo đã chuyển đơn của người dân đến cơ quan chức năng.';
  it('an article of 30/06/2026 gets the 2016 law: 30 days → Thu 30/07/2026', () => {
    const f = evaluateRules(
      article({ body, tone: 'negative', publishedAt: '2026-06-30T22:00:00+07:00' }),
      defaultRules,
      opts,
    ).find((x) => x.ruleId === 'forwarded-criticism')!;
    expect(f).toMatchObject({ regime: 'luat-103-2016', deadline: `2026-07-30${END}` });
    expect(f.reasons.join('\n')).toContain('khoản 2 Điều 39 Luật Báo chí số 103/2016/QH13');
  });
  it('an article of 01/07/2026 gets NĐ 237/2026: 15 working days → Wed 22/07/2026', () => {
    const f = evaluateRules(
      article({ body, tone: 'negative', publishedAt: '2026-07-01T09:00:00+07:00' }),
      defaultRules,
      opts,
    ).find((x) => x.ruleId === 'forwarded-criticism')!;
    expect(f).toMatchObject({ regime: 'luat-126-2025', deadline: `2026-07-22${END}` });
    expect(f.reasons.join('\n')).toContain('khoản 3 Điều 18 Nghị định số 237/2026/NĐ-CP');
  });
  it('a UTC timestamp late on 30/06 is already 01/07 in Vietnam', () => {
    const f = evaluateRules(
      article({ body, tone: 'negative', publishedAt: '2026-06-30T18:00:00Z' }),
      defaultRules,
      opts,
    ).find((x) => x.ruleId === 'forwarded-criticism')!;
    expect(f.regime).toBe('luat-126-2025');
  });
});

describe('conditions', () => {
  const rule = (when: string, extra = '') => `
rules:
  - id: probe
    title: Thử
    when:
${when.replace(/^/gm, '      ')}
    then:
      kind: escalate
      priority: low
      explanation: "Thử {agency}"${extra}
    basis: [{ citation: test, confidence: L }]
`;
  const hits = (when: string, a = article()) => evaluateRules(a, rulesFrom(rule(when)), opts).length > 0;

  it('text exact needs the diacritics, folded does not', () => {
    const a = article({ body: 'Thong tin sai su that ve Benh vien.' });
    expect(hits('text: { patterns: [sai sự thật], match: exact }', a)).toBe(false);
    expect(hits('text: { patterns: [sai sự thật] }', a)).toBe(true);
    const b = article({ body: 'Thông tin SAI SỰ THẬT về Bệnh viện.'.normalize('NFD') });
    expect(hits('text: { patterns: [sai sự thật], match: exact }', b)).toBe(true);
  });
  it('text matches whole words only and only in the chosen fields', () => {
    expect(hits('text: { patterns: [tham nhũng] }', article({ body: 'chống thamnhũng' }))).toBe(false);
    expect(
      hits('text: { patterns: [vi phạm], fields: [title] }', article({ title: 'Tin', body: 'vi phạm' })),
    ).toBe(false);
    expect(
      hits('text: { patterns: [vi phạm], fields: [body] }', article({ title: 'Tin', body: 'vi phạm' })),
    ).toBe(true);
  });
  it('agency type/id globs, level, province, confidence', () => {
    expect(hits('agency: { type: [so-*] }')).toBe(true);
    expect(hits('agency: { type: [ubnd*] }')).toBe(false);
    expect(hits('agency: { id: ["2025-91-*"], level: [province], province: ["91"] }')).toBe(true);
    expect(hits('agency: { confidenceMin: 0.95 }')).toBe(false);
  });
  it('sensitivity levelMin, categories (any), categoriesAll, scoreMin', () => {
    const a = article({ level: 'sensitive', categories: ['land', 'complaint'] });
    expect(hits('sensitivity: { levelMin: sensitive }', a)).toBe(true);
    expect(hits('sensitivity: { levelMin: hot }', a)).toBe(false);
    expect(hits('sensitivity: { categories: [health, land] }', a)).toBe(true);
    expect(hits('sensitivity: { categoriesAll: [land, health] }', a)).toBe(false);
    expect(hits('sensitivity: { scoreMin: 0.6 }', a)).toBe(false); // score 0.5
    expect(hits('sensitivity: { level: [normal] }', article({ sensitivity: null }))).toBe(false);
  });
  it('outlet level/kind and same province', () => {
    const a = article({ outletKind: 'radio-TV', outletProvince: '91' });
    expect(hits('outlet: { kind: [radio-*] }', a)).toBe(true);
    expect(hits('outlet: { sameProvinceAsAgency: true }', a)).toBe(true);
    expect(hits('outlet: { sameProvinceAsAgency: true }', article({ outletProvince: '51' }))).toBe(false);
    expect(
      hits(
        'outlet: { level: [national] }',
        article({ outlet: { id: 'vnx', level: 'national' }, outletLevel: null }),
      ),
    ).toBe(true);
  });
  it('published range and regime', () => {
    expect(hits('published: { from: 2026-11-01, to: 2026-11-30 }')).toBe(true);
    expect(hits('published: { to: 2026-11-19 }')).toBe(false);
    expect(hits('regime: [luat-126-2025]')).toBe(true);
    expect(hits('regime: [luat-103-2016]')).toBe(false);
  });
  it('all / any / not', () => {
    expect(hits('all: [{ agency: { type: [so-*] } }, { not: { duplicate: true } }]')).toBe(true);
    expect(hits('any: [{ regime: [luat-103-2016] }, { outlet: { level: [national] } }]')).toBe(false);
    expect(hits('not: { any: [{ regime: [luat-103-2016] }] }')).toBe(true);
  });
});

describe('dates the article may lack', () => {
  const detected = `
rules:
  - id: probe-detected
    title: Thử
    when: { agency: { prominence: [primary] } }
    then:
      kind: needs_response
      priority: 1
      deadline: { param: major-event-initial-info, from: detected }
      explanation: "Hạn {deadline}"
    basis: [{ citation: test, confidence: L }]
`;
  it('from: detected counts from fetchedAt', () => {
    const [f] = evaluateRules(article({ fetchedAt: '2026-11-20T10:05:00+07:00' }), rulesFrom(detected), opts);
    expect(f!.deadline).toBe('2026-11-21T10:05:00+07:00');
    expect(f!.reasons[0]).toBe('Hạn 10:05 ngày 21/11/2026');
  });
  it('no publication date: regime and deadline from the fetch time, and the reasons say so', () => {
    const [f] = evaluateRules(
      article({ publishedAt: null, fetchedAt: '2026-06-30T10:00:00+07:00' }),
      rulesFrom(detected),
      opts,
    );
    expect(f).toMatchObject({ regime: 'luat-103-2016', deadline: '2026-07-01T10:00:00+07:00' });
    expect(f!.reasons.at(-1)).toContain('không có thời điểm đăng');
  });
  it('before 01/01/2017: no regime, no deadline', () => {
    const [f] = evaluateRules(
      article({ publishedAt: '2016-10-03T10:00:00+07:00' }),
      rulesFrom(detected),
      opts,
    );
    expect(f).toMatchObject({ regime: null, deadline: null });
  });
});

it('accepts a model/records.ts Article as input', () => {
  const a: Article = Article.parse({
    url: 'https://x.example/a',
    canonicalUrl: 'https://x.example/a',
    title: 'Sạt lở',
    sapo: null,
    body: 'Nội dung',
    author: null,
    publishedAt: '2026-11-20T08:30:00+07:00',
    modifiedAt: null,
    section: null,
    tags: [],
    image: null,
    lang: 'vi',
    sourceId: 'tinnhanh',
    fetchedAt: '2026-11-20T08:45:00+07:00',
    contentHash: 'h',
    id: 'art-9',
    agencies: [agency()],
    sensitivity: { level: 'hot', score: 0.9, tone: 'negative', categories: [], reasons: [] },
  });
  expect(evaluateRules(a, defaultRules, opts).map((f) => f.ruleId)).toContain('spokesperson-hot-event');
});
