/**
 * Sensitivity stage: lexicon evidence + naive Bayes → level (normal/sensitive/hot), score, categories,
 * Vietnamese reasons, overall tone and tone toward each tagged agency. See README.md.
 *
 *   const scorer = createSensitivityScorer();
 *   const s = scorer.score({ title, sapo, body, agencies: [{ id, mentions }] });   // → Sensitivity
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../../lib/log.ts';
import type { Sensitivity } from '../../model/records.ts';
import { agencyTone } from './agency-tone.ts';
import { analyze, type Analysis, type ScoreInput } from './analysis.ts';
import {
  LEVELS,
  TONES,
  levelOf,
  levelScore,
  toneFeatures,
  toneOfProbs,
  toneProbs as toneRegression,
} from './combine.ts';
import { DEFAULT_LEXICON_DIR, loadLexicon, type Lexicon } from './lexicon.ts';
import { compileFast, fastLogScores, softmax } from './nb.ts';
import { buildReasons } from './reasons.ts';
import { ModelFile, parseOrThrow } from './schema.ts';

export type { AgencyInput, ScoreInput } from './analysis.ts';
export {
  amplify,
  amplifySensitivity,
  DEFAULT_AMPLIFY,
  type AmplifyConfig,
  type Coverage,
} from './amplify.ts';

export const DEFAULT_MODEL_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  'model',
  'sensitivity-model.json',
);

export interface ScorerOptions {
  lexiconDir?: string;
  modelFile?: string;
}

export interface Explained {
  sensitivity: Sensitivity;
  analysis: Analysis;
  levelProbs: number[];
  toneProbs: number[];
  toneValue: number;
}

export interface SensitivityScorer {
  readonly lexicon: Lexicon;
  readonly model: ModelFile;
  score(input: ScoreInput): Sensitivity;
  /** Same as score, with the intermediate evidence (for debugging and tests). */
  explain(input: ScoreInput): Explained;
}

export function loadModel(file: string = DEFAULT_MODEL_FILE): ModelFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(
      `cannot read sensitivity model ${file} (run: npx tsx pipeline/sensitivity/train.ts): ${(e as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid JSON in ${file}: ${(e as Error).message}`);
  }
  return parseOrThrow(ModelFile, data, file);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function createSensitivityScorer(opts: ScorerOptions = {}): SensitivityScorer {
  const lexicon = loadLexicon(opts.lexiconDir ?? DEFAULT_LEXICON_DIR);
  const model = loadModel(opts.modelFile ?? DEFAULT_MODEL_FILE);
  if (model.lexiconSha256 !== lexicon.sha256) {
    log.warn(
      {
        model: model.version,
        modelLexicon: model.lexiconSha256.slice(0, 12),
        lexicon: lexicon.sha256.slice(0, 12),
      },
      'sensitivity model was tuned with other lexicons; retrain with: npx tsx pipeline/sensitivity/train.ts',
    );
  }
  const fast = compileFast([model.level, model.tone]);
  const min = lexicon.cues.categoryMinScore;

  const explain = (input: ScoreInput): Explained => {
    const analysis = analyze(lexicon, input);
    const ev = analysis.evidence;
    const [levelScores, toneScores] = fastLogScores(fast, analysis.doc, lexicon.cues.fieldWeights);
    const levelProbs = softmax(levelScores!, model.level.temperature);
    const toneProbs = softmax(toneScores!, model.tone.temperature);
    const raw = levelScore(model.levelCombine, {
      severity: ev.severity,
      positive: ev.positive,
      strongHead: ev.strongHead.length > 0,
      strongBody: ev.strongBody.length > 0,
      probs: levelProbs,
    });
    const level = levelOf(model.levelCombine, raw);
    const score = Math.max(0, Math.min(1, raw));
    const tp = toneRegression(
      model.toneCombine,
      toneFeatures({ positive: ev.positive, negative: ev.negative, probs: toneProbs, score: raw }),
    );
    const tone = toneOfProbs(tp);
    const t = tp[2]! - tp[0]!;
    const toneByAgency: Record<string, (typeof TONES)[number]> = {};
    const mentionClauses = new Set<number>();
    for (const ranges of analysis.mentionRanges.values())
      for (const [from] of ranges) mentionClauses.add(analysis.doc.tokens[from]!.clause);
    for (const [id, ranges] of analysis.mentionRanges) {
      toneByAgency[id] = agencyTone(
        lexicon,
        analysis,
        ranges,
        t,
        tone,
        model.toneCombine,
        mentionClauses,
      ).tone;
    }
    const categories = ev.categories.filter((c) => c.score >= min).map((c) => c.code);
    const reasons = buildReasons({
      lex: lexicon,
      evidence: ev,
      level,
      score,
      probs: levelProbs,
      combine: model.levelCombine,
    });
    const sensitivity: Sensitivity = { level, score: round3(score), tone, toneByAgency, categories, reasons };
    return { sensitivity, analysis, levelProbs, toneProbs, toneValue: t };
  };

  return {
    lexicon,
    model,
    explain,
    score: (input) => explain(input).sensitivity,
  };
}

export { LEVELS, TONES };
