/**
 * How lexicon evidence and classifier probabilities become a level and a tone (the parameters live in
 * the model file and are tuned by train.ts on out-of-fold predictions of the training part):
 *
 *   lex   = 1 − exp(−max(0, severity − wPos · positive) / tau)   lexicon evidence, saturating in [0, 1),
 *           at most lexCap when no strong term (death, arrest of an official…) was found
 *   clf   = 0.5 · P(sensitive) + 1.0 · P(hot)              classifier's expected severity in [0, 1]
 *   score = wLex · lex + (1 − wLex) · clf
 *           + strongHead  if a strong term (death, arrest, prosecution…) is in the title or sapo
 *           + strongBody  if one is only in the body
 *   level = hot if score ≥ thetaHot, sensitive if score ≥ thetaSensitive, else normal
 *
 *   Tone: a 3-class softmax regression over a few dense features (toneFeatures below): lexicon polarity
 *   and masses, the tone classifier's log-odds and the level score; tone = the most probable class;
 *   the tone value t = P(positive) − P(negative) ∈ [−1, 1] feeds the per-agency tone.
 */
import type { SensitivityLevel, Tone } from '../../model/records.ts';
import type { LevelCombine, ToneCombine } from './schema.ts';

export const LEVELS: SensitivityLevel[] = ['normal', 'sensitive', 'hot'];
export const TONES: Tone[] = ['negative', 'neutral', 'positive'];

export interface LevelInputs {
  severity: number;
  positive: number;
  strongHead: boolean;
  strongBody: boolean;
  /** Classifier probabilities in LEVELS order. */
  probs: number[];
}

export function lexPart(p: LevelCombine, severity: number, positive: number, strong: boolean): number {
  const lex = 1 - Math.exp(-Math.max(0, severity - p.wPos * positive) / p.tau);
  return strong ? lex : Math.min(p.lexCap, lex);
}

export function clfPart(probs: number[]): number {
  return 0.5 * (probs[1] ?? 0) + (probs[2] ?? 0);
}

export function levelScore(p: LevelCombine, x: LevelInputs): number {
  const bonus = x.strongHead ? p.strongHead : x.strongBody ? p.strongBody : 0;
  const lex = lexPart(p, x.severity, x.positive, x.strongHead || x.strongBody);
  return p.wLex * lex + (1 - p.wLex) * clfPart(x.probs) + bonus;
}

export function levelOf(p: LevelCombine, score: number): SensitivityLevel {
  return score >= p.thetaHot ? 'hot' : score >= p.thetaSensitive ? 'sensitive' : 'normal';
}

export interface ToneInputs {
  positive: number;
  negative: number;
  /** Tone classifier probabilities in TONES order. */
  probs: number[];
  /** Level score. */
  score: number;
}

export function polarity(positive: number, negative: number): number {
  return (positive - negative) / (positive + negative + 1);
}

export const TONE_FEATURES = [
  'bias',
  'polarity',
  'log1p(positive)',
  'log1p(negative)',
  'nb log P(neg)/P(neu)',
  'nb log P(pos)/P(neu)',
  'level score',
];

export function toneFeatures(x: ToneInputs): number[] {
  const lp = (p: number | undefined): number => Math.log(Math.max(1e-6, p ?? 0));
  return [
    1,
    polarity(x.positive, x.negative),
    Math.log1p(x.positive),
    Math.log1p(x.negative),
    lp(x.probs[0]) - lp(x.probs[1]),
    lp(x.probs[2]) - lp(x.probs[1]),
    x.score,
  ];
}

/** Tone probabilities in TONES order. */
export function toneProbs(p: ToneCombine, features: number[]): number[] {
  const z = p.weights.map((row) => row.reduce((s, w, j) => s + w * (features[j] ?? 0), 0));
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export function toneOfProbs(probs: number[]): Tone {
  let best = 1;
  for (let c = 0; c < 3; c++) if ((probs[c] ?? 0) > (probs[best] ?? 0) + 1e-12) best = c;
  return TONES[best]!;
}

/**
 * Softmax regression by full-batch gradient descent from zero weights: deterministic. Samples are
 * weighted (class balance, source weight); L2 on all weights but the bias.
 */
export function trainSoftmax(
  X: number[][],
  y: number[],
  w: number[],
  opts: { classes: number; l2: number; iterations: number; rate: number },
): number[][] {
  const k = opts.classes;
  const d = X[0]?.length ?? 0;
  const W = Array.from({ length: k }, () => new Array<number>(d).fill(0));
  const total = w.reduce((a, b) => a + b, 0) || 1;
  const z = new Array<number>(k).fill(0);
  for (let it = 0; it < opts.iterations; it++) {
    const grad = Array.from({ length: k }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < X.length; i++) {
      const x = X[i]!;
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += W[c]![j]! * x[j]!;
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) {
        z[c] = Math.exp(z[c]! - max);
        sum += z[c]!;
      }
      for (let c = 0; c < k; c++) {
        const g = (w[i]! * (z[c]! / sum - (y[i] === c ? 1 : 0))) / total;
        for (let j = 0; j < d; j++) grad[c]![j]! += g * x[j]!;
      }
    }
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const reg = j === 0 ? 0 : opts.l2 * W[c]![j]!;
        W[c]![j]! -= opts.rate * (grad[c]![j]! + reg);
      }
    }
  }
  return W.map((row) => row.map((v) => Math.round(v * 1e5) / 1e5));
}

/** Macro-F1 over the given classes, plus per-class precision/recall/F1. */
export function macroF1<T extends string>(
  gold: T[],
  pred: T[],
  classes: readonly T[],
): { macroF1: number; perClass: Record<string, { p: number; r: number; f1: number; n: number }> } {
  const perClass: Record<string, { p: number; r: number; f1: number; n: number }> = {};
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c && gold[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const r = tp + fn ? tp / (tp + fn) : 0;
    const f1 = p + r ? (2 * p * r) / (p + r) : 0;
    perClass[c] = { p, r, f1, n: tp + fn };
    sum += f1;
  }
  return { macroF1: sum / classes.length, perClass };
}

/** Recall of "needs attention": gold sensitive or hot predicted sensitive or hot. */
export function recallSensitiveHot(gold: SensitivityLevel[], pred: SensitivityLevel[]): number {
  let n = 0;
  let hit = 0;
  for (let i = 0; i < gold.length; i++) {
    if (gold[i] === 'normal') continue;
    n++;
    if (pred[i] !== 'normal') hit++;
  }
  return n ? hit / n : 1;
}
