/**
 * The hand-written labelled set (test/fixtures/sensitivity/*.jsonl), its deterministic train/test split,
 * and the DANeS headlines used for tone (CC BY 4.0, "DANeS: Dataset of Vietnamese News Sentiment,
 * dataset-vn"; see /work/shared/data/danes/SOURCE.md).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Tone } from '../../model/records.ts';
import { LabelledSnippet, parseOrThrow } from './schema.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const DEFAULT_LABELLED_DIR = join(REPO_ROOT, 'test', 'fixtures', 'sensitivity');
export const DEFAULT_DANES_FILE = resolve(
  REPO_ROOT,
  '..',
  'shared',
  'data',
  'danes',
  'annotated_data',
  'annotated_data_batch_#1.json',
);
export const DANES_ATTRIBUTION = 'DANeS: Dataset of Vietnamese News Sentiment, dataset-vn (CC BY 4.0)';

/** Share of ids (by hash) held out for testing; never used in training or tuning. */
export const TEST_PERCENT = 25;
export const SPLIT_RULE = `test iff parseInt(sha256("split:" + id).slice(0, 8), 16) % 100 < ${TEST_PERCENT}`;

export function bucket(salt: string, id: string, mod: number): number {
  const h = createHash('sha256').update(`${salt}:${id}`).digest('hex');
  return parseInt(h.slice(0, 8), 16) % mod;
}

export function isTest(id: string): boolean {
  return bucket('split', id, 100) < TEST_PERCENT;
}

export interface LabelledSet {
  files: string[];
  records: LabelledSnippet[];
  train: LabelledSnippet[];
  test: LabelledSnippet[];
}

export function loadLabelled(dir: string = DEFAULT_LABELLED_DIR): LabelledSet {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) throw new Error(`no labelled *.jsonl files in ${dir}`);
  const records: LabelledSnippet[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${join(dir, f)}:${i + 1}`;
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch (e) {
        throw new Error(`invalid JSON in ${where}: ${(e as Error).message}`);
      }
      const r = parseOrThrow(LabelledSnippet, data, where);
      const prev = seen.get(r.id);
      if (prev) throw new Error(`${where}: id: duplicate id ${r.id} (first in ${prev})`);
      seen.set(r.id, where);
      records.push(r);
    });
  }
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    files: files.map((f) => basename(f)),
    records,
    train: records.filter((r) => !isTest(r.id)),
    test: records.filter((r) => isTest(r.id)),
  };
}

/** sha256 of a canonical serialization of records (sorted by id, fixed key order). */
export function hashRecords(records: LabelledSnippet[]): string {
  const h = createHash('sha256');
  for (const r of records) {
    h.update(
      JSON.stringify([
        r.id,
        r.title,
        r.sapo ?? null,
        r.body,
        r.level,
        [...r.categories].sort(),
        r.tone,
        r.note ?? null,
      ]),
    );
    h.update('\n');
  }
  return h.digest('hex');
}

export interface ToneExample {
  id: string;
  title: string;
  sapo?: string;
  body: string;
  tone: Tone;
}

const DanesRecord = z
  .object({
    id: z.number().int(),
    annotations: z.array(
      z
        .object({
          from_name: z.string(),
          value: z.object({ choices: z.array(z.string()) }).passthrough(),
        })
        .passthrough(),
    ),
    data: z
      .object({
        text: z.string(),
        meta: z.object({ description: z.string().nullable().optional() }).passthrough(),
      })
      .passthrough(),
  })
  .passthrough();

const DANES_TONE: Record<string, Tone> = {
  'Tiêu cực': 'negative',
  'Trung tính': 'neutral',
  'Tích cực': 'positive',
};

export interface DanesSet {
  file: string;
  sha256: string;
  train: ToneExample[];
  test: ToneExample[];
}

/** DANeS annotated headlines with a sentiment label, split by hash of their id like the labelled set. */
export function loadDanes(file: string = DEFAULT_DANES_FILE): DanesSet {
  if (!existsSync(file)) throw new Error(`DANeS file not found: ${file} (pass --danes <file> or --no-danes)`);
  const text = readFileSync(file, 'utf8');
  const raw = parseOrThrow(z.array(DanesRecord), JSON.parse(text), file);
  const out: ToneExample[] = [];
  for (const r of raw) {
    const s = r.annotations.find((a) => a.from_name === 'sentiment');
    const label = s?.value.choices[0];
    const tone = label ? DANES_TONE[label] : undefined;
    if (!tone) continue;
    const sapo = r.data.meta.description?.trim();
    out.push({ id: `danes-${r.id}`, title: r.data.text, ...(sapo ? { sapo } : {}), body: '', tone });
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    train: out.filter((r) => !isTest(r.id)),
    test: out.filter((r) => isTest(r.id)),
  };
}
