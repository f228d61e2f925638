import type { IngestStats } from '../../../core/api';
import { useFocusRescue } from '../hooks/useFocusRescue';
import { describeIngestStats } from '../logic/ingestStats';
import { useKb } from '../store';

/** Where focus goes when a control of the Indexing panel goes away. */
export const JOBS_HEADING_ID = 'jobs-heading';
export const FOCUS_FALLBACK = [JOBS_HEADING_ID, 'docs-heading'];

/** The queue as a whole: files done of total, chunks embedded, throughput and time left. */
export function IngestProgress({ stats }: { stats: IngestStats }) {
  const view = describeIngestStats(stats);
  return (
    <div className={`ingest-stats${stats.paused ? ' is-paused' : ''}`} data-testid="ingest-stats" data-paused={stats.paused}>
      <div className="ingest-line">
        <p className="batch-summary" data-testid="ingest-headline">
          {view.headline}
        </p>
        <p className="ingest-eta" data-testid="ingest-eta">
          {view.eta}
        </p>
      </div>
      <progress className="job-progress ingest-bar" value={view.value} max={view.max} aria-label={`All files: ${view.headline}`} />
      <p className="ingest-details" data-testid="ingest-details">
        {view.details.join(' · ')}
      </p>
    </div>
  );
}

function PauseIcon({ paused }: { paused: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      {paused ? (
        <path d="M4.5 3v10l8-5z" fill="currentColor" />
      ) : (
        <path d="M5 3v10M11 3v10" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      )}
    </svg>
  );
}

/**
 * Pause / Resume and Cancel all. Buttons stay focusable while a request is in flight
 * (aria-disabled, not disabled), so pressing one never throws keyboard focus away.
 */
export function IngestControls({ stats, canCancel }: { stats: IngestStats | null; canCancel: boolean }) {
  const pauseRequested = useKb((s) => s.pauseRequested);
  const cancellingAll = useKb((s) => s.cancellingAll);
  const setIngestPaused = useKb((s) => s.setIngestPaused);
  const cancelAllJobs = useKb((s) => s.cancelAllJobs);
  const ref = useFocusRescue<HTMLDivElement>(...FOCUS_FALLBACK);

  if (!stats && !canCancel) return null;
  const paused = stats?.paused ?? false;
  const pauseLabel = pauseRequested === 'pause' ? 'Pausing…' : pauseRequested === 'resume' ? 'Resuming…' : paused ? 'Resume' : 'Pause';

  return (
    <div className="ingest-controls" role="group" aria-label="Indexing queue" ref={ref}>
      {stats && (
        <button
          type="button"
          className="button small"
          data-testid="pause-toggle"
          aria-disabled={pauseRequested !== null}
          title={paused ? 'Continue indexing' : 'Stop starting new files until you resume (the current step finishes)'}
          onClick={() => {
            if (pauseRequested === null) void setIngestPaused(!paused);
          }}
        >
          <PauseIcon paused={paused} />
          {pauseLabel}
        </button>
      )}
      {canCancel && (
        <button
          type="button"
          className="button small danger-text"
          data-testid="cancel-all"
          aria-disabled={cancellingAll}
          title="Cancel every file not indexed yet (indexed files stay)"
          onClick={() => {
            if (!cancellingAll) void cancelAllJobs();
          }}
        >
          {cancellingAll ? 'Cancelling…' : 'Cancel all'}
        </button>
      )}
    </div>
  );
}
