import { useMemo } from 'react';
import type { JobProgress } from '../../../core/api';
import { useFocusRescue } from '../hooks/useFocusRescue';
import { toUserError } from '../logic/errors';
import { ingestAnnouncement, isRunActive } from '../logic/ingestStats';
import {
  formatBatchSummary,
  isFinished,
  jobProgressValue,
  jobStateLabel,
  orderedJobs,
  summariseBatch,
} from '../logic/jobs';
import { useKb } from '../store';
import { ErrorNotice } from './ErrorNotice';
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
        <span className="job-name" title={job.sourcePath ?? job.fileName}>
          {job.fileName}
        </span>
        <span className="job-state" data-testid="job-state">
          {cancelling ? 'Cancelling…' : jobStateLabel(job, uploading, paused)}
        </span>
        {!isFinished(job.state) && <CancelJobButton job={job} />}
      </div>
      <progress
        className="job-progress"
        value={value}
        max={max}
        aria-label={`${job.fileName}: ${job.chunksDone} of ${job.chunksTotal} chunks`}
      />
      {user && (
        <p className="job-error" data-testid="job-error" data-kind={user.kind}>
          {user.message} <span className="job-hint">{user.hint}</span>
        </p>
      )}
    </li>
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
        <section className="panel" aria-labelledby={JOBS_HEADING_ID} data-testid="jobs-panel">
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
            <ul className="job-list">
              {jobs.map((job) => (
                <JobRow key={job.jobId} job={job} uploading={job.jobId === uploadingId && job.state === 'queued'} paused={paused} />
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
