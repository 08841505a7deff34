import type { Source } from '../crawlers/sources/schema.ts';
import type { SourceSummary } from '../crawlers/crawl.ts';

export interface SourceSchedule {
  sourceId: string;
  nextDue: number;
  /** Current polling interval (ms), adapted between a quarter and four times the configured one. */
  interval: number;
  /** Consecutive crawls that reached nothing. */
  failures: number;
}

export const MAX_BACKOFF_MS = 6 * 3_600_000;
const MIN_INTERVAL_MS = 60_000;

/**
 * When to crawl each source next. A source that published something is polled sooner (down to a quarter of
 * its configured interval, at least a minute); one that had nothing new slows down (up to four times); one
 * that failed entirely backs off exponentially (up to six hours) so it cannot hog the crawler, and comes
 * back to its configured interval on its first success.
 */
export class Scheduler {
  private readonly schedules = new Map<string, SourceSchedule>();

  constructor(
    private readonly sources: Source[],
    now: number,
  ) {
    for (const s of sources) this.schedules.set(s.id, { sourceId: s.id, nextDue: now, interval: s.interval, failures: 0 });
  }

  due(now: number): Source[] {
    return this.sources.filter((s) => this.schedules.get(s.id)!.nextDue <= now);
  }

  /** Milliseconds until the next source is due (0 when one is due now). */
  waitMs(now: number): number {
    return Math.max(0, Math.min(...[...this.schedules.values()].map((s) => s.nextDue)) - now);
  }

  get(sourceId: string): SourceSchedule | undefined {
    return this.schedules.get(sourceId);
  }

  record(summary: SourceSummary, now: number): SourceSchedule {
    const source = this.sources.find((s) => s.id === summary.sourceId)!;
    const s = this.schedules.get(summary.sourceId)!;
    const failed = Object.values(summary.failed).reduce((a, b) => a + b, 0);
    const reachedNothing = summary.found === 0 && summary.fetched === 0 && failed > 0;
    if (reachedNothing) {
      s.failures++;
      s.interval = Math.min(MAX_BACKOFF_MS, source.interval * 2 ** s.failures);
    } else {
      s.failures = 0;
      const floor = Math.max(MIN_INTERVAL_MS, source.interval / 4);
      const ceiling = source.interval * 4;
      s.interval = summary.extracted > 0 ? Math.max(floor, Math.min(source.interval, s.interval) / 2) : Math.min(ceiling, Math.max(source.interval, s.interval * 1.5));
    }
    s.nextDue = now + s.interval;
    return s;
  }
}
