/**
 * Evaluates the committed model on the HELD-OUT part of the labelled set (never used by training) and,
 * for tone, on the held-out part of DANeS; optionally measures throughput.
 *
 *   npx tsx pipeline/sensitivity/evaluate.ts [--danes FILE | --no-danes] [--bench] [--errors]
 */
import { fileURLToPath } from 'node:url';
import type { SensitivityLevel, Tone } from '../../model/records.ts';
import { LEVELS, TONES, macroF1, recallSensitiveHot } from './combine.ts';
import { DEFAULT_DANES_FILE, loadDanes, loadLabelled, type ToneExample } from './dataset.ts';
import { createSensitivityScorer, type SensitivityScorer } from './index.ts';
import type { LabelledSnippet } from './schema.ts';

export interface LevelReport {
  n: number;
  macroF1: number;
  recallSensitiveHot: number;
  accuracy: number;
  perClass: Record<string, { p: number; r: number; f1: number; n: number }>;
  /** confusion[gold][pred] */
  confusion: Record<string, Record<string, number>>;
  toneMacroF1: number;
  toneAccuracy: number;
  categoryMicroF1: number;
  errors: Array<{ id: string; gold: SensitivityLevel; pred: SensitivityLevel; score: number; title: string }>;
}

export function evaluateLabelled(scorer: SensitivityScorer, records: LabelledSnippet[]): LevelReport {
  const gold: SensitivityLevel[] = [];
  const pred: SensitivityLevel[] = [];
  const goldTone: Tone[] = [];
  const predTone: Tone[] = [];
  const confusion: Record<string, Record<string, number>> = {};
  for (const g of LEVELS) confusion[g] = Object.fromEntries(LEVELS.map((p) => [p, 0]));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: LevelReport['errors'] = [];
  for (const r of records) {
    const s = scorer.score(r);
    gold.push(r.level);
    pred.push(s.level);
    goldTone.push(r.tone);
    predTone.push(s.tone);
    confusion[r.level]![s.level]!++;
    if (r.level !== s.level)
      errors.push({ id: r.id, gold: r.level, pred: s.level, score: s.score, title: r.title });
    const want = new Set<string>(r.categories);
    const got = new Set(s.categories);
    for (const c of got) {
      if (want.has(c)) tp++;
      else fp++;
    }
    for (const c of want) if (!got.has(c)) fn++;
  }
  const lv = macroF1(gold, pred, LEVELS);
  const tn = macroF1(goldTone, predTone, TONES);
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  return {
    n: records.length,
    macroF1: lv.macroF1,
    recallSensitiveHot: recallSensitiveHot(gold, pred),
    accuracy: gold.filter((g, i) => g === pred[i]).length / Math.max(1, gold.length),
    perClass: lv.perClass,
    confusion,
    toneMacroF1: tn.macroF1,
    toneAccuracy: goldTone.filter((g, i) => g === predTone[i]).length / Math.max(1, goldTone.length),
    categoryMicroF1: p + r ? (2 * p * r) / (p + r) : 0,
    errors,
  };
}

export function evaluateTone(
  scorer: SensitivityScorer,
  examples: ToneExample[],
): { n: number; macroF1: number; accuracy: number } {
  const gold: Tone[] = [];
  const pred: Tone[] = [];
  for (const e of examples) {
    gold.push(e.tone);
    pred.push(scorer.score(e).tone);
  }
  return {
    n: examples.length,
    macroF1: macroF1(gold, pred, TONES).macroF1,
    accuracy: gold.filter((g, i) => g === pred[i]).length / Math.max(1, gold.length),
  };
}

/** A ~4 KB article body built from labelled snippets (deterministic). */
export function benchArticles(
  records: LabelledSnippet[],
  count: number,
  bytes = 4096,
): Array<{ title: string; sapo?: string; body: string }> {
  const out: Array<{ title: string; sapo?: string; body: string }> = [];
  for (let i = 0; i < count; i++) {
    const head = records[i % records.length]!;
    let body = '';
    for (let k = 0; Buffer.byteLength(body) < bytes; k++)
      body += `${records[(i * 7 + k * 13) % records.length]!.body}\n\n`;
    out.push({ title: head.title, ...(head.sapo ? { sapo: head.sapo } : {}), body });
  }
  return out;
}

/** Articles per second of wall time and per second of CPU time of this process (fairer on a busy machine). */
export function throughput(
  scorer: SensitivityScorer,
  articles: Array<{ title: string; sapo?: string; body: string }>,
): { wall: number; cpu: number } {
  for (const a of articles.slice(0, 50)) scorer.score(a); // warm-up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const a of articles) scorer.score(a);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: articles.length / wall, cpu: articles.length / ((c.user + c.system) / 1e6) };
}

const pct = (x: number): string => x.toFixed(3);

function main(argv: string[]): void {
  const scorer = createSensitivityScorer();
  const set = loadLabelled();
  const rep = evaluateLabelled(scorer, set.test);
  const lines = [
    `model ${scorer.model.version}`,
    `held-out labelled snippets: ${rep.n}`,
    `  level macro-F1 ${pct(rep.macroF1)}  recall(sensitive+hot) ${pct(rep.recallSensitiveHot)}  accuracy ${pct(rep.accuracy)}`,
    ...LEVELS.map(
      (l) =>
        `    ${l.padEnd(9)} P ${pct(rep.perClass[l]!.p)} R ${pct(rep.perClass[l]!.r)} F1 ${pct(rep.perClass[l]!.f1)} (n=${rep.perClass[l]!.n})  confusion → ${LEVELS.map((p) => `${p}:${rep.confusion[l]![p]}`).join(' ')}`,
    ),
    `  tone macro-F1 ${pct(rep.toneMacroF1)}  accuracy ${pct(rep.toneAccuracy)}`,
    `  categories micro-F1 ${pct(rep.categoryMicroF1)}`,
  ];
  if (!argv.includes('--no-danes')) {
    const i = argv.indexOf('--danes');
    const danes = loadDanes(i >= 0 ? argv[i + 1]! : DEFAULT_DANES_FILE);
    const t = evaluateTone(scorer, danes.test);
    lines.push(
      `held-out DANeS headlines (tone only): ${t.n}  macro-F1 ${pct(t.macroF1)}  accuracy ${pct(t.accuracy)}`,
    );
  }
  if (argv.includes('--errors'))
    for (const e of rep.errors) lines.push(`  ✗ ${e.id} gold ${e.gold} → ${e.pred} (${e.score}) ${e.title}`);
  if (argv.includes('--bench')) {
    const articles = benchArticles(set.records, 4000);
    const rate = throughput(scorer, articles);
    lines.push(
      `throughput (4 KB bodies, one thread): ${Math.round(rate.wall)} articles/s wall, ${Math.round(rate.cpu)} articles per CPU-second`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
