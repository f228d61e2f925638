/**
 * One `ingestFiles` call on a folder through the real service, watched until every job of the
 * batch has finished: the jobs' final states, chunk counts and a RunMonitor of the pass.
 */
import { kbContract } from '../../core/api/contract';
import { FINISHED_JOB_STATES, type JobProgress, type JobState } from '../../core/api/types';
import type { KbServiceImpl } from '../../core/service';
import { RunMonitor } from './runMonitor';

/** Give up if no job finishes for this long: a hung service must not hang the benchmark. */
const STALL_TIMEOUT_MS = 180_000;

/** Every progress event of the jobs, timestamped on arrival: stage times come from these. */
export class JobTimeline {
  readonly last = new Map<string, JobProgress>();
  /** First time each job was seen in each state. */
  readonly at = new Map<string, Partial<Record<JobState, number>>>();
  lastFinishAt = performance.now();

  record(p: JobProgress): void {
    const prev = this.last.get(p.jobId);
    this.last.set(p.jobId, p);
    const times = this.at.get(p.jobId) ?? {};
    times[p.state] ??= performance.now();
    this.at.set(p.jobId, times);
    if (FINISHED_JOB_STATES.includes(p.state) && !(prev && FINISHED_JOB_STATES.includes(prev.state))) {
      this.lastFinishAt = performance.now();
    }
  }

  finished(ids: string[]): number {
    return ids.filter((id) => FINISHED_JOB_STATES.includes(this.last.get(id)?.state ?? 'queued')).length;
  }

  /** Chunks embedded so far by these jobs (finished or not). */
  chunksDone(ids: string[]): number {
    return ids.reduce((n, id) => n + (this.last.get(id)?.chunksDone ?? 0), 0);
  }
}

export type IngestPassResult = Awaited<ReturnType<typeof ingestPass>>;

/** Runs one ingestFiles call on `paths` and waits until all its jobs have finished. */
export async function ingestPass(service: KbServiceImpl, paths: string[], timeline = new JobTimeline()) {
  const off = service.on('ingestProgress', (p) => timeline.record(p));
  const monitor = new RunMonitor();
  monitor.start();
  try {
    const accepted = await service.ingestFiles(kbContract.ingestFiles.input.parse({ paths }));
    const ids = accepted.jobs.map((j) => j.jobId);
    for (const j of accepted.jobs) if (!timeline.last.has(j.jobId)) timeline.record(j);
    timeline.lastFinishAt = performance.now();
    while (timeline.finished(ids) < ids.length) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (performance.now() - timeline.lastFinishAt > STALL_TIMEOUT_MS) {
        throw new Error(`no job finished for ${STALL_TIMEOUT_MS / 1000} s: ${timeline.finished(ids)}/${ids.length} done`);
      }
    }
    monitor.stop();
    const jobs = ids.map((id) => timeline.last.get(id) as JobProgress);
    const count = (s: JobState) => jobs.filter((j) => j.state === s).length;
    return {
      monitor,
      timeline,
      ids,
      jobs,
      done: count('done'),
      failed: count('failed'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
      chunks: jobs.reduce((n, j) => n + (j.state === 'done' ? j.chunksTotal : 0), 0),
    };
  } finally {
    monitor.stop();
    off();
  }
}
