/**
 * zod schemas for every data file of the sensitivity stage: lexicons (YAML), the labelled set (JSONL)
 * and the trained model (JSON). `parseOrThrow` names the file and the field of the first problems.
 */
import { z } from 'zod';
import { SensitivityLevel, Tone } from '../../model/records.ts';

export const CATEGORY_CODES = [
  'violation',
  'complaint',
  'land',
  'environment',
  'accident',
  'health',
  'public_order',
  'press_conduct',
  'activity',
] as const;
export const CategoryCode = z.enum(CATEGORY_CODES);
export type CategoryCode = z.infer<typeof CategoryCode>;

const Phrase = z.string().trim().min(1).max(80);

export const LexTerm = z.strictObject({
  term: Phrase,
  weight: z.number().positive().max(5),
  /** A grave fact (death, arrest, prosecution): pushes the article towards "hot". */
  strong: z.boolean().default(false),
  /**
   * Only strong when this modifier (tone.yaml `modifiers[].name`) occurs in the same sentence or in the
   * title: an arrest is an alarm for the agency when it concerns its officials, not for every gambler.
   */
  strongIf: z.string().optional(),
  /**
   * false for topic words whose negation does not remove the topic
   * ("chưa được bồi thường" is still about compensation, and worse).
   */
  negatable: z.boolean().default(true),
  note: z.string().optional(),
});
export type LexTerm = z.infer<typeof LexTerm>;

export const CategoriesFile = z.strictObject({
  version: z.number().int().positive(),
  categories: z
    .array(
      z.strictObject({
        code: CategoryCode,
        /** Vietnamese label used in the reasons. */
        label: z.string().min(1),
        polarity: z.enum(['negative', 'positive']),
        terms: z.array(LexTerm).min(1),
      }),
    )
    .min(1),
});
export type CategoriesFile = z.infer<typeof CategoriesFile>;

const Cue = z.union([Phrase, z.strictObject({ cue: Phrase, window: z.number().int().min(0).max(10) })]);

export const CuesFile = z.strictObject({
  version: z.number().int().positive(),
  /** Multiplier of a term's weight by the field it was found in. */
  fieldWeights: z.strictObject({
    title: z.number().positive(),
    sapo: z.number().positive(),
    body: z.number().positive(),
  }),
  /** Extra weight for each repeated occurrence of the same term (capped). */
  repeatBonus: z.number().min(0).max(1),
  /** A category is listed in the output when its evidence reaches this score. */
  categoryMinScore: z.number().min(0),
  repeatCap: z.number().int().min(0).max(20),
  negation: z.strictObject({
    /** Max number of syllables between the end of the cue and the start of the term (same clause). */
    window: z.number().int().min(0).max(10),
    /** Negation cues ("không", "chưa phát hiện"); an object form sets its own window. */
    cues: z.array(Cue).min(1),
    /** Prevention cues ("phòng tránh", "tuyên truyền phòng"): the event has not happened; same effect. */
    preventive: z.array(Cue),
  }),
  /** Words that open a new clause inside a sentence ("nhưng", "tuy nhiên", "trong khi"). */
  clauseBreakers: z.array(Phrase),
  denial: z.strictObject({
    /** Weight multiplier for negative terms in a sentence that carries a denial pattern. */
    factor: z.number().min(0).max(1),
    /** Category the denial itself is evidence of. */
    category: CategoryCode,
    patterns: z.array(LexTerm).min(1),
  }),
  /** Phrases that contain a term or a cue but mean something else ("bắt đầu", "không khí", "phòng cháy chữa cháy"). */
  ignore: z.array(Phrase),
});
export type CuesFile = z.infer<typeof CuesFile>;

export const ToneFile = z.strictObject({
  version: z.number().int().positive(),
  /** Evaluative words: count for tone; negative ones also add criticismWeight × weight to the level evidence. */
  negative: z.array(LexTerm).min(1),
  positive: z.array(LexTerm).min(1),
  criticismWeight: z.number().min(0).max(2),
  /**
   * Verbs that make a mention the actor of enforcement or response ("Công an tỉnh khởi tố…",
   * "Sở NN&MT kiểm tra…"): the incident in that clause does not count against that agency.
   */
  agentActions: z.array(Phrase).min(1),
  /** How many syllables after a mention an agent action may start. */
  agentWindow: z.number().int().min(0).max(8),
  /** Words that scale category evidence in the same sentence (officials involved, many households…). */
  modifiers: z.array(
    z.strictObject({
      name: z.string().min(1),
      label: z.string().min(1),
      factor: z.number().min(1).max(3),
      categories: z.array(CategoryCode).min(1),
      terms: z.array(Phrase).min(1),
    }),
  ),
});
export type ToneFile = z.infer<typeof ToneFile>;

/** One hand-written labelled snippet (test/fixtures/sensitivity/*.jsonl). */
export const LabelledSnippet = z.strictObject({
  id: z.string().regex(/^[a-z0-9_-]+$/),
  title: z.string().min(1),
  sapo: z.string().min(1).optional(),
  body: z.string().min(1),
  level: SensitivityLevel,
  categories: z.array(CategoryCode),
  tone: Tone,
  note: z.string().optional(),
});
export type LabelledSnippet = z.infer<typeof LabelledSnippet>;

export const NaiveBayesModel = z.strictObject({
  classes: z.array(z.string()).min(2),
  alpha: z.number().positive(),
  temperature: z.number().positive(),
  logPrior: z.array(z.number()),
  /** log P(feature | class) for features seen in training, by class index. */
  logLikelihood: z.record(z.string(), z.array(z.number())),
  /** log P(unseen feature | class). */
  logUnknown: z.array(z.number()),
});
export type NaiveBayesModel = z.infer<typeof NaiveBayesModel>;

export const LevelCombine = z.strictObject({
  /** Weight of the lexicon evidence (the classifier gets 1 − wLex). */
  wLex: z.number().min(0).max(1),
  /** Saturation scale of lexicon evidence: lex = 1 − exp(−max(0, severity − wPos · positive) / tau). */
  tau: z.number().positive(),
  /** How much positive evidence (activity, praise) offsets negative evidence. */
  wPos: z.number().min(0),
  /**
   * Cap of the lexicon part when no strong term is present: many ordinary complaint words make an
   * article sensitive, not hot, unless the classifier also says so.
   */
  lexCap: z.number().min(0).max(1),
  strongHead: z.number().min(0),
  strongBody: z.number().min(0),
  thetaSensitive: z.number(),
  thetaHot: z.number(),
});
export type LevelCombine = z.infer<typeof LevelCombine>;

export const ToneCombine = z.strictObject({
  /** Names of the dense tone features, in order (see combine.ts toneFeatures). */
  features: z.array(z.string()).min(1),
  /** Softmax regression weights: one row per tone (negative, neutral, positive), one column per feature. */
  weights: z.array(z.array(z.number())).length(3),
  l2: z.number().min(0),
  /** Per-agency tone: weight of the article's overall tone added to the local (sentence) evidence. */
  agencyOverall: z.number().min(0).max(1),
  agencyTheta: z.number().positive(),
});
export type ToneCombine = z.infer<typeof ToneCombine>;

export const Metrics = z.record(z.string(), z.number());

export const ModelFile = z.strictObject({
  format: z.literal('press-monitor/sensitivity-model'),
  formatVersion: z.literal(1),
  /** `1.<formatVersion>.0+<first 12 hex of the content hash>`: changes whenever any input changes. */
  version: z.string(),
  trainingSet: z.strictObject({
    files: z.array(z.string()),
    total: z.number().int(),
    trainCount: z.number().int(),
    testCount: z.number().int(),
    split: z.string(),
    trainSha256: z.string().length(64),
  }),
  danes: z.strictObject({
    used: z.boolean(),
    attribution: z.string(),
    trainCount: z.number().int(),
    testCount: z.number().int(),
    sha256: z.string(),
  }),
  lexiconSha256: z.string().length(64),
  level: NaiveBayesModel,
  tone: NaiveBayesModel,
  levelCombine: LevelCombine,
  toneCombine: ToneCombine,
  /** Choices made by training (NB smoothing, temperatures, DANeS weight…). */
  hyperparameters: Metrics,
  /** Out-of-fold metrics on the training part (the held-out test part is never used by training). */
  crossValidation: Metrics,
});
export type ModelFile = z.infer<typeof ModelFile>;

/** Parse with a schema; on failure throw an error naming the file and the fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const lines = r.error.issues
    .slice(0, 8)
    .map((i) => `  ${file}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new Error(`invalid data file ${file}:\n${lines.join('\n')}`);
}
