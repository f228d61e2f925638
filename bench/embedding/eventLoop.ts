/**
 * Event-loop delay of this thread while some work runs: how late a timer (or an IPC message, or
 * a click the UI process forwards) is served.
 *
 * Sampled the way perf_hooks.monitorEventLoopDelay samples: a timer every RESOLUTION_MS records
 * the time since its previous tick (`recordDelta`), and the interval itself is subtracted when
 * reporting. monitorEventLoopDelay's own histograms cannot be merged, and one re-enabled after a
 * pause records the whole pause as a delay, so a meter that measures several interleaved runs
 * keeps a fresh perf_hooks histogram per run and adds it to its total.
 *
 * One sample per tick means a loop blocked for 2 s in one go adds a single sample next to
 * hundreds of near-0 ms ones: p50 can look fine while the app is frozen most of the time. So
 * `blockedShare` also says how much of the wall time went to stalls longer than STALL_MS.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

const RESOLUTION_MS = 2;
const STALL_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  /** Share of the measured time spent in stalls longer than STALL_MS. */
  blockedShare: number;
}

export class LoopDelayMeter {
  private readonly total: RecordableHistogram = createHistogram();
  /** Seconds spent inside `measure`'s work. */
  seconds = 0;
  private stalledMs = 0;
  private sampledMs = 0;

  async measure<T>(fn: () => Promise<T>): Promise<T> {
    const run = createHistogram();
    let last = performance.now();
    const first = last;
    const ticker = setInterval(() => {
      run.recordDelta();
      const now = performance.now();
      if (now - last > STALL_MS) this.stalledMs += now - last;
      last = now;
    }, RESOLUTION_MS);
    run.recordDelta(); // starts the clock
    try {
      const started = performance.now();
      const result = await fn();
      this.seconds += (performance.now() - started) / 1000;
      // Let the timer tick once more: a blocking call that ends `fn` is only recorded when the
      // loop next reaches its timers.
      await sleep(RESOLUTION_MS * 2);
      return result;
    } finally {
      clearInterval(ticker);
      this.sampledMs += last - first;
      this.total.add(run);
    }
  }

  stats(): LoopDelay {
    const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const h = this.total;
    return {
      p50Ms: ms(h.percentile(50)),
      p99Ms: ms(h.percentile(99)),
      maxMs: ms(h.max),
      samples: h.count,
      blockedShare: this.sampledMs > 0 ? this.stalledMs / this.sampledMs : 0,
    };
  }
}
