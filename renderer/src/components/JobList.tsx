import { useMemo } from 'react';
import type { JobProgress } from '../../../core/api';
import { toUserError } from '../logic/errors';
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

function JobRow({ job, uploading }: { job: JobProgress; uploading: boolean }) {
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
          {jobStateLabel(job, uploading)}
        </span>
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

export function JobList() {
  const book = useKb((s) => s.jobBook);
  const batchIds = useKb((s) => s.batchJobIds);
  const uploadingId = useKb((s) => s.uploadingJobId);
  const ingestError = useKb((s) => s.ingestError);
  const clearFinishedJobs = useKb((s) => s.clearFinishedJobs);
  const reportIngestError = useKb((s) => s.reportIngestError);

  const jobs = useMemo(() => orderedJobs(book), [book]);
  const summary = useMemo(
    () => summariseBatch(batchIds.map((id) => book.jobs[id]).filter((j): j is JobProgress => j !== undefined)),
    [book, batchIds],
  );
  const anyFinished = jobs.some((j) => isFinished(j.state));

  if (jobs.length === 0 && !ingestError) return null;

  return (
    <section className="panel" aria-labelledby="jobs-heading">
      <div className="panel-head">
        <h2 id="jobs-heading">Indexing</h2>
        {anyFinished && (
          <button type="button" className="button subtle small" onClick={clearFinishedJobs}>
            Clear finished
          </button>
        )}
      </div>
      {ingestError && <ErrorNotice error={ingestError} onDismiss={() => reportIngestError(null)} />}
      <p
        className={`batch-summary${summary.failed && summary.finished ? ' has-failures' : ''}`}
        data-testid="batch-summary"
        aria-live="polite"
      >
        {formatBatchSummary(summary)}
      </p>
      {jobs.length > 0 && (
        <ul className="job-list">
          {jobs.map((job) => (
            <JobRow key={job.jobId} job={job} uploading={job.jobId === uploadingId && job.state === 'queued'} />
          ))}
        </ul>
      )}
    </section>
  );
}
