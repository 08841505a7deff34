import { describe, expect, it } from 'vitest';
import { checkAgencies, describeAgency, loadAdminUnits } from '../../fixtures/news-web/agency-check.ts';
import { TRAPS } from '../../fixtures/news-web/content-schema.ts';
import {
  checkReferences,
  ContentError,
  loadContent,
  parseContentFile,
} from '../../fixtures/news-web/content.ts';
import { DEFAULT_START } from '../../fixtures/news-web/clock.ts';

const articles = loadContent();
const planted = articles.filter((a) => a.file.startsWith('content/planted-'));

const VALID = `
- id: tn-x1
  outlet: tinnhanh
  section: thoi-su
  slug: bai-thu
  publishedAt: 2026-11-20T08:30:00+07:00
  title: "Bài thử"
  body: ["Đoạn một."]
  truth:
    agencies: [{ id: "2025-91-so-y-te", prominence: primary }]
    sensitivity: normal
    categories: [activity]
    tone: neutral
    needsResponse: false
`;

describe('content files', () => {
  it('all load and validate, with unique ids', () => {
    expect(articles.length).toBeGreaterThanOrEqual(55);
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
  });

  it('planted articles cover every trap once, the copy groups, the correction and the update', () => {
    expect(planted).toHaveLength(55);
    for (const trap of TRAPS) expect(planted.filter((a) => a.trap === trap).map((a) => a.id)).toHaveLength(1);
    const originals = new Set(planted.filter((a) => a.truth.copyOf !== null).map((a) => a.truth.copyOf));
    expect(originals).toEqual(new Set(['bag-p-c1', 'tn-p-c2', 'nb-p-c3', 'qn-p-c4', 'tc-p-c5', 'bag-p-c6']));
    const fc = planted.find((a) => a.truth.falseClaim);
    expect(fc?.id).toBe('tn-p-fc');
    expect(planted.find((a) => a.truth.correctionOf === 'tn-p-fc')?.id).toBe('tn-p-fc-cc');
    expect(planted.find((a) => a.update !== null)?.id).toBe('bag-p-s1-b');
  });

  it('five planted multi-outlet stories span three outlets each', () => {
    const stories = [
      'story-angiang-satlo-2026-11',
      'story-quangngai-ngodoc-2026-11',
      'story-ninhbinh-gpmb-2026-11',
      'story-quangngai-onhiem-2026-11',
      'story-angiang-chay-rachgia-2026-11',
    ];
    for (const s of stories) {
      const outlets = new Set(planted.filter((a) => a.truth.story === s).map((a) => a.outlet));
      expect(outlets.size, s).toBe(3);
    }
  });

  it('has at least 12 planted articles after the default clock start, including a hot one and a copy', () => {
    const after = planted.filter((a) => Date.parse(a.publishedAt) > DEFAULT_START.getTime());
    expect(after.length).toBeGreaterThanOrEqual(12);
    expect(after.some((a) => a.truth.sensitivity === 'hot')).toBe(true);
    expect(after.some((a) => a.truth.copyOf !== null)).toBe(true);
    expect(after.every((a) => a.publishedAt <= '2026-11-22T23:00:00+07:00')).toBe(true);
  });

  it('exact copies carry the same text as their original', () => {
    const byId = new Map(articles.map((a) => [a.id, a]));
    const exact = byId.get('qn-p-c2')!;
    const orig = byId.get('tn-p-c2')!;
    expect(exact.title).toBe(orig.title);
    expect(exact.body).toEqual(orig.body);
    const edited = byId.get('tn-p-c1')!;
    expect(edited.title).not.toBe(byId.get('bag-p-c1')!.title);
    expect(edited.body.at(-1)).toBe('Theo Báo An Giang');
  });
});

describe('agency ids', () => {
  const units = loadAdminUnits();
  it.skipIf(units === null)('all resolve against the admin-unit data of their period', () => {
    expect(checkAgencies(articles, units!)).toEqual([]);
  });
  it.skipIf(units === null)('keeps old and new commune codes apart', () => {
    expect(describeAgency('2025-c30628-ubnd', units!)).toBe('UBND Xã Chợ Mới');
    expect(describeAgency('pre2025-c30628-ubnd', units!)).toBe('UBND Thị trấn Chợ Mới');
    expect(describeAgency('2025-c13420-ubnd', units!)).toBe('UBND Phường Tam Chúc');
    expect(describeAgency('pre2025-c13420-ubnd', units!)).toBe('UBND Xã Khả Phong');
    expect(describeAgency('2025-91-so-tt-tt', units!)).toBeNull();
  });
  it.skipIf(units === null)('flags 2025 units in articles written before the reform', () => {
    const [a] = parseContentFile(
      VALID.replace('2026-11-20T08:30', '2024-11-20T08:30'),
      'content/x.yaml',
    ).articles;
    expect(checkAgencies([a!], units!)).toEqual([
      'content/x.yaml: article tn-x1: truth.agencies[0].id: 2025-91-so-y-te did not exist yet on 2024-11-20 (use the pre2025 unit)',
    ]);
  });
});

describe('validation errors name file, article and field', () => {
  it('accepts a minimal article and fills defaults', () => {
    const r = parseContentFile(VALID, 'content/x.yaml');
    expect(r.issues).toEqual([]);
    expect(r.articles[0]).toMatchObject({
      id: 'tn-x1',
      sapo: null,
      author: null,
      tags: [],
      trap: null,
      update: null,
      file: 'content/x.yaml',
    });
    expect(r.articles[0]!.truth).toMatchObject({
      story: null,
      copyOf: null,
      correctionOf: null,
      falseClaim: false,
    });
  });

  it('reports a bad agency id and a bad section', () => {
    const bad = VALID.replace('2025-91-so-y-te', 'so-y-te-an-giang').replace(
      'section: thoi-su',
      'section: tin-nong',
    );
    const { issues } = parseContentFile(bad, 'content/bad.yaml');
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^content\/bad\.yaml: article tn-x1 \(entry 1\): /);
    expect(issues.some((i) => i.includes('truth.agencies[0].id: agency id must look like'))).toBe(true);
    expect(issues.some((i) => i.includes('section: unknown section'))).toBe(true);
  });

  it('reports an id whose prefix does not match the outlet', () => {
    const { issues } = parseContentFile(VALID.replace('id: tn-x1', 'id: bag-x1'), 'content/bad.yaml');
    expect(issues).toEqual([
      'content/bad.yaml: article bag-x1 (entry 1): id: id of a tinnhanh article must start with "tn-"',
    ]);
  });

  it('rejects dates without the +07:00 offset and updates before publication', () => {
    const bad = VALID.replace('2026-11-20T08:30:00+07:00', '2026-11-20T08:30:00Z').concat(
      '  update: { at: 2026-11-19T08:00:00+07:00, title: "x" }\n',
    );
    const { issues } = parseContentFile(bad, 'content/bad.yaml');
    expect(issues.some((i) => i.includes('publishedAt: expected a date-time like'))).toBe(true);
  });

  it('checks references between articles', () => {
    const two = `${VALID}\n${VALID.replace('id: tn-x1', 'id: tn-x2').replace('needsResponse: false', 'needsResponse: false\n    copyOf: tn-x9').replace('"Đoạn một."', '"Xem {{url:tn-x7}}"')}`;
    const { articles: list, issues } = parseContentFile(two, 'content/ref.yaml');
    expect(issues).toEqual([]);
    expect(checkReferences(list).issues).toEqual([
      'content/ref.yaml: article tn-x2: truth.copyOf: no article with id tn-x9',
      'content/ref.yaml: article tn-x2: body[0]: {{url:tn-x7}} names no article',
    ]);
    expect(checkReferences([...list, list[0]!]).issues[0]).toBe(
      'content/ref.yaml: article tn-x1: id: duplicate id (also in content/ref.yaml)',
    );
  });

  it('loadContent throws a ContentError listing every problem', () => {
    expect(() => loadContent('/nonexistent-dir-for-test')).toThrow();
    const e = new ContentError(['a', 'b']);
    expect(e.message).toContain('2 problems');
  });
});
