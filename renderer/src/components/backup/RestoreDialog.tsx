import { useEffect, useRef } from 'react';
import { useModalDialog } from '../../hooks/useModalDialog';
import { fileNameOf, restoreWarning } from '../../logic/backups';
import { useKb } from '../../store';
import { canRetryWithReindex } from '../../store/backupSlice';
import { ErrorNotice } from '../ErrorNotice';
import { BackupProgress } from './BackupProgress';

const TITLE_ID = 'restore-dialog-title';

/** How many documents the library holds now: Status's count, else the loaded list (null: not known). */
function useCurrentDocuments(): number | null {
  return useKb((s) => s.status?.counts.documents ?? (s.libraryStatus === 'ready' ? s.documents.length : null));
}

/**
 * Restoring replaces the library: this dialog says so (with how many documents it holds now)
 * before anything happens, then shows the restore's progress and how it ended. On another
 * model's backup it offers to restore and re-index.
 */
export function RestoreDialog() {
  const run = useKb((s) => s.restoreRun);
  const confirm = useKb((s) => s.confirmRestore);
  const close = useKb((s) => s.closeRestore);
  const documents = useCurrentDocuments();
  const dialogRef = useModalDialog();
  const closeRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const running = run.step === 'running';

  // The pressed button is gone while it runs: focus stays in the dialog, on its title. When it
  // ends, focus goes to Close, so Enter or Escape dismisses the outcome just announced.
  useEffect(() => {
    if (run.step === 'running') headingRef.current?.focus();
    if (run.step === 'done' || run.step === 'failed') closeRef.current?.focus();
  }, [run.step]);

  if (run.step === 'idle') return null;
  const name = fileNameOf(run.path);
  const title =
    run.step === 'confirm' ? 'Restore this backup?' : run.step === 'running' ? 'Restoring the backup…' : run.step === 'done' ? 'Backup restored' : 'The backup was not restored';

  return (
    <dialog
      ref={dialogRef}
      className="status-dialog restore-dialog"
      aria-labelledby={TITLE_ID}
      aria-busy={running || undefined}
      data-testid="restore-dialog"
      data-step={run.step}
      onClose={close}
      // Escape closes it, except while the restore runs (it cannot be stopped halfway).
      onCancel={(e) => running && e.preventDefault()}
    >
      {/* Focusable only while it runs: at first showModal must focus Cancel, the first focusable element. */}
      <h2 id={TITLE_ID} ref={headingRef} tabIndex={running ? -1 : undefined}>
        {title}
      </h2>
      <p className="restore-file">
        <strong>{name}</strong>
        <span className="backup-path restore-file-path" data-testid="restore-path">
          {run.path}
        </span>
      </p>

      {run.step === 'confirm' && (
        <p className="restore-warning" data-testid="restore-warning">
          {restoreWarning(documents)}
        </p>
      )}
      {run.step === 'running' &&
        (run.progress ? (
          <BackupProgress status={run.progress} titleId="restore-progress-title" headingLevel={3} />
        ) : (
          <p className="status-message" role="status">
            Starting the restore…
          </p>
        ))}
      {run.step === 'done' && (
        <p className="settings-ok restore-outcome" role="status" data-testid="restore-outcome">
          {run.result.message}
        </p>
      )}
      {run.step === 'failed' && <ErrorNotice error={run.error} context="backup" />}

      <div className="status-dialog-actions">
        {run.step === 'confirm' && (
          <>
            {/* Cancel first: showModal focuses it, so the safe choice is the default. */}
            <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
            <button type="button" className="button danger" data-testid="restore-confirm" onClick={() => void confirm()}>
              Replace the library
            </button>
          </>
        )}
        {running && (
          <button type="button" className="button" disabled>
            Restoring…
          </button>
        )}
        {(run.step === 'done' || run.step === 'failed') && (
          <>
            <button ref={closeRef} type="button" className="button" data-testid="restore-close" onClick={() => dialogRef.current?.close()}>
              Close
            </button>
            {canRetryWithReindex(run) && (
              <button type="button" className="button danger" data-testid="restore-reindex" onClick={() => void confirm({ reindex: true })}>
                Restore and re-index
              </button>
            )}
          </>
        )}
      </div>
    </dialog>
  );
}
