/**
 * A small multinomial naive Bayes over binarized syllable unigrams and bigrams (folded, so text with and
 * without diacritics share features), with field weights (a feature seen in the title counts more).
 * Posteriors are softened by a temperature tuned in cross-validation. Own implementation rather than
 * `natural`, so the model is plain JSON, deterministic, and fast to apply: features are keyed by numbers
 * built from interned syllable ids (see text.ts), and named "syllable" / "syllable_syllable" in the file.
 */
import type { NaiveBayesModel } from './schema.ts';
import { intern, internName, type Doc } from './text.ts';

export type FieldWeights = { title: number; sapo: number; body: number };
/** Feature key → value (max field weight where it occurs). */
export type Features = Map<number, number>;

const SHIFT = 1 << 20;

/** Binarized features: each distinct unigram/bigram once, valued by the heaviest field it occurs in. */
export function extractFeatures(doc: Doc, fw: FieldWeights): Features {
  const f: Features = new Map();
  const t = doc.tokens;
  for (let i = 0; i < t.length; i++) {
    const a = t[i]!;
    const w = fw[a.field];
    let prev = f.get(a.fid);
    if (prev === undefined || prev < w) f.set(a.fid, w);
    const b = t[i + 1];
    if (b && b.clause === a.clause) {
      const k = (a.fid + 1) * SHIFT + b.fid;
      prev = f.get(k);
      if (prev === undefined || prev < w) f.set(k, w);
    }
  }
  return f;
}

export function featureName(key: number): string {
  if (key < SHIFT) return internName(key);
  const a = Math.floor(key / SHIFT) - 1;
  return `${internName(a)}_${internName(key % SHIFT)}`;
}

export function featureKey(name: string): number {
  const u = name.indexOf('_');
  if (u < 0) return intern(name);
  return (intern(name.slice(0, u)) + 1) * SHIFT + intern(name.slice(u + 1));
}

export interface TrainExample {
  features: Features;
  label: number;
  weight?: number;
}

const round = (x: number, d = 5): number => {
  const p = 10 ** d;
  const r = Math.round(x * p) / p;
  return Object.is(r, -0) ? 0 : r;
};

export function trainNaiveBayes(
  examples: TrainExample[],
  classes: string[],
  opts: { alpha: number; temperature: number; minDf: number },
): NaiveBayesModel {
  const k = classes.length;
  const df = new Map<number, number>();
  for (const e of examples) for (const key of e.features.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= opts.minDf)
    .map(([key]) => ({ key, name: featureName(key) }))
    .filter((v) => v.name !== '' && !v.name.startsWith('_') && !v.name.endsWith('_'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const index = new Map(vocab.map((v, i) => [v.key, i]));
  const counts = classes.map(() => new Float64Array(vocab.length));
  const totals = new Float64Array(k);
  const docs = new Float64Array(k);
  for (const e of examples) {
    const w = e.weight ?? 1;
    docs[e.label]! += w;
    const c = counts[e.label]!;
    for (const [key, v] of e.features) {
      const i = index.get(key);
      if (i === undefined) continue;
      c[i]! += v * w;
      totals[e.label]! += v * w;
    }
  }
  const nDocs = docs.reduce((a, b) => a + b, 0);
  const denom = classes.map((_, c) => totals[c]! + opts.alpha * vocab.length);
  const logLikelihood: Record<string, number[]> = {};
  for (let i = 0; i < vocab.length; i++) {
    logLikelihood[vocab[i]!.name] = classes.map((_, c) =>
      round(Math.log((counts[c]![i]! + opts.alpha) / denom[c]!)),
    );
  }
  return {
    classes,
    alpha: opts.alpha,
    temperature: opts.temperature,
    logPrior: classes.map((_, c) => round(Math.log((docs[c]! + 1) / (nDocs + k)))),
    logLikelihood,
    logUnknown: classes.map((_, c) => round(Math.log(opts.alpha / denom[c]!))),
  };
}

/** A model ready to apply: likelihoods by numeric feature key. */
export interface NaiveBayes {
  model: NaiveBayesModel;
  table: Map<number, Float64Array>;
}

export function compileNaiveBayes(model: NaiveBayesModel): NaiveBayes {
  const table = new Map<number, Float64Array>();
  for (const [name, ll] of Object.entries(model.logLikelihood))
    table.set(featureKey(name), Float64Array.from(ll));
  return { model, table };
}

/** Unnormalized log scores per class. Unseen features are ignored. */
export function logScores(nb: NaiveBayes, features: Features): number[] {
  const s = nb.model.logPrior.slice();
  const k = s.length;
  for (const [key, v] of features) {
    const ll = nb.table.get(key);
    if (ll === undefined) continue;
    for (let c = 0; c < k; c++) s[c]! += v * ll[c]!;
  }
  return s;
}

/** Posterior probabilities per class (same order as model.classes). */
export function predictNaiveBayes(
  nb: NaiveBayes,
  features: Features,
  temperature = nb.model.temperature,
): number[] {
  return softmax(logScores(nb, features), temperature);
}

export function softmax(s: number[], temperature: number): number[] {
  const max = Math.max(...s);
  let z = 0;
  const p = s.map((x) => {
    const e = Math.exp((x - max) / temperature);
    z += e;
    return e;
  });
  return p.map((x) => x / z);
}

/**
 * Several models compiled over one shared feature index for fast scoring: unigrams by syllable id in a
 * typed array, bigrams in one Map keyed by a small integer. Equivalent to extractFeatures + logScores
 * (a unit test checks it), but without building a feature map per article.
 */
export interface FastModels {
  size: number;
  uni: Int32Array;
  bi: Map<number, number>;
  models: Array<{ k: number; logPrior: number[]; ll: Float64Array; has: Uint8Array }>;
  stamp: Int32Array;
  weight: Float64Array;
  touched: Int32Array;
  generation: number;
}

export function compileFast(models: NaiveBayesModel[]): FastModels {
  const names = [...new Set(models.flatMap((m) => Object.keys(m.logLikelihood)))].sort();
  const parsed = names.map((n) => {
    const u = n.indexOf('_');
    return u < 0 ? [intern(n)] : [intern(n.slice(0, u)), intern(n.slice(u + 1))];
  });
  const size = Math.max(1, ...parsed.flat()) + 1;
  const uni = new Int32Array(size).fill(-1);
  const bi = new Map<number, number>();
  parsed.forEach((p, j) => {
    if (p.length === 1) uni[p[0]!] = j;
    else bi.set(p[0]! * size + p[1]!, j);
  });
  const index = new Map(names.map((n, j) => [n, j]));
  return {
    size,
    uni,
    bi,
    models: models.map((m) => {
      const k = m.classes.length;
      const ll = new Float64Array(names.length * k);
      const has = new Uint8Array(names.length);
      for (const [name, v] of Object.entries(m.logLikelihood)) {
        const j = index.get(name)!;
        has[j] = 1;
        for (let c = 0; c < k; c++) ll[j * k + c] = v[c]!;
      }
      return { k, logPrior: m.logPrior, ll, has };
    }),
    stamp: new Int32Array(names.length),
    weight: new Float64Array(names.length),
    touched: new Int32Array(names.length),
    generation: 0,
  };
}

/** Log scores of every compiled model for one document (same as logScores(extractFeatures(doc))). */
export function fastLogScores(fm: FastModels, doc: Doc, fw: FieldWeights): number[][] {
  const { uni, bi, size, stamp, weight, touched } = fm;
  if (++fm.generation >= 0x7fffffff) {
    fm.generation = 1;
    stamp.fill(0);
  }
  const gen = fm.generation;
  let n = 0;
  const t = doc.tokens;
  for (let i = 0; i < t.length; i++) {
    const a = t[i]!;
    if (a.fid >= size) continue;
    const ja = uni[a.fid]!;
    if (ja < 0) continue; // with minDf ≥ 1, a bigram is only known if its first syllable is
    const w = fw[a.field];
    if (stamp[ja] !== gen) {
      stamp[ja] = gen;
      weight[ja] = w;
      touched[n++] = ja;
    } else if (weight[ja]! < w) weight[ja] = w;
    const b = t[i + 1];
    if (b === undefined || b.clause !== a.clause || b.fid >= size || uni[b.fid]! < 0) continue;
    const jb = bi.get(a.fid * size + b.fid);
    if (jb === undefined) continue;
    if (stamp[jb] !== gen) {
      stamp[jb] = gen;
      weight[jb] = w;
      touched[n++] = jb;
    } else if (weight[jb]! < w) weight[jb] = w;
  }
  return fm.models.map((m) => {
    const s = m.logPrior.slice();
    for (let q = 0; q < n; q++) {
      const j = touched[q]!;
      if (!m.has[j]) continue;
      const w = weight[j]!;
      for (let c = 0; c < m.k; c++) s[c]! += w * m.ll[j * m.k + c]!;
    }
    return s;
  });
}
