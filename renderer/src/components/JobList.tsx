import { useId, useMemo, useState } from 'react';
import type { JobProgress } from '../../../core/api';
import { useFocusRescue } from '../hooks/useFocusRescue';
import { toUserError } from '../logic/errors';
import { ingestAnnouncement, isRunActive } from '../logic/ingestStats';
import {
  formatBatchSummary,
  groupJobs,
  isFinished,
  jobProgressValue,
  jobStateLabel,
  orderedJobs,
  summariseBatch,
} from '../logic/jobs';
import { useKb } from '../store';
import { ErrorNotice, OpenSettingsButton } from './ErrorNotice';
import { FOCUS_FALLBACK, IngestControls, IngestProgress, JOBS_HEADING_ID } from './IngestProgress';

function CancelJobButton({ job }: { job: JobProgress }) {
  const cancelling = useKb((s) => s.cancelling[job.jobId] === true);
  const cancelJob = useKb((s) => s.cancelJob);
  // Once cancelled the button goes away; focus moves to the panel's heading, not to <body>.
  const ref = useFocusRescue<HTMLButtonElement>(...FOCUS_FALLBACK);
  return (
    <button
      ref={ref}
      type="button"
      className="icon-button job-cancel"
      data-testid="cancel-job"
      aria-label={`Cancel ${job.fileName}`}
      aria-disabled={cancelling}
      title="Cancel"
      onClick={() => {
        if (!cancelling) void cancelJob(job.jobId);
      }}
    >
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
    </button>
  );
}

function JobRow({ job, uploading, paused }: { job: JobProgress; uploading: boolean; paused: boolean }) {
  const cancelling = useKb((s) => s.cancelling[job.jobId] === true);
  const { value, max } = jobProgressValue(job);
  const failed = job.state === 'failed';
  const user = failed && job.error ? toUserError(job.error) : null;
  return (
    <li className={`job job-${job.state}`} data-testid="job-row" data-state={job.state}>
      <div className="job-line">
        {/* The whole name, wrapped where it must: "book-of-…" told nobody which book failed. */}
        <span className="job-name" data-testid="job-name" title={job.sourcePath ?? job.fileName}>
          {job.fileName}
        </span>
        <span className="job-state" data-testid="job-state">
          {cancelling ? 'Cancelling…' : jobStateLabel(job, uploading, paused)}
        </span>
        {!isFinished(job.state) && <CancelJobButton job={job} />}
      </div>
      {!failed && (
        <progress
          className="job-progress"
          value={value}
          max={max}
          aria-label={`${job.fileName}: ${job.chunksDone} of ${job.chunksTotal} chunks`}
        />
      )}
      {user && (
        <div className="job-error" data-testid="job-error" data-kind={user.kind}>
          <p>{user.message}</p>
          <p className="job-hint">{user.hint}</p>
          {user.opensSettings && <OpenSettingsButton className="button small subtle" field={user.settingsField} />}
        </div>
      )}
    </li>
  );
}

/** Unchanged files of a re-added folder: counted, and listed only on demand so failures stay in view. */
function SkippedJobs({ jobs, paused }: { jobs: JobProgress[]; paused: boolean }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (jobs.length === 0) return null;
  return (
    <div className="job-skipped" data-testid="skipped-jobs">
      <button type="button" className="button small subtle passages-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        <svg className="chevron" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {jobs.length === 1 ? '1 file unchanged, skipped' : `${jobs.length} files unchanged, skipped`}
      </button>
      <ul id={listId} className="job-list" hidden={!open}>
        {open && jobs.map((job) => <JobRow key={job.jobId} job={job} uploading={false} paused={paused} />)}
      </ul>
    </div>
  );
}

function ClearFinishedButton() {
  const clearFinishedJobs = useKb((s) => s.clearFinishedJobs);
  const ref = useFocusRescue<HTMLButtonElement>(...FOCUS_FALLBACK);
  return (
    <button ref={ref} type="button" className="button subtle small" onClick={clearFinishedJobs}>
      Clear finished
    </button>
  );
}

export function JobList() {
  const book = useKb((s) => s.jobBook);
  const batchIds = useKb((s) => s.batchJobIds);
  const uploadingId = useKb((s) => s.uploadingJobId);
  const ingestError = useKb((s) => s.ingestError);
  const stats = useKb((s) => s.ingestStats);
  const reportIngestError = useKb((s) => s.reportIngestError);

  const jobs = useMemo(() => orderedJobs(book), [book]);
  // Failures first, so they are seen without scrolling past files that were fine.
  const groups = useMemo(() => groupJobs(jobs), [jobs]);
  const summary = useMemo(
    () => summariseBatch(batchIds.map((id) => book.jobs[id]).filter((j): j is JobProgress => j !== undefined)),
    [book, batchIds],
  );
  const anyFinished = jobs.some((j) => isFinished(j.state));
  const anyUnfinished = jobs.some((j) => !isFinished(j.state));
  const running = isRunActive(stats);
  const canCancel = anyUnfinished || (stats !== null && stats.filesDone < stats.filesTotal);
  const paused = stats?.paused ?? false;
  const visible = jobs.length > 0 || ingestError !== null || running;

  return (
    <>
      {/* Always in the page (at the same place in the tree), so even its first message is announced. */}
      <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="ingest-announcement">
        {ingestAnnouncement(stats, summary)}
      </p>
      {visible && (
        <section className="panel jobs-panel" aria-labelledby={JOBS_HEADING_ID} data-testid="jobs-panel">
          <div className="panel-head">
            <h2 id={JOBS_HEADING_ID} tabIndex={-1}>
              Indexing
            </h2>
            {anyFinished && <ClearFinishedButton />}
          </div>
          {ingestError && <ErrorNotice error={ingestError} onDismiss={() => reportIngestError(null)} />}
          {running ? (
            <IngestProgress stats={stats} />
          ) : (
            <p className={`batch-summary${summary.failed && summary.finished ? ' has-failures' : ''}`} data-testid="batch-summary">
              {formatBatchSummary(summary)}
            </p>
          )}
          {(running || anyUnfinished) && <IngestControls stats={stats} canCancel={canCancel} />}
          {jobs.length > 0 && (
            <div className="job-scroll">
              {groups.failed.length > 0 && (
                <ul className="job-list job-list-failed" aria-label={`${groups.failed.length} failed`} data-testid="failed-jobs">
                  {groups.failed.map((job) => (
                    <JobRow key={job.jobId} job={job} uploading={false} paused={paused} />
                  ))}
                </ul>
              )}
              {groups.active.length + groups.finished.length > 0 && (
                <ul className="job-list">
                  {[...groups.active, ...groups.finished].map((job) => (
                    <JobRow key={job.jobId} job={job} uploading={job.jobId === uploadingId && job.state === 'queued'} paused={paused} />
                  ))}
                </ul>
              )}
              <SkippedJobs jobs={groups.skipped} paused={paused} />
            </div>
          )}
        </section>
      )}
    </>
  );
}
