import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../pipeline/sensitivity/analysis.ts';
import { trainSoftmax } from '../../../pipeline/sensitivity/combine.ts';
import { isTest, loadLabelled } from '../../../pipeline/sensitivity/dataset.ts';
import { loadModel } from '../../../pipeline/sensitivity/index.ts';
import {
  compileFast,
  compileNaiveBayes,
  extractFeatures,
  fastLogScores,
  featureKey,
  featureName,
  logScores,
  trainNaiveBayes,
} from '../../../pipeline/sensitivity/nb.ts';
import { lexicon } from './helpers.ts';

describe('naive Bayes', () => {
  it('names features reversibly: unigrams and bigrams of folded syllables', () => {
    for (const name of ['tham', 'tham_nhung', '#_ty', 'xa_#'])
      expect(featureName(featureKey(name))).toBe(name);
  });

  it('learns which class a word belongs to', () => {
    const lex = lexicon();
    const ex = (title: string, label: number) => ({
      features: analyze(lex, { title }, { features: true }).features!,
      label,
    });
    const m = trainNaiveBayes(
      [
        ex('khánh thành cầu mới', 0),
        ex('khánh thành trường học', 0),
        ex('cháy lớn tại chợ', 1),
        ex('cháy nhà dân', 1),
      ],
      ['a', 'b'],
      { alpha: 0.5, temperature: 1, minDf: 1 },
    );
    const nb = compileNaiveBayes(m);
    const s = logScores(nb, analyze(lex, { title: 'Khánh thành chợ' }, { features: true }).features!);
    expect(s[0]).toBeGreaterThan(s[1]!);
  });

  it('the fast scoring path gives the same scores as feature extraction + logScores', () => {
    const lex = lexicon();
    const model = loadModel();
    const fast = compileFast([model.level, model.tone]);
    const level = compileNaiveBayes(model.level);
    const tone = compileNaiveBayes(model.tone);
    for (const r of loadLabelled().records.slice(0, 40)) {
      const a = analyze(lex, r, { features: true });
      const [fl, ft] = fastLogScores(fast, a.doc, lex.cues.fieldWeights);
      const sl = logScores(level, extractFeatures(a.doc, lex.cues.fieldWeights));
      const st = logScores(tone, a.features!);
      sl.forEach((v, i) => expect(fl![i]).toBeCloseTo(v, 9));
      st.forEach((v, i) => expect(ft![i]).toBeCloseTo(v, 9));
    }
  });
});

describe('softmax regression', () => {
  it('separates a linearly separable toy problem, deterministically', () => {
    const X = [
      [1, -2],
      [1, -1],
      [1, 1],
      [1, 2],
    ];
    const y = [0, 0, 1, 1];
    const w = [1, 1, 1, 1];
    const W1 = trainSoftmax(X, y, w, { classes: 2, l2: 0, iterations: 200, rate: 0.5 });
    const W2 = trainSoftmax(X, y, w, { classes: 2, l2: 0, iterations: 200, rate: 0.5 });
    expect(W1).toEqual(W2);
    expect(W1[1]![1]! - W1[0]![1]!).toBeGreaterThan(0);
  });
});

describe('labelled set', () => {
  const set = loadLabelled();

  it('has at least 300 snippets covering every level, category and tone', () => {
    expect(set.records.length).toBeGreaterThanOrEqual(300);
    const count = (f: (r: (typeof set.records)[number]) => boolean) => set.records.filter(f).length;
    for (const level of ['normal', 'sensitive', 'hot'] as const)
      expect(count((r) => r.level === level)).toBeGreaterThanOrEqual(50);
    for (const tone of ['negative', 'neutral', 'positive'] as const)
      expect(count((r) => r.tone === tone)).toBeGreaterThanOrEqual(50);
    for (const c of [
      'violation',
      'complaint',
      'land',
      'environment',
      'accident',
      'health',
      'public_order',
      'press_conduct',
      'activity',
    ] as const) {
      expect(
        count((r) => r.categories.includes(c)),
        c,
      ).toBeGreaterThanOrEqual(15);
    }
  });

  it('contains negations, denials and text without diacritics', () => {
    expect(
      set.records.filter((r) =>
        /không phát hiện|chưa ghi nhận|không có|chưa phát hiện/i.test(`${r.title} ${r.body}`),
      ).length,
    ).toBeGreaterThanOrEqual(10);
    expect(
      set.records.filter((r) =>
        /bác bỏ|sai sự thật|tin đồn|tin giả|không đúng sự thật/i.test(`${r.title} ${r.body}`),
      ).length,
    ).toBeGreaterThanOrEqual(10);
    const ascii = (s: string) => [...s].every((ch) => ch.charCodeAt(0) < 128);
    expect(set.records.filter((r) => ascii(r.title)).length).toBeGreaterThanOrEqual(10);
  });

  it('splits deterministically by id hash, about a quarter held out, disjoint', () => {
    expect(set.train.length + set.test.length).toBe(set.records.length);
    expect(set.test.every((r) => isTest(r.id))).toBe(true);
    expect(set.train.some((r) => isTest(r.id))).toBe(false);
    expect(set.test.length / set.records.length).toBeGreaterThan(0.15);
    expect(set.test.length / set.records.length).toBeLessThan(0.35);
    expect(loadLabelled().test.map((r) => r.id)).toEqual(set.test.map((r) => r.id));
  });

  it('names the file, the line and the field of an invalid record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labelled-'));
    writeFileSync(
      join(dir, 'bad.jsonl'),
      '{"id":"ok-1","title":"Tin","body":"Nội dung","level":"normal","categories":[],"tone":"neutral"}\n' +
        '{"id":"bad-1","title":"Tin","body":"Nội dung","level":"urgent","categories":[],"tone":"neutral"}\n',
    );
    expect(() => loadLabelled(dir)).toThrow(/bad\.jsonl:2: level/);
    writeFileSync(
      join(dir, 'bad.jsonl'),
      '{"id":"x-1","title":"T","body":"B","level":"hot","categories":["weather"],"tone":"neutral"}\n',
    );
    expect(() => loadLabelled(dir)).toThrow(/bad\.jsonl:1: categories\.0/);
  });
});
