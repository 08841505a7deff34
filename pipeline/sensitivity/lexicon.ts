/**
 * Loads the lexicon YAML files, validates them with zod and compiles them into two syllable tries:
 * `main` (category terms, tone words, negation/prevention cues, denial patterns, look-alikes) and `aux`
 * (agent actions and modifiers), each matched leftmost-longest on its own.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { exactKey, fold } from '../normalize/vi-text.ts';
import { intern } from './text.ts';
import { CategoriesFile, CuesFile, ToneFile, parseOrThrow, type CategoryCode } from './schema.ts';

export const DEFAULT_LEXICON_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lexicons');
export const LEXICON_FILES = ['categories.yaml', 'cues.yaml', 'tone.yaml'] as const;

export type EntryKind = 'cat' | 'tone' | 'neg' | 'prev' | 'denial' | 'ignore' | 'agent' | 'mod';

export interface Entry {
  kind: EntryKind;
  /** The phrase as written in the lexicon. */
  phrase: string;
  /** Exact keys of the syllables, joined by one space. */
  exact: string;
  syllables: number;
  weight: number;
  strong: boolean;
  negatable: boolean;
  /** cat: its category; denial: the denial category. */
  category?: CategoryCode;
  /** +1 positive, −1 negative (cat, tone, denial). */
  polarity: 1 | -1 | 0;
  /** neg/prev: window in syllables. */
  window: number;
  /** mod: index into Lexicon.modifiers. */
  modifier?: number;
  /** cat: strong only with this modifier (index) in the sentence or the title. */
  strongIf?: number;
}

export interface TrieNode {
  /** Children by interned folded syllable id (see text.ts `intern`). */
  next: Map<number, TrieNode>;
  entries: Entry[];
}

/** A trie root: children in an array indexed by syllable id (the hot path: one lookup per token). */
export interface TrieRoot {
  /** Dense (no holes, so reads stay on the fast path); ids past its end start nothing. */
  first: Array<TrieNode | null>;
}

export interface ClauseBreakers {
  phrases: string[][];
  /** Syllable ids of the first syllables. */
  first: Set<number>;
}

export interface CategoryInfo {
  code: CategoryCode;
  label: string;
  polarity: 'negative' | 'positive';
}

export interface Modifier {
  name: string;
  label: string;
  factor: number;
  categories: Set<CategoryCode>;
}

export interface Lexicon {
  dir: string;
  sha256: string;
  categories: Map<CategoryCode, CategoryInfo>;
  cues: CuesFile;
  tone: ToneFile;
  modifiers: Modifier[];
  clauseBreakers: ClauseBreakers;
  main: TrieRoot;
  aux: TrieRoot;
}

function syllables(phrase: string): string[] {
  return exactKey(phrase)
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((s) => s.length > 0);
}

function newNode(): TrieNode {
  return { next: new Map(), entries: [] };
}

function toRoot(node: TrieNode): TrieRoot {
  const size = Math.max(0, ...node.next.keys()) + 1;
  const first = new Array<TrieNode | null>(size).fill(null);
  for (const [k, child] of node.next) first[k] = child;
  return { first };
}

class TrieBuilder {
  readonly root = newNode();
  private readonly seen = new Map<string, string>();
  constructor(private readonly name: string) {}

  add(entry: Omit<Entry, 'exact' | 'syllables'>, where: string): void {
    const syl = syllables(entry.phrase);
    if (syl.length === 0) throw new Error(`${where}: empty phrase "${entry.phrase}"`);
    const exact = syl.join(' ');
    const prev = this.seen.get(exact);
    if (prev !== undefined) {
      throw new Error(
        `${where}: phrase "${entry.phrase}" is already defined in ${prev} (${this.name} lexicon)`,
      );
    }
    this.seen.set(exact, where);
    let node = this.root;
    for (const s of syl) {
      const key = intern(fold(s));
      let child = node.next.get(key);
      if (!child) {
        child = newNode();
        node.next.set(key, child);
      }
      node = child;
    }
    node.entries.push({ ...entry, exact, syllables: syl.length });
  }
}

function readYaml(dir: string, file: string): { data: unknown; text: string } {
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read lexicon ${path}: ${(e as Error).message}`);
  }
  try {
    return { data: parseYaml(text), text };
  } catch (e) {
    throw new Error(`invalid YAML in ${path}: ${(e as Error).message}`);
  }
}

export function loadLexicon(dir: string = DEFAULT_LEXICON_DIR): Lexicon {
  const hash = createHash('sha256');
  const raw: Record<string, unknown> = {};
  for (const f of LEXICON_FILES) {
    const { data, text } = readYaml(dir, f);
    hash.update(`${f}\n${text}\n`);
    raw[f] = data;
  }
  const categoriesFile = parseOrThrow(CategoriesFile, raw['categories.yaml'], join(dir, 'categories.yaml'));
  const cues = parseOrThrow(CuesFile, raw['cues.yaml'], join(dir, 'cues.yaml'));
  const tone = parseOrThrow(ToneFile, raw['tone.yaml'], join(dir, 'tone.yaml'));

  const main = new TrieBuilder('main');
  const aux = new TrieBuilder('aux');
  const categories = new Map<CategoryCode, CategoryInfo>();
  const base = { strong: false, negatable: true, weight: 0, polarity: 0 as const, window: 0 };

  const modifierIndex = new Map(tone.modifiers.map((m, i) => [m.name, i]));
  categoriesFile.categories.forEach((c, ci) => {
    if (categories.has(c.code))
      throw new Error(`categories.yaml: categories.${ci}.code: duplicate category ${c.code}`);
    categories.set(c.code, { code: c.code, label: c.label, polarity: c.polarity });
    c.terms.forEach((t, ti) => {
      const where = `categories.yaml: categories.${ci}.terms.${ti}`;
      const strongIf = t.strongIf === undefined ? undefined : modifierIndex.get(t.strongIf);
      if (t.strongIf !== undefined && strongIf === undefined) {
        throw new Error(
          `${where}.strongIf: unknown modifier "${t.strongIf}" (tone.yaml modifiers: ${[...modifierIndex.keys()].join(', ')})`,
        );
      }
      main.add(
        {
          kind: 'cat',
          phrase: t.term,
          weight: t.weight,
          strong: t.strong,
          negatable: t.negatable,
          category: c.code,
          polarity: c.polarity === 'positive' ? 1 : -1,
          window: 0,
          ...(strongIf === undefined ? {} : { strongIf }),
        },
        where,
      );
    });
  });
  if (!categories.has(cues.denial.category)) {
    throw new Error(`cues.yaml: denial.category: unknown category ${cues.denial.category}`);
  }
  const addCues = (list: CuesFile['negation']['cues'], kind: 'neg' | 'prev', path: string): void => {
    list.forEach((c, i) => {
      const phrase = typeof c === 'string' ? c : c.cue;
      const window = typeof c === 'string' ? cues.negation.window : c.window;
      main.add({ ...base, kind, phrase, window }, `cues.yaml: ${path}.${i}`);
    });
  };
  addCues(cues.negation.cues, 'neg', 'negation.cues');
  addCues(cues.negation.preventive, 'prev', 'negation.preventive');
  cues.denial.patterns.forEach((t, i) => {
    main.add(
      {
        ...base,
        kind: 'denial',
        phrase: t.term,
        weight: t.weight,
        category: cues.denial.category,
        polarity: -1,
      },
      `cues.yaml: denial.patterns.${i}`,
    );
  });
  cues.ignore.forEach((p, i) => main.add({ ...base, kind: 'ignore', phrase: p }, `cues.yaml: ignore.${i}`));
  tone.negative.forEach((t, i) =>
    main.add(
      { ...base, kind: 'tone', phrase: t.term, weight: t.weight, negatable: t.negatable, polarity: -1 },
      `tone.yaml: negative.${i}`,
    ),
  );
  tone.positive.forEach((t, i) =>
    main.add(
      { ...base, kind: 'tone', phrase: t.term, weight: t.weight, negatable: t.negatable, polarity: 1 },
      `tone.yaml: positive.${i}`,
    ),
  );
  tone.agentActions.forEach((p, i) =>
    aux.add({ ...base, kind: 'agent', phrase: p }, `tone.yaml: agentActions.${i}`),
  );
  const modifiers: Modifier[] = tone.modifiers.map((m) => ({
    name: m.name,
    label: m.label,
    factor: m.factor,
    categories: new Set(m.categories),
  }));
  tone.modifiers.forEach((m, mi) =>
    m.terms.forEach((p, i) =>
      aux.add({ ...base, kind: 'mod', phrase: p, modifier: mi }, `tone.yaml: modifiers.${mi}.terms.${i}`),
    ),
  );

  return {
    dir,
    sha256: hash.digest('hex'),
    categories,
    cues,
    tone,
    modifiers,
    clauseBreakers: {
      phrases: cues.clauseBreakers.map(syllables),
      first: new Set(cues.clauseBreakers.map((b) => intern(fold(syllables(b)[0]!)))),
    },
    main: toRoot(main.root),
    aux: toRoot(aux.root),
  };
}
