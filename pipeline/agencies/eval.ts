/**
 * Evaluate the linker on the labelled snippets in test/fixtures/tagging/*.jsonl (see its README).
 *
 *   npx tsx pipeline/agencies/eval.ts [--verbose] [file-substring]
 *
 * Prints precision and recall of agency ids per file and in total, prominence misses and unresolved hits.
 */
import { createLinker } from './link.ts';
import { loadTaggingCases, scoreTagging } from './labelled-set.ts';
import { loadRegistry } from './registry/load.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const filter = args.find((a) => !a.startsWith('--'));
const linker = createLinker(loadRegistry());
const cases = loadTaggingCases().filter((c) => !filter || c.file.includes(filter));
for (const file of [...new Set(cases.map((c) => c.file))]) {
  const s = scoreTagging(linker, cases.filter((c) => c.file === file));
  process.stdout.write(`${file.padEnd(24)} P=${s.precision.toFixed(3)}  R=${s.recall.toFixed(3)}  fp=${s.fp} fn=${s.fn}\n`);
}
const total = scoreTagging(linker, cases);
const f1 = (2 * total.precision * total.recall) / Math.max(1e-9, total.precision + total.recall);
process.stdout.write(
  `TOTAL P=${total.precision.toFixed(3)} R=${total.recall.toFixed(3)} F1=${f1.toFixed(3)}  prominence misses ${total.prominenceMisses}  unresolved ${total.unresolvedReported}/${total.unresolvedExpected}\n`,
);
if (verbose && total.errors.length) process.stdout.write(`\n${total.errors.join('\n')}\n`);
