import { describe, expect, it } from 'vitest';
import { LatencyRecorder, nearestRank } from '../../core/metrics/latencyRecorder';

describe('search latency percentiles', () => {
  it('takes the nearest rank: a value that was measured, never an interpolation', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(nearestRank(sorted, 50)).toBe(50);
    expect(nearestRank(sorted, 95)).toBe(95);
    expect(nearestRank(sorted, 99)).toBe(99);
    expect(nearestRank([7, 9], 50)).toBe(7);
    expect(nearestRank([7, 9], 95)).toBe(9);
    expect(nearestRank([3], 99)).toBe(3);
    expect(nearestRank([], 50)).toBe(0);
  });

  it('keeps the last searches only, and the latest 100 oldest first for the chart', () => {
    const rec = new LatencyRecorder(1000);
    // 1,200 searches: the first 200 (1 ms each) fall out of the window of 1,000.
    for (let i = 0; i < 200; i++) rec.record(1, 'keyword');
    for (let i = 1; i <= 1000; i++) rec.record(i + 1000, i % 2 ? 'hybrid' : 'vector');
    const s = rec.snapshot();
    expect(s.count).toBe(1000);
    expect(s).toMatchObject({ p50Ms: 1500, p95Ms: 1950, p99Ms: 1990 });
    expect(s.recent).toHaveLength(100);
    expect(s.recent[0]).toMatchObject({ ms: 1901, mode: 'hybrid' });
    expect(s.recent.at(-1)).toMatchObject({ ms: 2000, mode: 'vector' });
    expect(Date.parse(s.recent[0]!.at)).not.toBeNaN();
  });

  it('reports zeros before any search', () => {
    expect(new LatencyRecorder().snapshot()).toEqual({ count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, recent: [] });
  });
});
