import type { JobProgress, JobState } from '../../../core/api';

/**
 * Ingestion jobs as the UI keeps them: a map by id plus a display order. The order is stable
 * (newest batch first, files in the order they were submitted) so rows do not jump around while
 * progress events arrive.
 */
export interface JobBook {
  jobs: Record<string, JobProgress>;
  order: string[];
}

export const EMPTY_JOB_BOOK: JobBook = { jobs: {}, order: [] };

// Duplicated from core/api/types.ts: the renderer may import only types from core.
const FINISHED: ReadonlySet<JobState> = new Set<JobState>(['done', 'skipped', 'failed', 'cancelled']);

export function isFinished(state: JobState): boolean {
  return FINISHED.has(state);
}

/** Prefix of ids given to uploads queued in the browser before the core has accepted them. */
export const LOCAL_JOB_PREFIX = 'local:';

export function isLocalJob(jobId: string): boolean {
  return jobId.startsWith(LOCAL_JOB_PREFIX);
}

/** True when `incoming` is not older than `current` (events can arrive after a fresher snapshot). */
function isNewer(incoming: JobProgress, current: JobProgress | undefined): boolean {
  if (!current) return true;
  if (incoming.updatedAt === current.updatedAt) {
    // Same timestamp: never move a finished job back to an active state.
    return !(isFinished(current.state) && !isFinished(incoming.state));
  }
  return incoming.updatedAt > current.updatedAt;
}

/** Where a job not seen before goes: after the last job of its batch, or first if its batch is new. */
function insertId(book: JobBook, job: JobProgress): string[] {
  let lastOfBatch = -1;
  book.order.forEach((id, i) => {
    if (book.jobs[id]?.batchId === job.batchId) lastOfBatch = i;
  });
  if (lastOfBatch === -1) return [job.jobId, ...book.order];
  const order = book.order.slice();
  order.splice(lastOfBatch + 1, 0, job.jobId);
  return order;
}

/** Merges one progress report (an event or a row of a listJobs snapshot) into the book. */
export function mergeJob(book: JobBook, job: JobProgress): JobBook {
  const current = book.jobs[job.jobId];
  if (!isNewer(job, current)) return book;
  const jobs = { ...book.jobs, [job.jobId]: job };
  const order = current ? book.order : insertId(book, job);
  return { jobs, order };
}

/**
 * Merges a listJobs snapshot. Jobs are grouped by batch (keeping their order inside a batch) and
 * older batches go in first, so the newest batch ends on top whatever order the core lists them in.
 */
export function mergeJobs(book: JobBook, list: readonly JobProgress[]): JobBook {
  const batches = new Map<string, JobProgress[]>();
  for (const j of list) {
    const group = batches.get(j.batchId);
    if (group) group.push(j);
    else batches.set(j.batchId, [j]);
  }
  const earliest = (g: JobProgress[]) => g.reduce((min, j) => (j.updatedAt < min ? j.updatedAt : min), g[0]!.updatedAt);
  const groups = [...batches.values()].sort((a, b) => (earliest(a) < earliest(b) ? -1 : earliest(a) > earliest(b) ? 1 : 0));
  return groups.flat().reduce(mergeJob, book);
}

/** Adds a whole batch (an ingest call's answer) at the top, in submission order. */
export function addBatch(book: JobBook, jobs: readonly JobProgress[]): JobBook {
  let next = book;
  const fresh: JobProgress[] = [];
  for (const j of jobs) {
    if (next.jobs[j.jobId]) next = mergeJob(next, j);
    else fresh.push(j);
  }
  return {
    jobs: { ...next.jobs, ...Object.fromEntries(fresh.map((j) => [j.jobId, j])) },
    order: [...fresh.map((j) => j.jobId), ...next.order],
  };
}

/**
 * Replaces a job (a local placeholder) by the jobs the core created for it, in the same place.
 * A progress event may have brought a replacement in already (at the top, as a new batch); it is
 * moved to the placeholder's place and the newer of the two versions kept.
 */
export function replaceJob(book: JobBook, jobId: string, replacements: readonly JobProgress[]): JobBook {
  const ids = replacements.map((r) => r.jobId);
  const at = book.order.indexOf(jobId);
  const before = at === -1 ? 0 : book.order.slice(0, at).filter((id) => !ids.includes(id)).length;
  const order = book.order.filter((id) => id !== jobId && !ids.includes(id));
  order.splice(before, 0, ...ids);
  const jobs = { ...book.jobs };
  delete jobs[jobId];
  for (const r of replacements) {
    if (isNewer(r, jobs[r.jobId])) jobs[r.jobId] = r;
  }
  return { jobs, order };
}

/**
 * Marks the given jobs cancelled once the core confirmed a cancel, ahead of its progress events.
 * Finished jobs are left alone, and `updatedAt` is kept so any event the core sends after (its own
 * "cancelled", or "done" for a file that finished first) is newer and wins.
 */
export function markCancelled(book: JobBook, jobIds: readonly string[]): JobBook {
  let jobs: Record<string, JobProgress> | null = null;
  for (const id of jobIds) {
    const job = book.jobs[id];
    if (!job || isFinished(job.state)) continue;
    jobs ??= { ...book.jobs };
    jobs[id] = { ...job, state: 'cancelled' };
  }
  return jobs ? { ...book, jobs } : book;
}

export function updateJob(book: JobBook, jobId: string, patch: Partial<JobProgress>): JobBook {
  const current = book.jobs[jobId];
  if (!current) return book;
  return { ...book, jobs: { ...book.jobs, [jobId]: { ...current, ...patch } } };
}

/** Drops finished jobs from the view (the core keeps its own history). */
export function clearFinished(book: JobBook): JobBook {
  const order = book.order.filter((id) => {
    const job = book.jobs[id];
    return job !== undefined && !isFinished(job.state);
  });
  return { jobs: Object.fromEntries(order.map((id) => [id, book.jobs[id]!])), order };
}

export function orderedJobs(book: JobBook): JobProgress[] {
  return book.order.map((id) => book.jobs[id]).filter((j): j is JobProgress => j !== undefined);
}

/**
 * A skip the user need not look at: the file is indexed already and has not changed (the core's
 * note says "unchanged since it was last indexed"). Other skips — a link out of the folder, a
 * named pipe — carry a reason the user should read.
 */
export function isUnchangedSkip(job: JobProgress): boolean {
  return job.state === 'skipped' && (!job.note || job.note.startsWith('unchanged'));
}

export interface BatchSummary {
  total: number;
  indexed: number;
  /** Skipped as unchanged. */
  skipped: number;
  /** Skipped for a reason of their own (a link leading out of the folder, a named pipe…). */
  passedOver: number;
  failed: number;
  cancelled: number;
  /** Still queued or being processed. */
  pending: number;
  finished: boolean;
}

export function summariseBatch(jobs: readonly JobProgress[]): BatchSummary {
  const s = { total: jobs.length, indexed: 0, skipped: 0, passedOver: 0, failed: 0, cancelled: 0, pending: 0 };
  for (const j of jobs) {
    if (j.state === 'done') s.indexed++;
    else if (j.state === 'skipped') s[isUnchangedSkip(j) ? 'skipped' : 'passedOver']++;
    else if (j.state === 'failed') s.failed++;
    else if (j.state === 'cancelled') s.cancelled++;
    else s.pending++;
  }
  return { ...s, finished: s.pending === 0 };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "3 of 5 files indexed, 1 unchanged, 1 failed, 1 cancelled" (and "— working…" while jobs remain). */
export function formatBatchSummary(s: BatchSummary): string {
  if (s.total === 0) return '';
  const parts = [`${s.indexed} of ${plural(s.total, 'file', 'files')} indexed`];
  if (s.skipped) parts.push(`${s.skipped} unchanged`);
  if (s.passedOver) parts.push(`${s.passedOver} skipped`);
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.cancelled) parts.push(`${s.cancelled} cancelled`);
  const text = parts.join(', ');
  return s.finished ? text : `${text} — working…`;
}

const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  parsing: 'Reading',
  embedding: 'Embedding',
  storing: 'Saving',
  done: 'Indexed',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The row's state text; `paused` is the queue's state (waiting jobs read "Paused"). */
export function jobStateLabel(job: JobProgress, uploading = false, paused = false): string {
  if (uploading) return 'Uploading…';
  if (paused && job.state === 'queued') return 'Paused';
  if (job.state === 'skipped') return job.note ? `Skipped: ${job.note}` : 'Skipped';
  if ((job.state === 'embedding' || job.state === 'storing') && job.chunksTotal > 0) {
    return `${STATE_LABELS[job.state]} ${job.chunksDone}/${job.chunksTotal}`;
  }
  return STATE_LABELS[job.state];
}

/** Values for a <progress>: `undefined` value means indeterminate. */
export function jobProgressValue(job: JobProgress): { value: number | undefined; max: number } {
  if (job.state === 'done' || job.state === 'skipped') return { value: 1, max: 1 };
  if (job.state === 'failed' || job.state === 'cancelled') {
    return { value: job.chunksTotal > 0 ? job.chunksDone : 0, max: Math.max(1, job.chunksTotal) };
  }
  if (job.chunksTotal > 0) return { value: job.chunksDone, max: job.chunksTotal };
  return { value: undefined, max: 1 };
}

/** The job list's rows in the order they need attention: failures, then work in progress, then the rest. */
export interface JobGroups {
  failed: JobProgress[];
  /** Queued or in progress. */
  active: JobProgress[];
  /** Indexed, cancelled, or skipped for a reason of its own (shown with it). */
  finished: JobProgress[];
  /** Unchanged since last time (a re-added folder has many): folded away by the list. */
  skipped: JobProgress[];
}

/** The file a job is about: its path, or an upload's name. */
const fileKey = (j: JobProgress) => j.sourcePath ?? `upload:${j.fileName}`;

/** Whether `a` says more about its file now than `b`: work in progress, else the newer. */
function supersedes(a: JobProgress, b: JobProgress): boolean {
  const aActive = !isFinished(a.state);
  if (aActive !== !isFinished(b.state)) return aActive;
  return a.updatedAt > b.updatedAt;
}

/**
 * Splits jobs (in display order) into groups, keeping their order inside each group. A file added
 * again shows once: an earlier batch's row for it (an old failure, say) gives way to the latest.
 */
export function groupJobs(jobs: readonly JobProgress[]): JobGroups {
  const latest = new Map<string, JobProgress>();
  for (const j of jobs) {
    const seen = latest.get(fileKey(j));
    if (!seen || supersedes(j, seen)) latest.set(fileKey(j), j);
  }
  const groups: JobGroups = { failed: [], active: [], finished: [], skipped: [] };
  for (const j of jobs) {
    const newest = latest.get(fileKey(j))!;
    if (newest !== j && newest.batchId !== j.batchId) continue;
    if (j.state === 'failed') groups.failed.push(j);
    else if (isUnchangedSkip(j)) groups.skipped.push(j);
    else if (isFinished(j.state)) groups.finished.push(j);
    else groups.active.push(j);
  }
  return groups;
}
