import { useEffect, useRef, useState } from 'react';
import { toastDuration, type Toast } from '../logic/toasts';
import { useKb } from '../store';
import { JOBS_HEADING_ID } from './IngestProgress';

/** Brings the failed files into view (they head the job list) and moves focus to that panel. */
function showFailures() {
  document.querySelector('[data-testid="failed-jobs"]')?.scrollIntoView({ block: 'nearest' });
  document.getElementById(JOBS_HEADING_ID)?.focus();
}

function ToastItem({ toast }: { toast: Toast }) {
  const dismissToast = useKb((s) => s.dismissToast);
  // Held open while the pointer or focus is on it, so it never vanishes under the user's hand.
  const [held, setHeld] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => dismissToast(toast.id), toastDuration(toast));
    return () => clearTimeout(timer);
  }, [held, toast, dismissToast]);

  return (
    <div
      ref={ref}
      className={`toast toast-${toast.tone}`}
      data-testid="toast"
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(e) => {
        if (!ref.current?.contains(e.relatedTarget as Node | null)) setHeld(false);
      }}
    >
      <span className={`dot ${toast.tone === 'bad' ? 'dot-bad' : 'dot-ok'}`} aria-hidden="true" />
      <p className="toast-text">{toast.text}</p>
      {toast.showFailures && (
        <button
          type="button"
          className="button small subtle"
          data-testid="toast-show"
          onClick={() => {
            showFailures();
            dismissToast(toast.id);
          }}
        >
          Show
        </button>
      )}
      <button type="button" className="icon-button toast-close" aria-label="Dismiss" title="Dismiss" data-testid="toast-dismiss" onClick={() => dismissToast(toast.id)}>
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      </button>
    </div>
  );
}

/**
 * Toasts for finished work, at the window's bottom edge. The region is always in the page so each
 * new toast is announced (politely); toasts never take focus, and go away by themselves.
 */
export function Toasts() {
  const toasts = useKb((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
