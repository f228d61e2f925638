import type { StateCreator } from 'zustand';
import type { JobProgress, KbClient, KbErrorShape } from '../../../core/api';
import { chunk } from '../dnd/paths';
import { settle } from '../kb/unwrap';
import {
  EMPTY_JOB_BOOK,
  LOCAL_JOB_PREFIX,
  addBatch,
  clearFinished,
  isFinished,
  mergeJob,
  mergeJobs,
  replaceJob,
  updateJob,
} from '../logic/jobs';
import { checkUploadSize, stopsTheQueue, uploadLimitBytes } from '../logic/upload';
import type { IngestionSlice, KbState } from './types';

/** The contract accepts at most this many paths per ingestFiles call. */
const MAX_PATHS_PER_CALL = 10_000;

/** A new batch starts when the previous one has finished; otherwise new jobs join it. */
function extendBatch(s: KbState, ids: readonly string[]): string[] {
  const running = s.batchJobIds.some((id) => {
    const job = s.jobBook.jobs[id];
    return job !== undefined && !isFinished(job.state);
  });
  return running ? [...s.batchJobIds, ...ids] : [...ids];
}

export const createIngestionSlice =
  (client: KbClient): StateCreator<KbState, [], [], IngestionSlice> =>
  (set, get) => {
    // Files waiting for upload stay out of the store: File objects are not state to render.
    const queue: { jobId: string; file: File }[] = [];
    let pumping = false;
    let localSeq = 0;

    function fail(jobId: string, error: KbErrorShape): void {
      set((s) => ({
        jobBook: updateJob(s.jobBook, jobId, { state: 'failed', error, updatedAt: new Date().toISOString() }),
      }));
    }

    function accept(jobId: string, jobs: JobProgress[]): void {
      if (jobs.length === 0) {
        set((s) => ({
          jobBook: updateJob(s.jobBook, jobId, { state: 'skipped', note: 'nothing to index', updatedAt: new Date().toISOString() }),
        }));
        return;
      }
      const ids = jobs.map((j) => j.jobId);
      set((s) => ({
        jobBook: replaceJob(s.jobBook, jobId, jobs),
        batchJobIds: s.batchJobIds.flatMap((id) => (id === jobId ? ids : [id])),
      }));
    }

    async function uploadOne(jobId: string, file: File): Promise<KbErrorShape | null> {
      const tooBig = checkUploadSize(file, uploadLimitBytes(get().settings));
      if (tooBig) return tooBig;
      set({ uploadingJobId: jobId });
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return { kind: 'Internal', message: `Could not read “${file.name}” in the browser: ${why}` };
      }
      const r = await settle(() => client.ingestUpload({ name: file.name, bytes }));
      if (!r.ok) return r.error;
      accept(jobId, r.value.jobs);
      return null;
    }

    async function pump(): Promise<void> {
      if (pumping) return;
      pumping = true;
      try {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const error = await uploadOne(next.jobId, next.file);
          set({ uploadingJobId: null });
          if (!error) continue;
          fail(next.jobId, error);
          if (stopsTheQueue(error)) {
            // The rest would wait only to fail the same way.
            for (const rest of queue.splice(0)) fail(rest.jobId, error);
          }
        }
      } finally {
        pumping = false;
        set({ uploadingJobId: null });
      }
    }

    return {
      jobBook: EMPTY_JOB_BOOK,
      batchJobIds: [],
      uploadingJobId: null,
      ingestError: null,

      async refreshJobs() {
        const r = await settle(() => client.listJobs());
        // A failure here is the core being unreachable, which the connection banner reports.
        if (r.ok) set((s) => ({ jobBook: mergeJobs(s.jobBook, r.value) }));
      },

      applyProgress(job) {
        set((s) => ({ jobBook: mergeJob(s.jobBook, job) }));
      },

      async ingestPaths(paths) {
        const unique = [...new Set(paths.filter((p) => p !== ''))];
        if (unique.length === 0) {
          set({
            ingestError: {
              kind: 'ValidationError',
              message: 'Nothing to index: what was dropped is not a file or folder on this computer.',
            },
          });
          return;
        }
        for (const group of chunk(unique, MAX_PATHS_PER_CALL)) {
          const r = await settle(() => client.ingestFiles({ paths: group }));
          if (!r.ok) {
            set({ ingestError: r.error });
            return;
          }
          const ids = r.value.jobs.map((j) => j.jobId);
          set((s) => ({
            jobBook: addBatch(s.jobBook, r.value.jobs),
            batchJobIds: extendBatch(s, ids),
            ingestError: null,
          }));
        }
      },

      uploadFiles(files) {
        if (files.length === 0) return;
        const n = ++localSeq;
        const updatedAt = new Date().toISOString();
        const placeholders: JobProgress[] = files.map((file, i) => ({
          jobId: `${LOCAL_JOB_PREFIX}${n}-${i}`,
          batchId: `${LOCAL_JOB_PREFIX}batch-${n}`,
          fileName: file.name,
          state: 'queued',
          chunksDone: 0,
          chunksTotal: 0,
          updatedAt,
        }));
        set((s) => ({
          jobBook: addBatch(s.jobBook, placeholders),
          batchJobIds: extendBatch(s, placeholders.map((p) => p.jobId)),
          ingestError: null,
        }));
        files.forEach((file, i) => queue.push({ jobId: placeholders[i]!.jobId, file }));
        void pump();
      },

      clearFinishedJobs() {
        set((s) => {
          const jobBook = clearFinished(s.jobBook);
          return { jobBook, batchJobIds: s.batchJobIds.filter((id) => id in jobBook.jobs) };
        });
      },

      reportIngestError(error) {
        set({ ingestError: error });
      },
    };
  };
