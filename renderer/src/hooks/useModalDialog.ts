import { useEffect, useRef, useState } from 'react';

/**
 * A `<dialog>` shown modal (focus trapped, Escape closes) from its first render; when it goes,
 * focus returns to what had it when the dialog opened — the button that opened it — or, if that
 * is gone, to `fallback`.
 */
export function useModalDialog(fallback?: () => void) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  // Read while rendering the first time: the opener still has focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  const fallbackRef = useRef(fallback);
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      // After the dialog has gone from the page.
      setTimeout(() => (opener?.isConnected ? opener.focus() : fallbackRef.current?.()), 0);
    };
  }, [opener]);
  return dialogRef;
}
