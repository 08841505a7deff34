import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Linker } from './link.ts';
import { fromRoot } from '../../lib/paths.ts';

/**
 * The labelled tagging set (test/fixtures/tagging, see its README) and its scoring: precision and recall
 * of agency ids, prominence against the labelled minimum, and unresolvable mentions reported as such.
 * Used by the test suite and by `npx tsx pipeline/agencies/eval.ts`.
 */

const Case = z.object({
  id: z.string(),
  title: z.string(),
  sapo: z.string().optional(),
  body: z.string(),
  publishedAt: z.string().optional(),
  outlet: z.object({ province: z.string(), period: z.enum(['pre2025', '2025']) }).nullable(),
  expected: z.array(z.object({ id: z.string(), minProminence: z.enum(['primary', 'secondary', 'passing']).optional() })),
  expectedUnresolved: z.array(z.string()).optional(),
  nfd: z.boolean().optional(),
  note: z.string(),
});
export type TaggingCase = z.infer<typeof Case> & { file: string };

export const TAGGING_DIR = fromRoot('test', 'fixtures', 'tagging');

export function loadTaggingCases(dir = TAGGING_DIR): TaggingCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => {
          const parsed = Case.safeParse(JSON.parse(l));
          if (!parsed.success) throw new Error(`${f}:${i + 1}: ${parsed.error.message}`);
          return { ...parsed.data, file: f };
        }),
    );
}

const RANK = { passing: 0, secondary: 1, primary: 2 } as const;

export interface TaggingScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** Expected agencies found with a prominence below the labelled minimum. */
  prominenceMisses: number;
  /** Labelled unresolvable mentions that were reported unresolved (not guessed). */
  unresolvedReported: number;
  unresolvedExpected: number;
  errors: string[];
}

/** Precision and recall of agency links over the labelled set (micro-averaged over agency ids). */
export function scoreTagging(linker: Linker, cases: TaggingCase[]): TaggingScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let prominenceMisses = 0;
  let unresolvedReported = 0;
  let unresolvedExpected = 0;
  const errors: string[] = [];
  for (const c of cases) {
    const f = (s: string | undefined) => (s === undefined ? s : c.nfd ? s.normalize('NFD') : s);
    const result = linker.link({ title: f(c.title)!, sapo: f(c.sapo) ?? null, body: f(c.body)!, publishedAt: c.publishedAt ?? null, outletProvince: c.outlet ? { code: c.outlet.province, period: c.outlet.period } : null });
    const got = new Map(result.agencies.map((a) => [a.id, a]));
    for (const e of c.expected) {
      const g = got.get(e.id);
      if (!g) {
        fn++;
        errors.push(`${c.id}: missed ${e.id}`);
        continue;
      }
      tp++;
      if (e.minProminence && RANK[g.prominence] < RANK[e.minProminence]) prominenceMisses++;
    }
    for (const id of got.keys()) {
      if (!c.expected.some((e) => e.id === id)) {
        fp++;
        errors.push(`${c.id}: wrongly tagged ${id}`);
      }
    }
    for (const text of c.expectedUnresolved ?? []) {
      unresolvedExpected++;
      const folded = text.normalize('NFC').toLowerCase();
      if (result.unresolved.some((u) => u.text.normalize('NFC').toLowerCase().includes(folded) || folded.includes(u.text.normalize('NFC').toLowerCase()))) unresolvedReported++;
    }
  }
  return {
    tp,
    fp,
    fn,
    precision: tp / Math.max(1, tp + fp),
    recall: tp / Math.max(1, tp + fn),
    prominenceMisses,
    unresolvedReported,
    unresolvedExpected,
    errors,
  };
}
