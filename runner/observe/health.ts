/** What the long-running monitor knows about itself, for /healthz. */
export interface SpoolView {
  records: number;
  oldestAt: string | null;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'stalled';
  elasticsearch: 'up' | 'down' | 'unknown';
  startedAt: string;
  lastTurnAt: string | null;
  lastTurnError: string | null;
  turns: number;
  failingSources: string[];
  spool: SpoolView | null;
}

/**
 * Degraded: Elasticsearch is down (records go to the spool) or sources are failing; the loop still works.
 * Stalled: no turn finished for much longer than the loop ever waits, so something hangs.
 */
export class RunHealth {
  private lastTurnAt: Date | null = null;
  private lastTurnError: string | null = null;
  private turns = 0;
  private es: HealthReport['elasticsearch'] = 'unknown';
  private failing = new Set<string>();
  private readonly startedAt: Date;

  constructor(
    private readonly wall: () => number,
    private readonly stallAfterMs: number,
    private readonly spool: () => SpoolView | null = () => null,
  ) {
    this.startedAt = new Date(wall());
  }

  turnDone(error: string | null = null): void {
    this.turns++;
    this.lastTurnAt = new Date(this.wall());
    this.lastTurnError = error;
  }

  elasticsearch(up: boolean): void {
    this.es = up ? 'up' : 'down';
  }

  sourceFailing(sourceId: string, failing: boolean): void {
    if (failing) this.failing.add(sourceId);
    else this.failing.delete(sourceId);
  }

  report(): HealthReport {
    const since = (this.lastTurnAt ?? this.startedAt).getTime();
    const stalled = this.wall() - since > this.stallAfterMs;
    const spool = this.spool();
    const degraded = this.es === 'down' || this.failing.size > 0 || (spool?.records ?? 0) > 0 || this.lastTurnError !== null;
    return {
      status: stalled ? 'stalled' : degraded ? 'degraded' : 'ok',
      elasticsearch: this.es,
      startedAt: this.startedAt.toISOString(),
      lastTurnAt: this.lastTurnAt?.toISOString() ?? null,
      lastTurnError: this.lastTurnError,
      turns: this.turns,
      failingSources: [...this.failing].sort(),
      spool,
    };
  }
}

/** 503 when the monitor cannot do its job (stalled, or Elasticsearch unreachable); 200 otherwise. */
export const healthHttpStatus = (r: HealthReport) => (r.status === 'stalled' || r.elasticsearch === 'down' ? 503 : 200);
