import { useEffect, useRef } from 'react';
import { useKb } from '../store';

const TITLE_ID = 'about-title';

/**
 * The About box of the browser UI (the desktop app has its native one, from Help → About): the
 * app's version as the service reports it. A modal dialog: Esc or Close closes it, and focus goes
 * back to what had it.
 */
export function AboutDialog() {
  const version = useKb((s) => s.status?.version);
  const setAboutOpen = useKb((s) => s.setAboutOpen);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    closeRef.current?.focus();
    return () => {
      if (opener?.isConnected) setTimeout(() => opener.focus(), 0);
    };
  }, []);

  return (
    <dialog ref={dialogRef} className="about" aria-labelledby={TITLE_ID} data-testid="about" onClose={() => setAboutOpen(false)}>
      <h2 id={TITLE_ID}>About qckstrt</h2>
      <p className="about-version" data-testid="about-version">
        Version {version ?? '…'}
      </p>
      <p className="muted">A desktop knowledge base: search your documents by their words and their meaning, offline.</p>
      <p className="muted">Your documents, their index and your settings stay on this computer (or on the database servers you chose).</p>
      <div className="about-actions">
        <button ref={closeRef} type="button" className="button" data-testid="about-close" onClick={() => dialogRef.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
