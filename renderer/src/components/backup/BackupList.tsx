import { describeBackupInfo, newestFirst } from '../../logic/backups';
import { useKb } from '../../store';
import { backupBusy } from '../../store/backupSlice';
import { ErrorNotice } from '../ErrorNotice';

/** The archives in the data folder's backups/, newest first, each with "Restore…" (which asks first). */
export function BackupList() {
  const backups = useKb((s) => s.backups);
  const folder = useKb((s) => s.backupFolder);
  const error = useKb((s) => s.backupsError);
  const busy = useKb(backupBusy);
  const askRestore = useKb((s) => s.askRestore);

  // Shown until a later listing succeeds (opening Settings again, or a backup's end, lists them again).
  if (error) return <ErrorNotice error={error} context="backup" />;
  if (!backups) return <p className="muted">Loading the backups…</p>;
  return (
    <div className="backup-list-wrap">
      <p className="settings-hint" data-testid="backup-folder">
        Saved in <span className="backup-path">{folder}</span>
      </p>
      {backups.length === 0 ? (
        <p className="muted" data-testid="backup-list-empty">
          No backups in this folder yet.
        </p>
      ) : (
        <ul className="backup-list" aria-label="Backups, newest first" data-testid="backup-list">
          {newestFirst(backups).map((b) => {
            const row = describeBackupInfo(b);
            const nameId = `backup-name-${row.name.replace(/[^a-zA-Z0-9-]/g, '-')}`;
            return (
              <li key={row.key} className="backup-row" data-testid="backup-row">
                <div className="backup-row-text">
                  <span id={nameId} className="backup-row-name backup-path" data-testid="backup-row-name">
                    {row.name}
                  </span>
                  <span className="backup-row-meta">
                    {row.date} · {row.size} · <span data-testid="backup-row-kind">{row.kind}</span>
                  </span>
                </div>
                <button type="button" className="button small" aria-describedby={nameId} data-testid="backup-row-restore" disabled={busy} onClick={() => askRestore(b.path)}>
                  Restore…
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
