import { describeBackupResult } from '../../logic/backups';
import { formatBytes } from '../../logic/format';
import { useKb } from '../../store';
import { backupBusy } from '../../store/backupSlice';
import { ErrorNotice } from '../ErrorNotice';
import { BackupProgress } from './BackupProgress';

/** "Back up now": acts at once (no Apply), shows the progress, then the file written or the error. */
export function BackUpNow() {
  const run = useKb((s) => s.backupRun);
  const busy = useKb(backupBusy);
  const backUp = useKb((s) => s.backUpNow);
  const dismiss = useKb((s) => s.dismissBackupRun);
  // A backup or restore this screen did not start (the schedule's): its progress, so the disabled button is explained.
  const other = useKb((s) => (s.backupRun.step !== 'running' && s.restoreRun.step !== 'running' && s.status?.backup?.state === 'running' ? s.status.backup : null));
  return (
    <div className="backup-now" data-testid="backup-now">
      <div className="backup-now-row">
        <button type="button" className="button primary" data-testid="backup-now-button" disabled={busy} onClick={() => void backUp()}>
          {run.step === 'running' ? 'Backing up…' : 'Back up now'}
        </button>
        <p className="settings-hint backup-now-hint">Writes one .tar.gz file into the folder below. Searching goes on meanwhile; indexing waits.</p>
      </div>
      {run.step === 'running' && run.progress && <BackupProgress status={run.progress} titleId="backup-now-progress" headingLevel={4} />}
      {run.step === 'running' && !run.progress && (
        <p className="status-message" role="status">
          Starting the backup…
        </p>
      )}
      {other && <BackupProgress status={other} titleId="backup-other-progress" headingLevel={4} />}
      {run.step === 'done' && (
        <div className="backup-result" role="status" data-testid="backup-result">
          <p className="settings-ok">
            Backup written: <span className="backup-path">{run.result.name}</span> ({formatBytes(run.result.bytes)})
          </p>
          <p className="status-message">{describeBackupResult(run.result)}</p>
          <p className="status-message backup-path" data-testid="backup-result-path">
            {run.result.path}
          </p>
        </div>
      )}
      {run.step === 'error' && <ErrorNotice error={run.error} context="backup" onDismiss={dismiss} />}
    </div>
  );
}
