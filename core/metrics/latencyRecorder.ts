import type { SearchLatency } from '../api/types';

/** How many searches the percentiles cover, and how many the chart shows. */
const DEFAULT_CAPACITY = 1000;
const RECENT = 100;

interface Sample {
  at: string;
  ms: number;
  mode: string;
}

/**
 * The latencies of the last `capacity` searches in a ring buffer, with nearest-rank percentiles:
 * the p-th percentile of n sorted samples is the one at rank ceil(p/100 · n), a value that was
 * really measured (no interpolation between two searches).
 */
export class LatencyRecorder {
  private readonly samples: Sample[] = [];
  private next = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  record(ms: number, mode: string, at: Date = new Date()): void {
    const sample = { at: at.toISOString(), ms: Math.round(ms * 100) / 100, mode };
    if (this.samples.length < this.capacity) this.samples.push(sample);
    else this.samples[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  private ordered(): Sample[] {
    return this.samples.length < this.capacity ? [...this.samples] : [...this.samples.slice(this.next), ...this.samples.slice(0, this.next)];
  }

  snapshot(): SearchLatency {
    const sorted = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    return {
      count: sorted.length,
      p50Ms: nearestRank(sorted, 50),
      p95Ms: nearestRank(sorted, 95),
      p99Ms: nearestRank(sorted, 99),
      recent: this.ordered().slice(-RECENT),
    };
  }
}

/** Nearest-rank percentile of an ascending list; 0 for an empty one. */
export function nearestRank(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}
