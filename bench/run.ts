import { cpus, totalmem } from 'node:os';
import { benchAlertLatency } from './alert-latency.ts';
import { benchCrawl } from './crawl.ts';
import { benchIngest } from './ingest.ts';
import { benchNotify } from './notify.ts';
import { benchPipeline } from './pipeline.ts';
import { benchSearch } from './search.ts';
import { benchStoriesGrowth } from './stories-growth.ts';
import { printRows, type BenchRow } from './table.ts';

/**
 * `npm run bench`: every benchmark of the project, printed as one table with its goals.
 * `npm run bench -- crawl` runs only the named areas.
 */
const BENCHES: Record<string, () => Promise<BenchRow[]>> = {
  crawl: benchCrawl,
  pipeline: benchPipeline,
  ingest: benchIngest,
  notify: benchNotify,
  alerts: benchAlertLatency,
  stories: benchStoriesGrowth,
  search: benchSearch,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const rows: BenchRow[] = [];
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`running ${name} benchmark…\n`);
  rows.push(...(await bench()));
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(`Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}\n\n`);
process.stdout.write(`${printRows(rows)}\n`);
