import type { Source } from '../crawlers/sources/schema.ts';
import { reachedNothing, type SourceSummary } from '../crawlers/summary.ts';

export interface SourceSchedule {
  sourceId: string;
  nextDue: number;
  /** Current polling interval (ms), adapted between a quarter and four times the configured one. */
  interval: number;
  /** Consecutive crawls that reached nothing. */
  failures: number;
  /** Next quick poll of the feeds alone; null for sources without feeds (or polled as often in full). */
  feedDue: number | null;
}

export const MAX_BACKOFF_MS = 6 * 3_600_000;
const MIN_INTERVAL_MS = 60_000;

/**
 * When to crawl each source next. A source that published something is polled sooner (down to a quarter of
 * its configured interval, at least a minute); one that had nothing new slows down (up to four times); one
 * that failed entirely backs off exponentially (up to six hours) so it cannot hog the crawler, and comes
 * back to its configured interval on its first success. Between full crawls, a source's feeds are polled on
 * their own shorter interval: that is what brings a new article to the alerts within a minute. A failing
 * source's feeds wait for its next full crawl.
 */
export class Scheduler {
  private readonly schedules = new Map<string, SourceSchedule>();

  constructor(
    private readonly sources: Source[],
    now: number,
  ) {
    for (const s of sources) this.schedules.set(s.id, { sourceId: s.id, nextDue: now, interval: s.interval, failures: 0, feedDue: this.nextFeed(s, now) });
  }

  private nextFeed(source: Source, now: number): number | null {
    return source.feeds.length > 0 && source.feedInterval < source.interval ? now + source.feedInterval : null;
  }

  /** Sources whose quick feed poll is due and whose full crawl is not. */
  feedsDue(now: number): Source[] {
    return this.sources.filter((src) => {
      const s = this.schedules.get(src.id)!;
      return s.feedDue !== null && s.feedDue <= now && s.nextDue > now && s.failures === 0;
    });
  }

  recordFeeds(summary: SourceSummary, now: number): SourceSchedule {
    const source = this.sources.find((s) => s.id === summary.sourceId)!;
    const s = this.schedules.get(summary.sourceId)!;
    // A feed that stops answering waits for the full crawl, which decides about backing off.
    s.feedDue = reachedNothing(summary) ? null : this.nextFeed(source, now);
    return s;
  }

  due(now: number): Source[] {
    return this.sources.filter((s) => this.schedules.get(s.id)!.nextDue <= now);
  }

  /** Milliseconds until the next source is due (0 when one is due now). */
  waitMs(now: number): number {
    const times = [...this.schedules.values()].flatMap((s) => (s.feedDue !== null && s.failures === 0 ? [s.nextDue, s.feedDue] : [s.nextDue]));
    return Math.max(0, Math.min(...times) - now);
  }

  get(sourceId: string): SourceSchedule | undefined {
    return this.schedules.get(sourceId);
  }

  record(summary: SourceSummary, now: number): SourceSchedule {
    const source = this.sources.find((s) => s.id === summary.sourceId)!;
    const s = this.schedules.get(summary.sourceId)!;
    if (reachedNothing(summary)) {
      s.failures++;
      s.interval = Math.min(MAX_BACKOFF_MS, source.interval * 2 ** s.failures);
    } else {
      s.failures = 0;
      // Never faster than a quarter of the configured interval, nor than a minute unless configured faster.
      const floor = Math.min(source.interval, Math.max(MIN_INTERVAL_MS, source.interval / 4));
      const ceiling = source.interval * 4;
      s.interval = summary.extracted > 0 ? Math.max(floor, Math.min(source.interval, s.interval) / 2) : Math.min(ceiling, Math.max(source.interval, s.interval * 1.5));
    }
    s.nextDue = now + s.interval;
    // A full crawl read the feeds too.
    s.feedDue = this.nextFeed(source, now);
    return s;
  }
}
