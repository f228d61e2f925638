import { describe, expect, it } from 'vitest';
import type { IngestRun } from '../../core/api/types';
import { IngestMeter } from '../../core/ingest/ingestMeter';

describe('the last ingestion run', () => {
  it('is reported once, when every queued file has finished, with the whole run’s pace', () => {
    let now = 1_000;
    const meter = new IngestMeter(() => now);
    const runs: IngestRun[] = [];
    meter.onRunEnd((r) => runs.push(r));
    meter.added(3);
    now += 1_000;
    meter.embedded(10, 10, 10);
    meter.finished(true);
    meter.added(1); // joins the running run
    now += 1_000;
    meter.embedded(20, 20, 20);
    meter.finished(true);
    expect(runs).toEqual([]);
    now += 2_000;
    meter.finished(false);
    expect(runs).toHaveLength(0); // 3 of 4
    now += 1_000;
    meter.finished(true);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ files: 4, failed: 1, chunks: 30, seconds: 5, filesPerSecond: 0.8, chunksPerSecond: 6 });
    meter.finished(true); // nothing queued: no second report
    expect(runs).toHaveLength(1);

    meter.added(1); // a new run starts from zero
    now += 500;
    meter.finished(true);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ files: 1, failed: 0, chunks: 0, seconds: 0.5, filesPerSecond: 2 });
  });
});
