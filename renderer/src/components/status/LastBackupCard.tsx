import type { BackupStatus, LastBackup } from '../../../../core/api';
import { describeLastBackup } from '../../logic/backups';
import { useKb } from '../../store';
import { BackupProgress } from '../backup/BackupProgress';
import '../../styles/backup.css';

/**
 * The last backup: when (how long ago, and the date), made by hand or by the schedule, what it
 * holds and where it is; a backup or restore under way (or one that failed) above it.
 */
export function LastBackupCard({ last, current, now }: { last: LastBackup | null; current?: BackupStatus; now: number }) {
  const openSettings = useKb((s) => s.openSettings);
  const v = describeLastBackup(last, now);
  const showCurrent = current && current.state !== 'done';
  return (
    <section className="panel status-card" aria-labelledby="status-backup" data-testid="last-backup">
      <h3 id="status-backup">Last backup</h3>
      {showCurrent && <BackupProgress status={current} titleId="status-backup-progress" headingLevel={4} />}
      {v.empty ? (
        <>
          <p className="status-empty" data-testid="last-backup-headline">
            {v.headline}
          </p>
          <p className="status-message">{v.hint}</p>
          <p>
            <button type="button" className="button small" data-testid="last-backup-open-settings" onClick={() => openSettings('backup.keep')}>
              Open Settings › Backup
            </button>
          </p>
        </>
      ) : (
        <>
          <p className="status-big" data-testid="last-backup-headline">
            {v.headline}
          </p>
          <p className="status-message" data-testid="last-backup-date">
            {v.absolute}
          </p>
          <dl className="status-pairs">
            <div>
              <dt>Made</dt>
              <dd data-testid="last-backup-how">{v.how}</dd>
            </div>
            <div>
              <dt>Holds</dt>
              <dd data-testid="last-backup-documents">{v.documents}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd data-testid="last-backup-size">{v.size}</dd>
            </div>
            <div className="status-pair-stacked">
              <dt>File</dt>
              <dd className="backup-path backup-path-figure" data-testid="last-backup-path">
                {v.path}
              </dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}
