// Frame counters, rates and latency percentiles for /diagnostics.
export interface StatsSnapshot {
  inputHz: number;
  outputHz: number;
  /** Arrival to publication, over the frames published in the period; null when none were. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** The engine's own time per frame (preprocess, network, outputs), median over the period. */
  engineP50Ms: number | null;
  received: number;
  published: number;
  dropped: number;
  rejected: number;
  skipped: number;
  /** Frames rejected in this period and the reason of the last one. */
  rejectedInPeriod: number;
  lastRejection: string | null;
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export class PipelineStats {
  received = 0;
  published = 0;
  /** Replaced in the waiting slot by a newer frame before they could run. */
  dropped = 0;
  /** Bad input: malformed messages, unsupported encodings, undecodable images. */
  rejected = 0;
  /** Arrived while no enabled output had a subscriber. */
  skipped = 0;
  lastRejection: string | null = null;
  /** Engine time of the last published frame. */
  lastEngineMs = 0;

  private periodStart: number;
  private periodReceived = 0;
  private periodPublished = 0;
  private periodRejected = 0;
  private latencies: number[] = [];
  private engineTimes: number[] = [];

  constructor(private readonly clock: () => number = () => performance.now()) {
    this.periodStart = clock();
  }

  onReceived(): void {
    this.received++;
    this.periodReceived++;
  }
  onPublished(latencyMs: number, engineMs: number): void {
    this.published++;
    this.periodPublished++;
    this.lastEngineMs = engineMs;
    if (this.latencies.length < 10000) {
      this.latencies.push(latencyMs);
      this.engineTimes.push(engineMs);
    }
  }
  onRejected(reason: string): void {
    this.rejected++;
    this.periodRejected++;
    this.lastRejection = reason;
  }

  /** Rates and latencies since the previous snapshot; starts the next period. */
  snapshot(): StatsSnapshot {
    const now = this.clock();
    const seconds = Math.max(1e-3, (now - this.periodStart) / 1000);
    const sorted = this.latencies.sort((a, b) => a - b);
    const engine = this.engineTimes.sort((a, b) => a - b);
    const s: StatsSnapshot = {
      inputHz: this.periodReceived / seconds,
      outputHz: this.periodPublished / seconds,
      latencyP50Ms: sorted.length ? percentile(sorted, 50) : null,
      latencyP95Ms: sorted.length ? percentile(sorted, 95) : null,
      engineP50Ms: engine.length ? percentile(engine, 50) : null,
      received: this.received,
      published: this.published,
      dropped: this.dropped,
      rejected: this.rejected,
      skipped: this.skipped,
      rejectedInPeriod: this.periodRejected,
      lastRejection: this.lastRejection,
    };
    this.periodStart = now;
    this.periodReceived = this.periodPublished = this.periodRejected = 0;
    this.latencies = [];
    this.engineTimes = [];
    return s;
  }
}
