import type { IngestRun, IngestStats } from '../api/types';

interface Sample {
  t: number;
  files: number;
  chunks: number;
}

/**
 * Counts the current indexing run (from the first file queued while idle until the queue is
 * empty again) and measures its pace: files and chunks per second over a sliding window, and an
 * estimate of the time left. Pure bookkeeping with an injectable clock, so it is testable.
 */
export class IngestMeter {
  private filesTotal = 0;
  private filesDone = 0;
  private failed = 0;
  private chunks = 0;
  private started = 0;
  private lastFinished = 0;
  private samples: Sample[] = [];
  private current: { done: number; total: number } | undefined;
  private runEnded: ((run: IngestRun) => void) | undefined;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 20_000,
  ) {}

  /** Files queued; a new run starts if the last one had finished. */
  added(files: number): void {
    if (this.filesDone >= this.filesTotal) {
      this.filesTotal = this.filesDone = this.failed = this.chunks = 0;
      this.started = this.now();
      this.samples = [{ t: this.started, files: 0, chunks: 0 }];
    }
    this.filesTotal += files;
  }

  /** A file of the run reached a final state (failed or cancelled ones count as failed). */
  finished(ok: boolean): void {
    const running = this.filesDone < this.filesTotal;
    this.filesDone = Math.min(this.filesTotal, this.filesDone + 1);
    if (!ok) this.failed++;
    this.current = undefined;
    this.lastFinished = this.now();
    this.sample();
    if (running && this.filesDone === this.filesTotal) this.runEnded?.(this.run());
  }

  /** Called with the whole run's figures each time a run ends (Status shows the last one). */
  onRunEnd(listener: (run: IngestRun) => void): void {
    this.runEnded = listener;
  }

  /** The run's totals and its average pace from the first file queued to the last one finished. */
  private run(): IngestRun {
    const seconds = Math.max(0, (this.lastFinished - this.started) / 1000);
    const perSecond = (n: number) => (seconds > 0 ? round(n / seconds) : 0);
    return {
      files: this.filesTotal,
      failed: this.failed,
      chunks: this.chunks,
      seconds: round(seconds),
      filesPerSecond: perSecond(this.filesTotal),
      chunksPerSecond: perSecond(this.chunks),
      finishedAt: new Date().toISOString(),
    };
  }

  /** Progress of the file being embedded now. */
  embedded(newChunks: number, jobDone: number, jobTotal: number): void {
    this.chunks += newChunks;
    this.current = { done: jobDone, total: jobTotal };
    this.sample();
  }

  private sample(): void {
    const t = this.now();
    this.samples.push({ t, files: this.filesDone, chunks: this.chunks });
    while (this.samples.length > 2 && (this.samples[1] as Sample).t < t - this.windowMs) this.samples.shift();
  }

  snapshot(paused: boolean): IngestStats {
    const first = this.samples[0];
    const t = this.now();
    const span = first ? (t - first.t) / 1000 : 0;
    const rate = (n: number) => (span > 0.5 ? n / span : 0);
    const filesPerSecond = first ? rate(this.filesDone - first.files) : 0;
    const chunksPerSecond = first ? rate(this.chunks - first.chunks) : 0;
    const stats: IngestStats = {
      paused,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      failed: this.failed,
      chunksEmbedded: this.chunks,
      filesPerSecond: round(filesPerSecond),
      chunksPerSecond: round(chunksPerSecond),
    };
    const eta = this.eta(chunksPerSecond);
    if (!paused && eta !== undefined) stats.etaSeconds = Math.ceil(eta);
    return stats;
  }

  /**
   * The rest of the file in progress at the current chunk rate, plus the files after it at the
   * run's average time per file. Unknown until there is a rate to go by.
   */
  private eta(chunksPerSecond: number): number | undefined {
    const remaining = this.filesTotal - this.filesDone;
    if (remaining === 0) return 0;
    const currentLeft = this.current && chunksPerSecond > 0 ? (this.current.total - this.current.done) / chunksPerSecond : undefined;
    const after = this.current ? remaining - 1 : remaining;
    if (after === 0) return currentLeft;
    if (this.filesDone === 0) return undefined;
    const perFile = (this.lastFinished - this.started) / 1000 / this.filesDone;
    return (currentLeft ?? 0) + after * perFile;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
