import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../core/api';
import {
  EMPTY_JOB_BOOK,
  addBatch,
  clearFinished,
  formatBatchSummary,
  groupJobs,
  jobProgressValue,
  jobStateLabel,
  markCancelled,
  mergeJob,
  mergeJobs,
  orderedJobs,
  replaceJob,
  summariseBatch,
} from './jobs';

const job = (id: string, patch: Partial<JobProgress> = {}): JobProgress => ({
  jobId: id,
  batchId: 'b1',
  fileName: `${id}.md`,
  state: 'queued',
  chunksDone: 0,
  chunksTotal: 0,
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...patch,
});
const ids = (b: typeof EMPTY_JOB_BOOK) => orderedJobs(b).map((j) => j.jobId);

describe('mergeJob', () => {
  it('adds an unknown job and updates a known one', () => {
    let b = mergeJob(EMPTY_JOB_BOOK, job('a'));
    b = mergeJob(b, job('a', { state: 'embedding', chunksDone: 2, chunksTotal: 5, updatedAt: '2025-01-01T00:00:01.000Z' }));
    expect(ids(b)).toEqual(['a']);
    expect(b.jobs.a?.state).toBe('embedding');
  });

  it('ignores an event older than what it has', () => {
    const b = mergeJob(EMPTY_JOB_BOOK, job('a', { state: 'done', updatedAt: '2025-01-01T00:00:05.000Z' }));
    const after = mergeJob(b, job('a', { state: 'embedding', updatedAt: '2025-01-01T00:00:01.000Z' }));
    expect(after).toBe(b);
  });

  it('never moves a finished job back to active on an equal timestamp', () => {
    const b = mergeJob(EMPTY_JOB_BOOK, job('a', { state: 'failed' }));
    expect(mergeJob(b, job('a', { state: 'storing' })).jobs.a?.state).toBe('failed');
    expect(mergeJob(b, job('a', { state: 'done' })).jobs.a?.state).toBe('done');
  });

  it('keeps a batch together in arrival order and puts a new batch first', () => {
    let b = mergeJob(EMPTY_JOB_BOOK, job('a'));
    b = mergeJob(b, job('x', { batchId: 'b2' }));
    b = mergeJob(b, job('b'));
    expect(ids(b)).toEqual(['x', 'a', 'b']);
  });
});

describe('mergeJobs', () => {
  it('puts the newest batch on top whatever the snapshot order', () => {
    const older = [job('a', { updatedAt: '2025-01-01T00:00:00Z' }), job('b', { updatedAt: '2025-01-01T00:00:02Z' })];
    const newer = [job('x', { batchId: 'b2', updatedAt: '2025-01-02T00:00:00Z' })];
    expect(ids(mergeJobs(EMPTY_JOB_BOOK, [...newer, ...older]))).toEqual(['x', 'a', 'b']);
    expect(ids(mergeJobs(EMPTY_JOB_BOOK, [...older, ...newer]))).toEqual(['x', 'a', 'b']);
  });
});

describe('addBatch / replaceJob / clearFinished', () => {
  it('adds a batch on top in submission order', () => {
    const b = addBatch(mergeJob(EMPTY_JOB_BOOK, job('old', { batchId: 'b0' })), [job('a'), job('b')]);
    expect(ids(b)).toEqual(['a', 'b', 'old']);
  });

  it('replaces a placeholder in place', () => {
    const b = addBatch(EMPTY_JOB_BOOK, [job('local:1'), job('local:2'), job('local:3')]);
    const r = replaceJob(b, 'local:2', [job('srv-2', { batchId: 's2', state: 'parsing' })]);
    expect(ids(r)).toEqual(['local:1', 'srv-2', 'local:3']);
    expect(r.jobs['local:2']).toBeUndefined();
  });

  it('moves a replacement an event brought in early to the placeholder, keeping the newer version', () => {
    let b = addBatch(EMPTY_JOB_BOOK, [job('local:1'), job('local:2')]);
    b = mergeJob(b, job('srv-2', { batchId: 's2', state: 'embedding', updatedAt: '2025-01-01T00:00:09Z' }));
    expect(ids(b)[0]).toBe('srv-2');
    const r = replaceJob(b, 'local:2', [job('srv-2', { batchId: 's2', state: 'queued', updatedAt: '2025-01-01T00:00:01Z' })]);
    expect(ids(r)).toEqual(['local:1', 'srv-2']);
    expect(r.jobs['srv-2']?.state).toBe('embedding');
  });

  it('marks unfinished jobs cancelled, keeping their timestamp so later events win', () => {
    const b = addBatch(EMPTY_JOB_BOOK, [job('a', { state: 'done' }), job('b', { state: 'embedding' }), job('c')]);
    const m = markCancelled(b, ['a', 'b', 'c', 'missing']);
    expect(orderedJobs(m).map((j) => j.state)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(m.jobs.b?.updatedAt).toBe(b.jobs.b?.updatedAt);
    expect(markCancelled(m, ['a', 'b'])).toBe(m);
    // The core's own event, newer, replaces the optimistic state; an older one does not.
    expect(mergeJob(m, job('b', { state: 'done', updatedAt: '2025-01-01T00:00:01.000Z' })).jobs.b?.state).toBe('done');
    expect(mergeJob(m, job('b', { state: 'embedding' })).jobs.b?.state).toBe('cancelled');
  });

  it('clears finished jobs only', () => {
    const b = addBatch(EMPTY_JOB_BOOK, [
      job('a', { state: 'done' }),
      job('b', { state: 'embedding' }),
      job('c', { state: 'failed' }),
      job('d', { state: 'cancelled' }),
    ]);
    const c = clearFinished(b);
    expect(ids(c)).toEqual(['b']);
    expect(Object.keys(c.jobs)).toEqual(['b']);
  });
});

describe('summaries and labels', () => {
  it('summarises a batch', () => {
    const s = summariseBatch([
      job('a', { state: 'done' }),
      job('b', { state: 'done' }),
      job('c', { state: 'done' }),
      job('d', { state: 'failed' }),
      job('e', { state: 'embedding' }),
    ]);
    expect(s).toEqual({ total: 5, indexed: 3, skipped: 0, passedOver: 0, failed: 1, cancelled: 0, pending: 1, finished: false });
    expect(formatBatchSummary(s)).toBe('3 of 5 files indexed, 1 failed — working…');
    expect(formatBatchSummary({ ...s, pending: 0, finished: true })).toBe('3 of 5 files indexed, 1 failed');
  });

  it('says "file" for one and mentions unchanged files', () => {
    expect(formatBatchSummary(summariseBatch([job('a', { state: 'skipped' })]))).toBe('0 of 1 file indexed, 1 unchanged');
    expect(formatBatchSummary(summariseBatch([]))).toBe('');
  });

  it('counts cancelled files as finished, and says so', () => {
    const s = summariseBatch([job('a', { state: 'done' }), job('b', { state: 'cancelled' }), job('c', { state: 'cancelled' })]);
    expect(s).toMatchObject({ total: 3, indexed: 1, cancelled: 2, pending: 0, finished: true });
    expect(formatBatchSummary(s)).toBe('1 of 3 files indexed, 2 cancelled');
  });

  it('labels cancelled jobs, and waiting jobs of a paused queue', () => {
    expect(jobStateLabel(job('a', { state: 'cancelled' }))).toBe('Cancelled');
    expect(jobStateLabel(job('a', { state: 'cancelled' }), false, true)).toBe('Cancelled');
    expect(jobStateLabel(job('a'), false, true)).toBe('Paused');
    expect(jobStateLabel(job('a', { state: 'embedding', chunksDone: 1, chunksTotal: 4 }), false, true)).toBe('Embedding 1/4');
    expect(jobProgressValue(job('a', { state: 'cancelled', chunksDone: 1, chunksTotal: 4 }))).toEqual({ value: 1, max: 4 });
    expect(jobProgressValue(job('a', { state: 'cancelled' }))).toEqual({ value: 0, max: 1 });
  });

  it('labels states, with chunk counts while embedding', () => {
    expect(jobStateLabel(job('a', { state: 'embedding', chunksDone: 3, chunksTotal: 10 }))).toBe('Embedding 3/10');
    expect(jobStateLabel(job('a', { state: 'parsing' }))).toBe('Reading');
    expect(jobStateLabel(job('a', { state: 'skipped', note: 'unchanged' }))).toBe('Skipped: unchanged');
    expect(jobStateLabel(job('a'), true)).toBe('Uploading…');
  });

  it('gives progress values, indeterminate before the chunk count is known', () => {
    expect(jobProgressValue(job('a'))).toEqual({ value: undefined, max: 1 });
    expect(jobProgressValue(job('a', { state: 'embedding', chunksDone: 2, chunksTotal: 8 }))).toEqual({ value: 2, max: 8 });
    expect(jobProgressValue(job('a', { state: 'done' }))).toEqual({ value: 1, max: 1 });
  });
});

describe('groupJobs', () => {
  it('folds only unchanged files; a file skipped for a reason of its own is shown with it and counted apart', () => {
    const jobs = [
      job('u1', { state: 'skipped', note: 'unchanged since it was last indexed' }),
      job('l1', { state: 'skipped', note: 'a link to a file outside notes (/etc/passwd); not followed' }),
      job('d1', { state: 'done' }),
    ];
    const g = groupJobs(jobs);
    expect(g.skipped.map((j) => j.jobId)).toEqual(['u1']);
    expect(g.finished.map((j) => j.jobId)).toEqual(['l1', 'd1']);
    expect(formatBatchSummary(summariseBatch(jobs))).toBe('1 of 3 files indexed, 1 unchanged, 1 skipped');
  });

  it('shows a file added again once: the latest batch’s row replaces an older one', () => {
    const at = (s: number) => `2025-01-01T00:00:0${s}.000Z`;
    const jobs = [
      job('old-pdf', { batchId: 'b1', sourcePath: '/n/broken.pdf', state: 'failed', updatedAt: at(1) }),
      job('old-md', { batchId: 'b1', sourcePath: '/n/a.md', state: 'done', updatedAt: at(1) }),
      job('old-up', { batchId: 'b1', fileName: 'up.txt', state: 'failed', updatedAt: at(1) }),
      job('new-pdf', { batchId: 'b2', sourcePath: '/n/broken.pdf', state: 'failed', updatedAt: at(5) }),
      job('new-md', { batchId: 'b2', sourcePath: '/n/a.md', state: 'queued', updatedAt: at(0) }),
      // Two files of one batch that share a name (uploads from two folders) both stay.
      job('twin-1', { batchId: 'b3', fileName: 'notes.txt', state: 'done', updatedAt: at(2) }),
      job('twin-2', { batchId: 'b3', fileName: 'notes.txt', state: 'done', updatedAt: at(3) }),
    ];
    const g = groupJobs(jobs);
    const names = (list: JobProgress[]) => list.map((j) => j.jobId);
    expect(names(g.failed)).toEqual(['old-up', 'new-pdf']);
    expect(names(g.active)).toEqual(['new-md']);
    expect(names(g.finished)).toEqual(['twin-1', 'twin-2']);
  });

  it('puts failures first and unchanged files last, keeping the order inside each group', () => {
    const jobs = [
      job('s1', { state: 'skipped' }),
      job('d1', { state: 'done' }),
      job('f1', { state: 'failed' }),
      job('s2', { state: 'skipped' }),
      job('q1', { state: 'queued' }),
      job('e1', { state: 'embedding' }),
      job('c1', { state: 'cancelled' }),
      job('f2', { state: 'failed' }),
    ];
    const g = groupJobs(jobs);
    const names = (list: JobProgress[]) => list.map((j) => j.jobId);
    expect(names(g.failed)).toEqual(['f1', 'f2']);
    expect(names(g.active)).toEqual(['q1', 'e1']);
    expect(names(g.finished)).toEqual(['d1', 'c1']);
    expect(names(g.skipped)).toEqual(['s1', 's2']);
  });
});
