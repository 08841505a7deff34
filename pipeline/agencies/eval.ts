/**
 * Evaluate the linker on the labelled snippets in test/fixtures/tagging/*.jsonl (see its README).
 *
 *   npx tsx pipeline/agencies/eval.ts [--verbose] [file-substring]
 *
 * Prints precision and recall of agency ids, prominence agreement and the expected-unresolved hits per file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { createLinker } from './link.ts';
import { loadRegistry } from './registry/load.ts';
import { Period, parseOrThrow } from './registry/schema.ts';

const DIR = resolve(import.meta.dirname, '../../test/fixtures/tagging');
const Snippet = z.object({
  id: z.string(),
  title: z.string(),
  sapo: z.string().nullish(),
  body: z.string(),
  publishedAt: z.string().nullish(),
  outlet: z.object({ province: z.string(), period: Period }).nullable(),
  expected: z.array(
    z.object({ id: z.string(), minProminence: z.enum(['primary', 'secondary', 'passing']).optional() }),
  ),
  expectedUnresolved: z.array(z.string()).optional(),
  nfd: z.boolean().optional(),
  note: z.string().optional(),
});

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const filter = args.find((a) => !a.startsWith('--'));
const rank = { passing: 0, secondary: 1, primary: 2 } as const;

const linker = createLinker(loadRegistry());
let tp = 0;
let fp = 0;
let fn = 0;
let promOk = 0;
let promAll = 0;
let unresOk = 0;
let unresAll = 0;
const lines: string[] = [];
for (const file of readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl') && (!filter || f.includes(filter)))
  .sort()) {
  let ftp = 0;
  let ffp = 0;
  let ffn = 0;
  const raw = readFileSync(join(DIR, file), 'utf8').split('\n').filter(Boolean);
  for (const [n, line] of raw.entries()) {
    const s = parseOrThrow(Snippet, JSON.parse(line), `${file}:${n + 1}`);
    const norm = (x: string | null | undefined): string | null | undefined =>
      s.nfd && x ? x.normalize('NFD') : x;
    const r = linker.link({
      title: norm(s.title)!,
      sapo: norm(s.sapo) ?? null,
      body: norm(s.body)!,
      publishedAt: s.publishedAt ?? null,
      outletProvince: s.outlet ? { code: s.outlet.province, period: s.outlet.period } : null,
    });
    const got = new Map(r.agencies.map((a) => [a.id, a]));
    const want = new Set(s.expected.map((e) => e.id));
    const missing = s.expected.filter((e) => !got.has(e.id)).map((e) => e.id);
    const extra = [...got.keys()].filter((id) => !want.has(id));
    ftp += s.expected.length - missing.length;
    ffn += missing.length;
    ffp += extra.length;
    const badProm: string[] = [];
    for (const e of s.expected) {
      const a = got.get(e.id);
      if (!a || !e.minProminence) continue;
      promAll++;
      if (rank[a.prominence] >= rank[e.minProminence]) promOk++;
      else badProm.push(`${e.id} ${a.prominence}<${e.minProminence}`);
    }
    const unresolvedTexts = r.unresolved.map((u) => u.text.normalize('NFC'));
    const badUnres: string[] = [];
    for (const u of s.expectedUnresolved ?? []) {
      unresAll++;
      if (unresolvedTexts.some((t) => t.includes(u) || u.includes(t))) unresOk++;
      else badUnres.push(u);
    }
    if (missing.length || extra.length || (verbose && (badProm.length || badUnres.length))) {
      lines.push(
        `${s.id}: ${missing.length ? `missing ${missing.join(',')} ` : ''}${extra.length ? `extra ${extra.join(',')} ` : ''}${badProm.length ? `prominence ${badProm.join(',')} ` : ''}${badUnres.length ? `not-unresolved ${JSON.stringify(badUnres)} ` : ''}| unresolved ${JSON.stringify(r.unresolved.map((u) => `${u.reason}:${u.text}`))}`,
      );
      if (verbose) lines.push(`    ${s.note ?? ''}\n    ${s.title} || ${s.body.slice(0, 300)}`);
    }
  }
  tp += ftp;
  fp += ffp;
  fn += ffn;
  const p = ftp / Math.max(1, ftp + ffp);
  const rc = ftp / Math.max(1, ftp + ffn);
  process.stdout.write(
    `${file.padEnd(24)} n=${String(raw.length).padStart(3)}  P=${p.toFixed(3)}  R=${rc.toFixed(3)}  fp=${ffp} fn=${ffn}\n`,
  );
}
const P = tp / Math.max(1, tp + fp);
const R = tp / Math.max(1, tp + fn);
process.stdout.write(
  `TOTAL P=${P.toFixed(3)} R=${R.toFixed(3)} F1=${((2 * P * R) / Math.max(1e-9, P + R)).toFixed(3)}  prominence ${promOk}/${promAll}  unresolved ${unresOk}/${unresAll}\n`,
);
if (lines.length) process.stdout.write(`\n${lines.join('\n')}\n`);
