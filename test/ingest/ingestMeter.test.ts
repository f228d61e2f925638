import { describe, expect, it } from 'vitest';
import { IngestMeter } from '../../core/ingest/ingestMeter';

describe('IngestMeter', () => {
  it('counts a run, measures its pace over the window and estimates the time left', () => {
    let now = 0;
    const meter = new IngestMeter(() => now, 10_000);
    meter.added(10);
    expect(meter.snapshot(false)).toMatchObject({ filesDone: 0, filesTotal: 10, chunksEmbedded: 0, filesPerSecond: 0 });
    expect(meter.snapshot(false).etaSeconds).toBeUndefined();
    // Each file: 20 chunks in 2 s.
    for (let f = 0; f < 4; f++) {
      now += 1000;
      meter.embedded(10, 10, 20);
      now += 1000;
      meter.embedded(10, 20, 20);
      meter.finished(f !== 2);
    }
    const s = meter.snapshot(false);
    expect(s).toMatchObject({ filesDone: 4, filesTotal: 10, failed: 1, chunksEmbedded: 80, chunksPerSecond: 10, filesPerSecond: 0.5 });
    expect(s.etaSeconds).toBe(12); // 6 files left at 2 s each
    // Half-way through the fifth file: its remaining 10 chunks at 10/s, then 5 files at 2 s.
    now += 1000;
    meter.embedded(10, 10, 20);
    expect(meter.snapshot(false).etaSeconds).toBe(11);
    expect(meter.snapshot(true).etaSeconds).toBeUndefined();
    expect(meter.snapshot(true).paused).toBe(true);
  });

  it('forgets samples older than the window, so the rate follows the current pace', () => {
    let now = 0;
    const meter = new IngestMeter(() => now, 5_000);
    meter.added(100);
    for (let i = 0; i < 10; i++) {
      now += 1000;
      meter.embedded(100, 100, 100); // fast at first: 100 chunks/s
      meter.finished(true);
    }
    for (let i = 0; i < 10; i++) {
      now += 1000;
      meter.embedded(5, 5, 5); // then slow: 5 chunks/s
      meter.finished(true);
    }
    expect(meter.snapshot(false).chunksPerSecond).toBeLessThan(10);
  });

  it('starts a new run when files are added after the last one finished', () => {
    let now = 0;
    const meter = new IngestMeter(() => now);
    meter.added(1);
    now += 1000;
    meter.embedded(3, 3, 3);
    meter.finished(true);
    expect(meter.snapshot(false)).toMatchObject({ filesDone: 1, filesTotal: 1, etaSeconds: 0 });
    meter.added(2);
    expect(meter.snapshot(false)).toMatchObject({ filesDone: 0, filesTotal: 2, chunksEmbedded: 0, failed: 0 });
    meter.added(1); // joins the running run
    expect(meter.snapshot(false).filesTotal).toBe(3);
  });
});
