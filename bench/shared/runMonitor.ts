/**
 * Peak memory and this thread's responsiveness while some work runs (used by bench:ingest and
 * the `npm run bench` table): RSS of the process (worker threads included) sampled every
 * 100 ms, of the process and its child processes every 500 ms, and the event-loop delay from
 * perf_hooks.monitorEventLoopDelay.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { f1, f2, mb } from './stats';
import { treeRss } from './processTree';

const MEMORY_SAMPLE_MS = 100;
/** Reading /proc for every process costs more: the process tree is sampled less often. */
const TREE_SAMPLE_EVERY = 5;
const LOOP_RESOLUTION_MS = 5;
/** A gap this much longer than the sampling interval counts as the thread being blocked. */
export const BLOCKED_MS = 50;

export class RunMonitor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private ticks = 0;
  peakRss = 0;
  /** This process and its descendants. */
  peakTreeRss = 0;
  peakHeap = 0;
  blockedMs = 0;
  /** Each time the sampler ran more than BLOCKED_MS late: when the thread was blocked, for how long. */
  readonly stalls: { from: number; to: number }[] = [];
  private startedAt = 0;
  private cpuStart = process.cpuUsage();
  wallMs = 0;
  cpuMs = 0;

  start(): void {
    this.startedAt = this.last = performance.now();
    this.cpuStart = process.cpuUsage();
    this.sample();
    this.loop.enable();
    this.timer = setInterval(() => this.sample(), MEMORY_SAMPLE_MS);
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakHeap = Math.max(this.peakHeap, heapUsed);
    if (this.ticks++ % TREE_SAMPLE_EVERY === 0) this.peakTreeRss = Math.max(this.peakTreeRss, treeRss());
    this.peakTreeRss = Math.max(this.peakTreeRss, this.peakRss);
    const now = performance.now();
    const late = now - this.last - MEMORY_SAMPLE_MS;
    if (late > BLOCKED_MS) {
      this.blockedMs += late;
      this.stalls.push({ from: now - late, to: now });
    }
    this.last = now;
  }

  /** Idempotent: a second call keeps the first one's figures. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.ticks = 0;
    this.sample();
    this.loop.disable();
    this.wallMs = performance.now() - this.startedAt;
    const cpu = process.cpuUsage(this.cpuStart);
    this.cpuMs = (cpu.user + cpu.system) / 1000;
  }

  /** Delay beyond the timer's own interval, in ms (the histogram records whole intervals). */
  loopMs(p: number | 'max'): number {
    const ns = p === 'max' ? this.loop.max : this.loop.percentile(p);
    return Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  }

  summary(): string[] {
    return [
      `memory: peak RSS ${mb(this.peakRss)} MB (whole process, worker threads included; with child processes ${mb(this.peakTreeRss)} MB), peak main-thread heap ${mb(this.peakHeap)} MB`,
      `main-thread event-loop delay: p50 ${f1(this.loopMs(50))} ms, p99 ${f1(this.loopMs(99))} ms, max ${f1(this.loopMs('max'))} ms; ` +
        `blocked (> ${BLOCKED_MS} ms late) ${f1((100 * this.blockedMs) / Math.max(1, this.wallMs))}% of the time`,
      `CPU: ${f1(this.cpuMs / 1000)} s user+system over ${f1(this.wallMs / 1000)} s wall (${f2(this.cpuMs / Math.max(1, this.wallMs))} cores busy on average)`,
    ];
  }
}
