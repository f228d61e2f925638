import { useEffect, useMemo, useRef } from 'react';
import { useModalDialog } from '../hooks/useModalDialog';
import type { DocumentText } from '../../../core/api';
import { focusSearch } from '../hooks/useGlobalShortcuts';
import { formatLocation } from '../logic/location';
import { splitAtFocus } from '../logic/marks';
import { partialTextNote } from '../logic/reader';
import { useKb } from '../store';
import type { ReaderState } from '../store/types';
import { ErrorNotice } from './ErrorNotice';
import { MarkedText } from './MarkedText';
import { OpenButton } from './OpenButton';

const TITLE_ID = 'reader-title';

/** The text with the passage set apart and scrolled into view, and the query's words marked. */
function ReaderText({ doc }: { doc: DocumentText }) {
  const parts = useMemo(() => splitAtFocus(doc.text, doc.focus, doc.highlights), [doc]);
  const bodyRef = useRef<HTMLDivElement>(null);
  const passageRef = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    passageRef.current?.scrollIntoView({ block: 'center' });
    // Keyboard users read on with the arrow keys, from the text rather than the Close button.
    bodyRef.current?.focus({ preventScroll: true });
  }, [doc]);

  return (
    <div ref={bodyRef} className="reader-text" data-testid="reader-text" tabIndex={0} role="document" aria-label={`Text of ${doc.documentName}`}>
      <MarkedText segments={parts.before} />
      {doc.focus && (
        <span ref={passageRef} className="reader-passage" data-testid="reader-passage">
          <MarkedText segments={parts.passage} />
        </span>
      )}
      <MarkedText segments={parts.after} />
    </div>
  );
}

function ReaderBody({ reader }: { reader: ReaderState }) {
  if (reader.status === 'loading') return <p className="reader-status muted">Loading {reader.target.documentName}…</p>;
  if (reader.status === 'error' && reader.error) {
    return (
      <div className="reader-status">
        <ErrorNotice error={reader.error} />
      </div>
    );
  }
  return reader.doc ? <ReaderText doc={reader.doc} /> : null;
}

/**
 * A passage read in its document: a modal dialog (the page behind is inert, so focus stays in it),
 * closed with Esc or Close, giving focus back to the button that opened it.
 */
export function ReaderDialog({ reader }: { reader: ReaderState }) {
  const closeReader = useKb((s) => s.closeReader);
  const openError = useKb((s) => s.openError);
  const dismissOpenError = useKb((s) => s.dismissOpenError);
  // Closed: back to the opener, or to search if it went away meanwhile.
  const dialogRef = useModalDialog(focusSearch);

  const { target, doc } = reader;
  const location = formatLocation(doc?.location ?? target.location);
  const note = doc ? partialTextNote(doc) : null;

  return (
    <dialog ref={dialogRef} className="reader" aria-labelledby={TITLE_ID} data-testid="reader" onClose={closeReader}>
      <header className="reader-head">
        <div className="reader-title">
          <h2 id={TITLE_ID} title={target.documentName}>
            {target.documentName}
          </h2>
          {location && (
            <p className="reader-location" data-testid="reader-location" title={location}>
              {location}
            </p>
          )}
        </div>
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" data-testid="reader-close" onClick={() => dialogRef.current?.close()}>
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </header>
      {note && (
        <p className="reader-note" data-testid="reader-note">
          {note}
        </p>
      )}
      <ReaderBody reader={reader} />
      <footer className="reader-foot">
        {openError && <ErrorNotice error={openError} onDismiss={dismissOpenError} />}
        <OpenButton target={target} className="button">
          Open original
        </OpenButton>
      </footer>
    </dialog>
  );
}
