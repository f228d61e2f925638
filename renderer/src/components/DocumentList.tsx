import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { DocumentSummary } from '../../../core/api';
import { sortDocuments } from '../logic/documents';
import { formatBytes, formatCount, formatDate } from '../logic/format';
import { useKb } from '../store';
import { ErrorNotice } from './ErrorNotice';

const HEADING_ID = 'docs-heading';

function TrashIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path
        d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function DocumentRow({ doc }: { doc: DocumentSummary }) {
  const deleting = useKb((s) => s.deleting[doc.id] === true);
  const deleteDocument = useKb((s) => s.deleteDocument);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  // Where focus goes after the confirm row closes: back to the trash button on cancel.
  const restoreFocus = useRef(false);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (restoreFocus.current) {
      restoreFocus.current = false;
      deleteRef.current?.focus();
    }
  }, [confirming]);

  const cancel = () => {
    restoreFocus.current = true;
    setConfirming(false);
  };
  const confirm = async () => {
    const gone = await deleteDocument(doc.id);
    if (gone) {
      // The row is about to disappear; keep keyboard users in the list.
      document.getElementById(HEADING_ID)?.focus();
    } else {
      cancel();
    }
  };

  return (
    <li className={`doc-row${confirming ? ' confirming' : ''}`} data-testid="doc-row">
      <div className="doc-main">
        <span className="doc-name" data-testid="doc-name" title={doc.sourcePath ?? doc.name}>
          {doc.name}
        </span>
        <span className="doc-meta">
          {formatBytes(doc.size)} · {formatCount(doc.chunkCount, 'chunk', 'chunks')} ·{' '}
          <time dateTime={doc.updatedAt}>{formatDate(doc.updatedAt)}</time>
        </span>
      </div>
      {confirming ? (
        <div
          className="confirm"
          role="group"
          aria-label={`Confirm deleting ${doc.name}`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              cancel();
            }
          }}
        >
          <span className="confirm-text">Delete?</span>
          <button
            ref={confirmRef}
            type="button"
            className="button danger small"
            data-testid="confirm-delete"
            aria-label={`Yes, delete ${doc.name}`}
            disabled={deleting}
            onClick={() => void confirm()}
          >
            {deleting ? 'Deleting…' : 'Delete'}
          </button>
          <button type="button" className="button subtle small" onClick={cancel} disabled={deleting}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          ref={deleteRef}
          type="button"
          className="icon-button doc-delete"
          data-testid="delete-doc"
          aria-label={`Delete ${doc.name}`}
          title="Delete"
          onClick={() => setConfirming(true)}
        >
          <TrashIcon />
        </button>
      )}
    </li>
  );
}

/** Memoised: it has no props, and a tab switch re-rendering 10,000 rows here took seconds (measured). */
export const DocumentList = memo(function DocumentList() {
  const documents = useKb((s) => s.documents);
  const status = useKb((s) => s.libraryStatus);
  const error = useKb((s) => s.libraryError);
  const dismiss = useKb((s) => s.dismissLibraryError);
  // When the core itself is unreachable the banner above says so; do not repeat it here.
  const coveredByBanner = useKb((s) => s.statusError !== null && s.libraryError?.kind === s.statusError.kind);
  const sorted = useMemo(() => sortDocuments(documents), [documents]);

  return (
    <section className="panel" aria-labelledby={HEADING_ID}>
      <div className="panel-head">
        <h2 id={HEADING_ID} tabIndex={-1}>
          Library
        </h2>
        {status === 'ready' && <span className="count">{formatCount(documents.length, 'document', 'documents')}</span>}
      </div>
      {error && !coveredByBanner && <ErrorNotice error={error} onDismiss={dismiss} />}
      {status === 'error' && coveredByBanner && <p className="library-unavailable">Documents could not be loaded.</p>}
      {status === 'loading' && documents.length === 0 && <p className="muted">Loading…</p>}
      {status === 'ready' && documents.length === 0 && <p className="muted">No documents yet.</p>}
      {sorted.length > 0 && (
        <ul className="doc-list">
          {sorted.map((doc) => (
            <DocumentRow key={doc.id} doc={doc} />
          ))}
        </ul>
      )}
    </section>
  );
});
