import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { DeleteDialog } from '../components/library/DeleteDialog';
import { FailedFiles } from '../components/library/FailedFiles';
import { LibraryEmpty } from '../components/library/LibraryEmpty';
import { LibraryTable } from '../components/library/LibraryTable';
import { RevealedPath } from '../components/library/RevealedPath';
import { ErrorNotice } from '../components/ErrorNotice';
import { getPlatform } from '../kb/client';
import { failedFiles, filterRows, sortRows, toLibraryRows, typeCounts, type LibraryType } from '../logic/library';
import { clearSelection, selectedInOrder } from '../logic/librarySelection';
import { useKb } from '../store';
import '../styles/library.css';

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * The Library tab: every document in a sortable, filterable table (windowed, so 10,000 rows stay
 * fast), files that failed to index first, and actions on the selected documents.
 */
export function LibraryView() {
  const documents = useKb((s) => s.documents);
  const status = useKb((s) => s.libraryStatus);
  const listError = useKb((s) => s.libraryError);
  const jobBook = useKb((s) => s.jobBook);
  const sort = useKb((s) => s.librarySort);
  const filter = useKb((s) => s.libraryFilter);
  const setFilter = useKb((s) => s.setLibraryFilter);
  const selection = useKb((s) => s.librarySelection);
  const setSelection = useKb((s) => s.setLibrarySelection);
  const prune = useKb((s) => s.pruneLibrarySelection);
  const action = useKb((s) => s.libraryAction);
  const actionError = useKb((s) => s.libraryActionError);
  const dismissActionError = useKb((s) => s.dismissLibraryActionError);
  const reindex = useKb((s) => s.reindexLibraryDocuments);
  const reveal = useKb((s) => s.revealLibraryDocument);
  // The documents the open confirmation names (kept while it deletes them); null when closed.
  const [confirming, setConfirming] = useState<readonly { id: string; name: string }[] | null>(null);
  const gridFocus = useRef<HTMLDivElement>(null);

  const jobs = useMemo(() => Object.values(jobBook.jobs), [jobBook]);
  const allRows = useMemo(() => toLibraryRows(documents, jobs), [documents, jobs]);
  const failed = useMemo(() => failedFiles(jobs, documents), [jobs, documents]);
  const types = useMemo(() => typeCounts(allRows), [allRows]);
  // Typing in the filter stays responsive; the 10,000-row filter follows a moment later.
  const text = useDeferredValue(filter.text);
  const rows = useMemo(() => sortRows(filterRows(allRows, { text, type: filter.type }), sort), [allRows, text, filter.type, sort]);
  const order = useMemo(() => rows.map((r) => r.id), [rows]);

  useEffect(() => prune(order), [order, prune]);

  const selected = useMemo(() => selectedInOrder(selection, order), [selection, order]);
  const selectedDocs = useMemo(() => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    return selected.map((id) => ({ id, name: byId.get(id)?.name ?? id }));
  }, [selected, rows]);
  const desktop = getPlatform().kind === 'electron';

  if (status === 'ready' && documents.length === 0 && failed.length === 0) {
    return (
      <div className="library" data-testid="library-view">
        <LibraryEmpty />
      </div>
    );
  }

  const filtered = rows.length !== allRows.length;
  const n = selected.length;

  return (
    <div className="library" data-testid="library-view">
      <FailedFiles failed={failed} />
      {listError && <ErrorNotice error={listError} />}
      {actionError && <ErrorNotice error={actionError} onDismiss={dismissActionError} />}
      <RevealedPath />
      <div className="lib-toolbar">
        <input
          type="search"
          className="lib-filter"
          placeholder="Filter by name or folder"
          aria-label="Filter documents by name or folder"
          data-testid="library-filter"
          value={filter.text}
          onChange={(e) => setFilter({ text: e.currentTarget.value })}
        />
        <select
          className="lib-type"
          aria-label="File type"
          data-testid="library-type"
          value={filter.type}
          onChange={(e) => setFilter({ type: e.currentTarget.value as LibraryType | '' })}
        >
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label} ({fmt(t.count)})
            </option>
          ))}
        </select>
        <span className="lib-count" data-testid="library-count" aria-live="polite">
          {filtered ? `${fmt(rows.length)} of ${fmt(allRows.length)} documents` : `${fmt(allRows.length)} ${allRows.length === 1 ? 'document' : 'documents'}`}
        </span>
      </div>
      <div className={`lib-actions${n > 0 ? ' has-selection' : ''}`} role="toolbar" aria-label="Selected documents" data-testid="library-actions">
        <span className="lib-selected" data-testid="library-selected">
          {n === 0 ? 'Select documents to act on them' : `${fmt(n)} selected`}
        </span>
        <button type="button" className="button small" data-testid="library-reindex" disabled={n === 0 || action !== null} onClick={() => void reindex(selected)}>
          {action === 'reindexing' ? 'Queuing…' : 'Re-index'}
        </button>
        <button
          type="button"
          className="button small"
          data-testid="library-reveal"
          disabled={n !== 1 || action !== null}
          title={n > 1 ? 'Select one document to show its file' : undefined}
          onClick={() => void reveal(selected[0]!)}
        >
          {desktop ? 'Show in folder' : 'Show file path'}
        </button>
        <button type="button" className="button small danger-text" data-testid="library-delete" disabled={n === 0 || action !== null} onClick={() => setConfirming(selectedDocs)}>
          Delete…
        </button>
        {n > 0 && (
          <button type="button" className="button subtle small" onClick={() => setSelection(clearSelection(selection))}>
            Clear selection
          </button>
        )}
      </div>
      {status === 'loading' && documents.length === 0 ? (
        <p className="lib-muted">Loading…</p>
      ) : rows.length === 0 && allRows.length > 0 ? (
        <p className="lib-none" data-testid="library-no-match">
          No document matches {filter.text ? `“${filter.text}”` : 'this filter'}
          {filter.type ? ` among ${types.find((t) => t.type === filter.type)?.label ?? filter.type} files` : ''}.{' '}
          <button type="button" className="button subtle small" onClick={() => setFilter({ text: '', type: '' })}>
            Clear the filter
          </button>
        </p>
      ) : (
        <div ref={gridFocus} className="lib-table-wrap">
          <LibraryTable rows={rows} onDeleteKey={() => setConfirming(selectedDocs)} />
        </div>
      )}
      <p className="lib-hint lib-muted">
        Click a row to select it; <kbd>Shift</kbd>+click selects a range, <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+click adds one, <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+
        <kbd>A</kbd> selects all shown. Arrow keys move, <kbd>Space</kbd> toggles, <kbd>Delete</kbd> deletes.
      </p>
      {confirming && confirming.length > 0 && (
        <DeleteDialog
          docs={confirming}
          onClose={() => {
            setConfirming(null);
            gridFocus.current?.querySelector<HTMLElement>('[role="grid"]')?.focus();
          }}
        />
      )}
    </div>
  );
}
