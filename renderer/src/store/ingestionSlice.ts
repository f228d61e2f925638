import type { StateCreator } from 'zustand';
import type { IngestAccepted, JobProgress, KbClient, KbErrorShape } from '../../../core/api';
import { chunk } from '../dnd/paths';
import { settle } from '../kb/unwrap';
import {
  EMPTY_JOB_BOOK,
  LOCAL_JOB_PREFIX,
  addBatch,
  clearFinished,
  isFinished,
  isLocalJob,
  markCancelled,
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
    // The local job whose upload is in flight, and local jobs cancelled while in flight: the
    // request cannot be taken back, so the core's jobs for them are cancelled once it answers.
    let inFlight: string | null = null;
    const cancelOnAccept = new Set<string>();

    function withoutIds(map: Record<string, true>, ids: readonly string[]): Record<string, true> {
      const next = { ...map };
      for (const id of ids) delete next[id];
      return next;
    }

    /** Cancels the core's jobs for an upload the user cancelled while it was being sent. */
    async function cancelAccepted(localId: string, accepted: IngestAccepted): Promise<void> {
      const ids = accepted.jobs.map((j) => j.jobId);
      set((s) => ({ cancelling: { ...withoutIds(s.cancelling, [localId]), ...Object.fromEntries(ids.map((id) => [id, true])) } }));
      const r = await settle(() => client.cancelIngest({ batchId: accepted.batchId }));
      set((s) => {
        const cancelling = withoutIds(s.cancelling, ids);
        if (!r.ok) return { cancelling, ingestError: r.error };
        return { cancelling, jobBook: r.value.cancelled > 0 ? markCancelled(s.jobBook, ids) : s.jobBook };
      });
    }

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
      if (cancelOnAccept.has(jobId) && r.value.jobs.length > 0) await cancelAccepted(jobId, r.value);
      return null;
    }

    async function pump(): Promise<void> {
      if (pumping) return;
      pumping = true;
      try {
        for (let next = queue.shift(); next; next = queue.shift()) {
          inFlight = next.jobId;
          const error = await uploadOne(next.jobId, next.file);
          const cancelled = cancelOnAccept.delete(next.jobId);
          inFlight = null;
          set((s) => ({ uploadingJobId: null, cancelling: withoutIds(s.cancelling, [next.jobId]) }));
          if (!error) continue;
          // The user had cancelled it: what went wrong no longer matters to them.
          if (cancelled) set((s) => ({ jobBook: markCancelled(s.jobBook, [next.jobId]) }));
          else fail(next.jobId, error);
          if (stopsTheQueue(error)) {
            // The rest would wait only to fail the same way.
            for (const rest of queue.splice(0)) fail(rest.jobId, error);
          }
        }
      } finally {
        pumping = false;
        inFlight = null;
        set({ uploadingJobId: null });
      }
    }

    return {
      jobBook: EMPTY_JOB_BOOK,
      batchJobIds: [],
      uploadingJobId: null,
      ingestError: null,
      ingestStats: null,
      ingestStatsVersion: 0,
      pauseRequested: null,
      cancelling: {},
      cancellingAll: false,
      keepInSync: false,

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
        const watch = get().keepInSync;
        let accepted = false;
        for (const group of chunk(unique, MAX_PATHS_PER_CALL)) {
          const r = await settle(() => client.ingestFiles(watch ? { paths: group, watch: true } : { paths: group }));
          if (!r.ok) {
            set({ ingestError: r.error });
            break;
          }
          accepted = true;
          const ids = r.value.jobs.map((j) => j.jobId);
          set((s) => ({
            jobBook: addBatch(s.jobBook, r.value.jobs),
            batchJobIds: extendBatch(s, ids),
            ingestError: null,
          }));
        }
        // The folders just dropped are now on the watch list.
        if (watch && accepted) await get().refreshWatchedFolders();
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

      applyIngestStats(stats) {
        set((s) => ({ ingestStats: stats, ingestStatsVersion: s.ingestStatsVersion + 1 }));
      },

      async setIngestPaused(paused) {
        if (get().pauseRequested) return;
        set({ pauseRequested: paused ? 'pause' : 'resume' });
        const r = await settle(() => (paused ? client.pauseIngest() : client.resumeIngest()));
        set({ pauseRequested: null });
        if (r.ok) get().applyIngestStats(r.value);
        else set({ ingestError: r.error });
      },

      async cancelJob(jobId) {
        const s = get();
        const job = s.jobBook.jobs[jobId];
        if (!job || isFinished(job.state) || s.cancelling[jobId]) return;
        if (isLocalJob(jobId)) {
          const waiting = queue.findIndex((q) => q.jobId === jobId);
          if (waiting !== -1) {
            // Not sent yet: it simply never will be.
            queue.splice(waiting, 1);
            set((st) => ({ jobBook: markCancelled(st.jobBook, [jobId]) }));
          } else if (inFlight === jobId) {
            cancelOnAccept.add(jobId);
            set((st) => ({ cancelling: { ...st.cancelling, [jobId]: true } }));
          }
          return;
        }
        set((st) => ({ cancelling: { ...st.cancelling, [jobId]: true } }));
        const r = await settle(() => client.cancelIngest({ jobId }));
        set((st) => {
          const cancelling = withoutIds(st.cancelling, [jobId]);
          if (!r.ok) return { cancelling, ingestError: r.error };
          // 0 means it finished first; its own progress event says how.
          return { cancelling, jobBook: r.value.cancelled > 0 ? markCancelled(st.jobBook, [jobId]) : st.jobBook };
        });
      },

      async cancelAllJobs() {
        if (get().cancellingAll) return;
        const notSent = queue.splice(0).map((q) => q.jobId);
        if (inFlight !== null) cancelOnAccept.add(inFlight);
        set((s) => ({ jobBook: markCancelled(s.jobBook, notSent), cancellingAll: true }));
        const r = await settle(() => client.cancelIngest());
        set((s) => {
          if (!r.ok) return { cancellingAll: false, ingestError: r.error };
          if (r.value.cancelled === 0) return { cancellingAll: false };
          // Everything unfinished in the core is cancelled now; its events follow.
          return { cancellingAll: false, jobBook: markCancelled(s.jobBook, s.jobBook.order.filter((id) => !isLocalJob(id))) };
        });
      },

      setKeepInSync(keep) {
        set({ keepInSync: keep });
      },
    };
  };
