import type { SourceSummary } from '../crawlers/summary.ts';

const reasons = (bag: Record<string, number>) =>
  Object.entries(bag)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

/** Plain-text table, one row per source plus a total. */
export function summaryTable(rows: SourceSummary[]): string {
  const header = ['source', 'found', 'fetched', 'extracted', 'skipped', 'failed'];
  const sum = (f: (r: SourceSummary) => number) => rows.reduce((a, r) => a + f(r), 0);
  const merge = (pick: (r: SourceSummary) => Record<string, number>) => {
    const total: Record<string, number> = {};
    for (const r of rows) for (const [k, v] of Object.entries(pick(r))) total[k] = (total[k] ?? 0) + v;
    return total;
  };
  const body = rows.map((r) => [r.sourceId, String(r.found), String(r.fetched), String(r.extracted), reasons(r.skipped), reasons(r.failed)]);
  body.push(['TOTAL', String(sum((r) => r.found)), String(sum((r) => r.fetched)), String(sum((r) => r.extracted)), reasons(merge((r) => r.skipped)), reasons(merge((r) => r.failed))]);
  return formatTable(header, body);
}

export function formatTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
