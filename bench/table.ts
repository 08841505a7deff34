/** One benchmark figure: what was measured, its value, and the goal it is judged against. */
export interface BenchRow {
  area: string;
  metric: string;
  value: string;
  goal: string;
  ok: boolean | null;
}

export function printRows(rows: BenchRow[]): string {
  const header = ['area', 'metric', 'value', 'goal', 'met'];
  const body = rows.map((r) => [r.area, r.metric, r.value, r.goal, r.ok === null ? '-' : r.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Samples resident memory while a task runs, to report its peak. */
export async function withPeakRss<T>(task: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await task();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
