import { useState } from 'react';
import type { StoreMismatch } from '../../../../core/api';
import { describeMismatch } from '../../logic/statusFigures';
import { useKb } from '../../store';
import { ResetDialog } from './ResetDialog';

/**
 * The stores hold different libraries (one provider was pointed somewhere new): nothing was
 * deleted, and the user chooses — move the library with a provider change, or keep only what the
 * relational database lists.
 */
export function MismatchNotice({ mismatch, relational, vector }: { mismatch: StoreMismatch; relational: string; vector: string }) {
  const setView = useKb((s) => s.setView);
  const [confirming, setConfirming] = useState(false);
  const v = describeMismatch(mismatch, relational, vector);
  return (
    <section className="status-mismatch" aria-labelledby="status-mismatch-title" data-testid="mismatch">
      <svg className="status-mismatch-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <path d="M12 3l10 18H2L12 3z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
        <path d="M12 10v5M12 18v.01" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <div className="status-mismatch-body">
        <h3 id="status-mismatch-title">{v.title}</h3>
        <p>{v.explanation}</p>
        <div className="status-mismatch-actions">
          <button type="button" className="button primary" data-testid="mismatch-move" onClick={() => setView('settings')}>
            Move the library…
          </button>
          <button type="button" className="button danger-text" data-testid="mismatch-reset" onClick={() => setConfirming(true)}>
            Reset to this database…
          </button>
        </div>
        <p className="status-sub">
          Moving copies the library into the stores you pick in Settings; resetting keeps what this relational database lists and deletes the rest.
        </p>
      </div>
      {confirming && <ResetDialog effects={v.resetEffects} onClose={() => setConfirming(false)} />}
    </section>
  );
}
