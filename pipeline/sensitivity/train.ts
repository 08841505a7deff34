/**
 * Trains the sensitivity model and writes pipeline/sensitivity/model/sensitivity-model.json.
 *
 *   npx tsx pipeline/sensitivity/train.ts [--out FILE] [--labelled DIR] [--lexicons DIR] [--danes FILE | --no-danes] [--check]
 *
 * Deterministic: the same lexicons, labelled set and DANeS file give a byte-identical model file (no
 * timestamps, fixed iteration orders, rounded numbers). `--check` writes nothing and exits 1 when the
 * committed model differs from what training produces now.
 *
 * Steps (only the TRAIN part of the labelled set is used; the test part is held out by id hash):
 * 1. analyze every snippet (lexicon evidence + features);
 * 2. 5-fold cross-validation (folds by id hash) to get out-of-fold classifier probabilities, choosing the
 *    NB smoothing and temperature by out-of-fold log-loss, and the DANeS weight for tone;
 * 3. grid-search the combination parameters (combine.ts) on the out-of-fold predictions:
 *    level maximizes macro-F1 + recall(sensitive+hot); tone maximizes macro-F1;
 * 4. train both classifiers on the whole train part (+ DANeS train part for tone) and save.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../../lib/log.ts';
import type { SensitivityLevel, Tone } from '../../model/records.ts';
import { analyze, type Analysis } from './analysis.ts';
import {
  LEVELS,
  TONES,
  clfPart,
  lexPart,
  levelScore,
  TONE_FEATURES,
  toneFeatures,
  toneOfProbs,
  toneProbs as toneRegression,
  trainSoftmax,
} from './combine.ts';
import {
  DANES_ATTRIBUTION,
  DEFAULT_DANES_FILE,
  DEFAULT_LABELLED_DIR,
  REPO_ROOT,
  SPLIT_RULE,
  bucket,
  hashRecords,
  loadDanes,
  loadLabelled,
  type DanesSet,
} from './dataset.ts';
import { DEFAULT_MODEL_FILE } from './index.ts';
import { DEFAULT_LEXICON_DIR, loadLexicon, type Lexicon } from './lexicon.ts';
import { compileNaiveBayes, logScores, softmax, trainNaiveBayes, type TrainExample } from './nb.ts';
import {
  ModelFile,
  parseOrThrow,
  type LevelCombine,
  type NaiveBayesModel,
  type ToneCombine,
} from './schema.ts';

export const FORMAT_VERSION = 1;
const FOLDS = 5;
const ALPHAS = [0.1, 0.3, 1];
const TEMPERATURES = [1, 2, 4, 8, 16, 32, 64];
const DANES_WEIGHTS = [0, 0.25, 0.5, 1];
const MIN_DF = 2;
/**
 * Level tuning maximizes macro-F1 among settings whose recall of sensitive+hot reaches this target
 * (a missed sensitive item costs more than a false alarm); below it, recall is penalized twice.
 */
const RECALL_TARGET = 0.97;

export interface TrainOptions {
  lexiconDir?: string;
  labelledDir?: string;
  /** DANeS annotated file; null: train tone on the labelled set only. */
  danesFile?: string | null;
}

export interface Prepared {
  id: string;
  analysis: Analysis;
  level: number;
  tone: number;
}

export interface TrainResult {
  model: ModelFile;
  json: string;
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

export function prepare(
  lex: Lexicon,
  rs: Array<{ id: string; title: string; sapo?: string; body: string; level?: SensitivityLevel; tone: Tone }>,
): Prepared[] {
  return rs.map((r) => ({
    id: r.id,
    analysis: analyze(lex, r, { features: true }),
    level: r.level ? LEVELS.indexOf(r.level) : -1,
    tone: TONES.indexOf(r.tone),
  }));
}

function logLoss(probs: number[][], labels: number[]): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s -= Math.log(Math.max(1e-12, probs[i]![labels[i]!]!));
  return s / Math.max(1, probs.length);
}

/**
 * Out-of-fold log scores for every item of `pool` (folds by id hash): item i is predicted by a model
 * trained on the items of the other folds whose weight is > 0.
 */
function outOfFold(
  pool: Prepared[],
  weights: number[],
  label: (p: Prepared) => number,
  classes: string[],
  alpha: number,
): number[][] {
  const fold = pool.map((p) => bucket('fold', p.id, FOLDS));
  const out: number[][] = new Array(pool.length);
  for (let f = 0; f < FOLDS; f++) {
    const train: TrainExample[] = [];
    pool.forEach((p, i) => {
      if (fold[i] !== f && weights[i]! > 0)
        train.push({ features: p.analysis.features!, label: label(p), weight: weights[i]! });
    });
    const nb = compileNaiveBayes(trainNaiveBayes(train, classes, { alpha, temperature: 1, minDf: MIN_DF }));
    pool.forEach((p, i) => {
      if (fold[i] === f) out[i] = logScores(nb, p.analysis.features!);
    });
  }
  return out;
}

/**
 * Best (alpha, temperature) by out-of-fold log-loss on the first `scored` items of the pool (the labelled
 * set); returns out-of-fold probabilities for the whole pool.
 */
export function chooseNb(
  pool: Prepared[],
  weights: number[],
  scored: number,
  label: (p: Prepared) => number,
  classes: string[],
): { alpha: number; temperature: number; probs: number[][]; loss: number } {
  let best: { alpha: number; temperature: number; probs: number[][]; loss: number } | null = null;
  const labels = pool.slice(0, scored).map(label);
  for (const alpha of ALPHAS) {
    const scores = outOfFold(pool, weights, label, classes, alpha);
    for (const temperature of TEMPERATURES) {
      const probs = scores.map((x) => softmax(x, temperature));
      const loss = logLoss(probs.slice(0, scored), labels);
      if (!best || loss < best.loss - 1e-12) best = { alpha, temperature, probs, loss };
    }
  }
  return best!;
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++) out.push(Math.round((from + i * step) * 1000) / 1000);
  return out;
}

/** Macro-F1 from a k×k confusion matrix (gold × predicted). */
function macroF1Of(cm: Int32Array | Float64Array, k: number): number {
  let f1 = 0;
  for (let c = 0; c < k; c++) {
    const tp = cm[c * k + c]!;
    let fp = 0;
    let fn = 0;
    for (let o = 0; o < k; o++) {
      if (o === c) continue;
      fp += cm[o * k + c]!;
      fn += cm[c * k + o]!;
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const r = tp + fn ? tp / (tp + fn) : 0;
    f1 += p + r ? (2 * p * r) / (p + r) : 0;
  }
  return f1 / k;
}

/** Number of sorted values < x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Grid search of the level combination on out-of-fold probabilities. For each setting of the score
 * parameters, items are sorted by score once; each threshold pair is then evaluated from cumulative
 * per-class counts.
 */
export function tuneLevel(
  items: Prepared[],
  probs: number[][],
): { params: LevelCombine; macroF1: number; recall: number } {
  const n = items.length;
  const gold = items.map((p) => p.level);
  const clf = probs.map(clfPart);
  const sev = items.map((p) => p.analysis.evidence.severity);
  const pos = items.map((p) => p.analysis.evidence.positive);
  const sh = items.map((p) => p.analysis.evidence.strongHead.length > 0);
  const sb = items.map((p) => p.analysis.evidence.strongBody.length > 0);
  let best: { params: LevelCombine; macroF1: number; recall: number; objective: number } | null = null;
  const scores = new Float64Array(n);
  const order = new Int32Array(n);
  const sorted = new Float64Array(n);
  const cum = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  const cm = new Int32Array(9);
  const thetasS = range(0.1, 0.7, 0.025);
  for (const wLex of range(0, 1, 0.1)) {
    for (const tau of [2, 3, 4, 6, 8]) {
      for (const wPos of [0, 0.25, 0.5, 1]) {
        for (const lexCap of [0.6, 0.7, 0.8, 0.9, 1]) {
          for (const strongHead of [0, 0.1, 0.2, 0.3]) {
            for (const strongBody of [0, 0.05, 0.1, 0.15]) {
              const base: LevelCombine = {
                wLex,
                tau,
                wPos,
                lexCap,
                strongHead,
                strongBody,
                thetaSensitive: 0,
                thetaHot: 0,
              };
              for (let i = 0; i < n; i++) {
                const strong = sh[i]! || sb[i]!;
                scores[i] =
                  wLex * lexPart(base, sev[i]!, pos[i]!, strong) +
                  (1 - wLex) * clf[i]! +
                  (sh[i] ? strongHead : sb[i] ? strongBody : 0);
                order[i] = i;
              }
              order.sort((a, b) => scores[a]! - scores[b]! || a - b);
              for (let q = 0; q < n; q++) {
                const i = order[q]!;
                sorted[q] = scores[i]!;
                for (let c = 0; c < 3; c++) cum[c]![q + 1] = cum[c]![q]! + (gold[i] === c ? 1 : 0);
              }
              for (const thetaSensitive of thetasS) {
                const kS = lowerBound(sorted, thetaSensitive);
                for (const thetaHot of range(thetaSensitive + 0.05, 1.2, 0.025)) {
                  const kH = lowerBound(sorted, thetaHot);
                  for (let c = 0; c < 3; c++) {
                    const col = cum[c]!;
                    cm[c * 3] = col[kS]!;
                    cm[c * 3 + 1] = col[kH]! - col[kS]!;
                    cm[c * 3 + 2] = col[n]! - col[kH]!;
                  }
                  const f1 = macroF1Of(cm, 3);
                  const attention = cm[3]! + cm[4]! + cm[5]! + cm[6]! + cm[7]! + cm[8]!;
                  const recall = attention ? (attention - cm[3]! - cm[6]!) / attention : 1;
                  const objective = f1 + 2 * Math.min(0, recall - RECALL_TARGET);
                  if (!best || objective > best.objective + 1e-9) {
                    best = { params: { ...base, thetaSensitive, thetaHot }, macroF1: f1, recall, objective };
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return best!;
}

/** Weight of the DANeS out-of-fold tone macro-F1 in the tone objective (the labelled set counts 1). */
const DANES_TONE_OBJECTIVE = 0.5;

const TONE_L2 = 0.01;
const TONE_ITERATIONS = 800;
const TONE_RATE = 0.5;

/**
 * Out-of-fold tone of the pool with the softmax regression over dense features (folds by id hash).
 * Samples are class-balanced within each source (labelled set / DANeS); DANeS samples get `danesWeight`.
 */
export function tuneTone(
  pool: Prepared[],
  scored: number,
  probs: number[][],
  levelScores: number[],
  danesWeight: number,
): { params: ToneCombine; macroF1: number; danesMacroF1: number; objective: number } {
  const X = pool.map((p, i) =>
    toneFeatures({
      positive: p.analysis.evidence.positive,
      negative: p.analysis.evidence.negative,
      probs: probs[i]!,
      score: levelScores[i]!,
    }),
  );
  const y = pool.map((p) => p.tone);
  const weights = pool.map((p, i) => {
    const inLabelled = i < scored;
    const same = pool.filter((q, j) => j < scored === inLabelled && q.tone === p.tone).length;
    const size = inLabelled ? scored : pool.length - scored;
    const balance = size / (3 * Math.max(1, same));
    return balance * (inLabelled ? 1 : danesWeight);
  });
  const fold = pool.map((p) => bucket('tonefold', p.id, FOLDS));
  const pred: number[] = new Array(pool.length).fill(1);
  const opts = { classes: 3, l2: TONE_L2, iterations: TONE_ITERATIONS, rate: TONE_RATE };
  for (let f = 0; f < FOLDS; f++) {
    const idx = pool.map((_, i) => i).filter((i) => fold[i] !== f && weights[i]! > 0);
    const W = trainSoftmax(
      idx.map((i) => X[i]!),
      idx.map((i) => y[i]!),
      idx.map((i) => weights[i]!),
      opts,
    );
    const params = { features: TONE_FEATURES, weights: W, l2: TONE_L2, agencyOverall: 0, agencyTheta: 1 };
    pool.forEach((_, i) => {
      if (fold[i] === f) pred[i] = TONES.indexOf(toneOfProbs(toneRegression(params, X[i]!)));
    });
  }
  const cmA = new Int32Array(9);
  const cmB = new Int32Array(9);
  pool.forEach((_, i) => (i < scored ? cmA : cmB)[y[i]! * 3 + pred[i]!]!++);
  const f = macroF1Of(cmA, 3);
  const fd = pool.length > scored ? macroF1Of(cmB, 3) : 0;
  const idx = pool.map((_, i) => i).filter((i) => weights[i]! > 0);
  const W = trainSoftmax(
    idx.map((i) => X[i]!),
    idx.map((i) => y[i]!),
    idx.map((i) => weights[i]!),
    opts,
  );
  // Per-agency parameters are not tuned (no per-agency labels): hand-set, see agency-tone.ts.
  const params: ToneCombine = {
    features: TONE_FEATURES,
    weights: W,
    l2: TONE_L2,
    agencyOverall: 0.3,
    agencyTheta: 0.2,
  };
  return { params, macroF1: f, danesMacroF1: fd, objective: f + DANES_TONE_OBJECTIVE * fd };
}

function roundModel(m: NaiveBayesModel, temperature: number): NaiveBayesModel {
  return { ...m, temperature };
}

const PRINT_WIDTH = 110;

/**
 * JSON laid out the way Prettier formats it (the repository runs `prettier --check .`): objects
 * expanded, arrays of primitives on one line when they fit in the print width, others one item per line.
 */
export function serializeModel(model: ModelFile): string {
  const fmt = (v: unknown, indent: string, prefix: number, last: boolean): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (v.every((x) => x === null || typeof x !== 'object')) {
        const one = `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
        if (prefix + one.length + (last ? 0 : 1) <= PRINT_WIDTH) return one;
      }
      const items = v.map((x, i) => `${inner}${fmt(x, inner, inner.length, i === v.length - 1)}`);
      return `[\n${items.join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const items = entries.map(([k, x], i) => {
      const key = `${inner}${JSON.stringify(k)}: `;
      return `${key}${fmt(x, inner, key.length, i === entries.length - 1)}`;
    });
    return `{\n${items.join(',\n')}\n${indent}}`;
  };
  return `${fmt(model, '', 0, true)}\n`;
}

export function trainModel(opts: TrainOptions = {}): TrainResult {
  const lex = loadLexicon(opts.lexiconDir ?? DEFAULT_LEXICON_DIR);
  const labelledDir = opts.labelledDir ?? DEFAULT_LABELLED_DIR;
  const set = loadLabelled(labelledDir);
  const danesFile = opts.danesFile === undefined ? DEFAULT_DANES_FILE : opts.danesFile;
  const danes: DanesSet | null = danesFile === null ? null : loadDanes(danesFile);

  const items = prepare(lex, set.train);
  const danesItems = danes ? prepare(lex, danes.train) : [];
  const levelLabel = (p: Prepared): number => p.level;
  const toneLabel = (p: Prepared): number => p.tone;

  // Level classifier and combination.
  const lv = chooseNb(
    items,
    items.map(() => 1),
    items.length,
    levelLabel,
    LEVELS,
  );
  const levelTuned = tuneLevel(items, lv.probs);
  const lp = levelTuned.params;
  const scoreOf = (p: Prepared, probs: number[]): number => {
    const ev = p.analysis.evidence;
    return levelScore(lp, {
      severity: ev.severity,
      positive: ev.positive,
      strongHead: ev.strongHead.length > 0,
      strongBody: ev.strongBody.length > 0,
      probs,
    });
  };
  const levelModel = trainNaiveBayes(
    items.map((p) => ({ features: p.analysis.features!, label: p.level })),
    LEVELS,
    { alpha: lv.alpha, temperature: lv.temperature, minDf: MIN_DF },
  );
  const levelNb = compileNaiveBayes(levelModel);
  // Level scores of the pool for the tone's severity term: out of fold for the labelled set, from the
  // final level model for DANeS (never in level training).
  const pool = [...items, ...danesItems];
  const poolLevelScores = pool.map((p, i) =>
    scoreOf(
      p,
      i < items.length ? lv.probs[i]! : softmax(logScores(levelNb, p.analysis.features!), lv.temperature),
    ),
  );

  // Tone classifier: DANeS weight, smoothing and temperature, then the combination, all out of fold.
  let tn: {
    alpha: number;
    temperature: number;
    probs: number[][];
    loss: number;
    danesWeight: number;
  } | null = null;
  let tuned: ReturnType<typeof tuneTone> | null = null;
  for (const danesWeight of danes ? DANES_WEIGHTS : [0]) {
    const weights = pool.map((_, i) => (i < items.length ? 1 : danesWeight));
    const c = chooseNb(pool, weights, items.length, toneLabel, TONES);
    const t = tuneTone(pool, items.length, c.probs, poolLevelScores, danesWeight);
    if (!tuned || t.objective > tuned.objective + 1e-9) {
      tuned = t;
      tn = { ...c, danesWeight };
    }
  }

  // Final tone classifier on the whole train part (+ DANeS train part).
  const toneExamples: TrainExample[] = items.map((p) => ({ features: p.analysis.features!, label: p.tone }));
  if (tn!.danesWeight > 0)
    for (const p of danesItems)
      toneExamples.push({ features: p.analysis.features!, label: p.tone, weight: tn!.danesWeight });
  const toneModel = trainNaiveBayes(toneExamples, TONES, {
    alpha: tn!.alpha,
    temperature: tn!.temperature,
    minDf: MIN_DF,
  });

  const model: ModelFile = {
    format: 'press-monitor/sensitivity-model',
    formatVersion: FORMAT_VERSION,
    version: '',
    trainingSet: {
      files: set.files,
      total: set.records.length,
      trainCount: set.train.length,
      testCount: set.test.length,
      split: SPLIT_RULE,
      trainSha256: hashRecords(set.train),
    },
    danes: {
      used: (tn?.danesWeight ?? 0) > 0,
      attribution: DANES_ATTRIBUTION,
      trainCount: danes?.train.length ?? 0,
      testCount: danes?.test.length ?? 0,
      sha256: danes?.sha256 ?? '',
    },
    lexiconSha256: lex.sha256,
    level: roundModel(levelModel, lv.temperature),
    tone: roundModel(toneModel, tn!.temperature),
    levelCombine: levelTuned.params,
    toneCombine: tuned!.params,
    hyperparameters: {
      folds: FOLDS,
      minDf: MIN_DF,
      levelAlpha: lv.alpha,
      levelTemperature: lv.temperature,
      toneAlpha: tn!.alpha,
      toneTemperature: tn!.temperature,
      danesWeight: tn!.danesWeight,
    },
    crossValidation: {
      levelMacroF1: r4(levelTuned.macroF1),
      recallSensitiveHot: r4(levelTuned.recall),
      levelLogLoss: r4(lv.loss),
      toneMacroF1: r4(tuned!.macroF1),
      toneDanesMacroF1: r4(tuned!.danesMacroF1),
      toneLogLoss: r4(tn!.loss),
    },
  };
  const unversioned = serializeModel(model);
  const hash = createHash('sha256').update(unversioned).digest('hex');
  model.version = `1.${FORMAT_VERSION}.0+${hash.slice(0, 12)}`;
  parseOrThrow(ModelFile, model, 'trained model');
  return { model, json: serializeModel(model) };
}

function main(argv: string[]): number {
  const opts: TrainOptions = {};
  let out = DEFAULT_MODEL_FILE;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') out = next();
    else if (a === '--labelled') opts.labelledDir = next();
    else if (a === '--lexicons') opts.lexiconDir = next();
    else if (a === '--danes') opts.danesFile = next();
    else if (a === '--no-danes') opts.danesFile = null;
    else if (a === '--check') check = true;
    else throw new Error(`unknown argument ${a}`);
  }
  const started = performance.now();
  const { model, json } = trainModel(opts);
  const ms = Math.round(performance.now() - started);
  const rel = relative(REPO_ROOT, out);
  if (check) {
    const same = existsSync(out) && readFileSync(out, 'utf8') === json;
    log.info({ file: rel, version: model.version, upToDate: same }, 'sensitivity model check');
    process.stdout.write(`${same ? 'up to date' : 'OUT OF DATE'}: ${rel} (${model.version})\n`);
    return same ? 0 : 1;
  }
  writeFileSync(out, json);
  log.info({ file: rel, version: model.version, ms }, 'sensitivity model written');
  process.stdout.write(
    `${rel}: ${model.version}\n` +
      `train ${model.trainingSet.trainCount} / held-out ${model.trainingSet.testCount} snippets; DANeS weight ${model.hyperparameters.danesWeight}\n` +
      `cross-validation: level macro-F1 ${model.crossValidation.levelMacroF1}, recall sensitive+hot ${model.crossValidation.recallSensitiveHot}, tone macro-F1 ${model.crossValidation.toneMacroF1}\n` +
      `level combine ${JSON.stringify(model.levelCombine)}\ntone combine ${JSON.stringify(model.toneCombine)}\n`,
  );
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    log.error({ err: e }, 'training failed');
    process.exitCode = 2;
  }
}
