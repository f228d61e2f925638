import { useState } from 'react';
import { useModalDialog } from '../../hooks/useModalDialog';
import type { KbErrorShape } from '../../../../core/api';
import { describeReconcileReport } from '../../logic/statusFigures';
import { useKb } from '../../store';
import { ErrorNotice } from '../ErrorNotice';

const TITLE_ID = 'reset-dialog-title';

/** Confirms "Reset to this database": says what will be deleted before anything is. */
export function ResetDialog({ effects, onClose }: { effects: string[]; onClose: () => void }) {
  const reset = useKb((s) => s.resetStoresToRelational);
  const pushToast = useKb((s) => s.pushToast);
  const dialogRef = useModalDialog();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KbErrorShape | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const r = await reset();
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    pushToast({ text: describeReconcileReport(r.value), tone: r.value.mismatch ? 'bad' : 'ok', showFailures: false });
    dialogRef.current?.close();
  };

  return (
    <dialog
      ref={dialogRef}
      className="status-dialog"
      aria-labelledby={TITLE_ID}
      data-testid="reset-dialog"
      onClose={onClose}
      onCancel={(e) => busy && e.preventDefault()}
    >
      <h2 id={TITLE_ID}>Reset to this database?</h2>
      <p>The library becomes what the relational database lists now. This:</p>
      <ul>
        {effects.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
      <p>To keep everything instead, cancel and move the library from Settings.</p>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      <div className="status-dialog-actions">
        {/* Cancel first: showModal focuses it, so the safe choice is the default. */}
        <button type="button" className="button" disabled={busy} onClick={() => dialogRef.current?.close()}>
          Cancel
        </button>
        <button type="button" className="button danger" data-testid="reset-confirm" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Resetting…' : 'Delete and reset'}
        </button>
      </div>
    </dialog>
  );
}
