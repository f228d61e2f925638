import { useEffect, useRef } from 'react';
import { useKb } from '../../store';

/** Names listed in the confirmation; the rest are counted. */
const NAMED = 8;

interface Props {
  /** The documents to delete, in the order shown. */
  docs: readonly { id: string; name: string }[];
  onClose: (deleted: boolean) => void;
}

/**
 * "Delete 3 documents?" naming them: a modal dialog (the page behind is inert), Cancel focused
 * first so Enter alone never deletes; Esc cancels.
 */
export function DeleteDialog({ docs, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const busy = useKb((s) => s.libraryAction === 'deleting');
  const deleteDocuments = useKb((s) => s.deleteLibraryDocuments);
  const result = useRef(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
  }, []);

  const n = docs.length;
  const what = n === 1 ? `“${docs[0]?.name}”` : `${n.toLocaleString('en-US')} documents`;
  const confirm = async () => {
    result.current = await deleteDocuments(docs.map((d) => d.id));
    ref.current?.close();
  };

  return (
    <dialog
      ref={ref}
      className="lib-dialog"
      aria-labelledby="lib-delete-title"
      aria-describedby="lib-delete-desc"
      data-testid="library-delete-dialog"
      onClose={() => onClose(result.current)}
      onCancel={(e) => {
        if (busy) e.preventDefault();
      }}
    >
      <h2 id="lib-delete-title" className="lib-dialog-title">
        Delete {what}?
      </h2>
      <p id="lib-delete-desc" className="lib-dialog-text">
        {n === 1 ? 'It is' : 'They are'} removed from the library and from search. The files on your disk are not touched; add them again any time.
      </p>
      {n > 1 && (
        <ul className="lib-dialog-names" data-testid="library-delete-names">
          {docs.slice(0, NAMED).map((d) => (
            <li key={d.id}>{d.name}</li>
          ))}
          {n > NAMED && <li className="lib-muted">and {(n - NAMED).toLocaleString('en-US')} more</li>}
        </ul>
      )}
      <div className="lib-dialog-actions">
        <button ref={cancelRef} type="button" className="button" disabled={busy} onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button type="button" className="button danger" data-testid="library-delete-confirm" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Deleting…' : n === 1 ? 'Delete document' : `Delete ${n.toLocaleString('en-US')} documents`}
        </button>
      </div>
    </dialog>
  );
}
