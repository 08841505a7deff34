/** What one crawl of a source did, by reason: the crawler's report to the scheduler, metrics and the CLI. */
export interface SourceSummary {
  sourceId: string;
  found: number;
  toFetch: number;
  fetched: number;
  extracted: number;
  skipped: Record<string, number>;
  failed: Record<string, number>;
  durationMs: number;
}

/** Failures of a crawl, all reasons together. */
export const failedCount = (s: Pick<SourceSummary, 'failed'>) => Object.values(s.failed).reduce((a, b) => a + b, 0);

/** The crawl reached nothing of the source (no candidate found, no page fetched, and something failed). */
export const reachedNothing = (s: SourceSummary) => s.found === 0 && s.fetched === 0 && failedCount(s) > 0;
