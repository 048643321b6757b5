// Per-frame latency percentiles (nearest rank) and throughput.

export interface LatencySummary {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array: the smallest value with p% at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export class LatencyRecorder {
  private values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  summary(): LatencySummary | null {
    if (this.values.length === 0) return null;
    const s = Float64Array.from(this.values).sort();
    return {
      frames: s.length,
      p50: percentile(s, 50),
      p95: percentile(s, 95),
      p99: percentile(s, 99),
      mean: s.reduce((a, b) => a + b, 0) / s.length,
      max: s[s.length - 1],
    };
  }
}
