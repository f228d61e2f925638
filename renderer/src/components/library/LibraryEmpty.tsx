import { useEffect, useRef } from 'react';
import { ingestPicked } from '../../dnd/ingest';

/** An empty library says how to fill it, with the two pickers at hand. */
export function LibraryEmpty() {
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // React has no typed prop for webkitdirectory; the DOM property is standard enough.
    if (folderInput.current) folderInput.current.webkitdirectory = true;
  }, []);
  const picked = (input: HTMLInputElement | null, folder: boolean) => {
    if (!input?.files) return;
    ingestPicked(input.files, folder);
    input.value = '';
  };

  return (
    <section className="lib-empty" aria-labelledby="lib-empty-title" data-testid="library-empty">
      <svg className="lib-empty-icon" viewBox="0 0 48 48" width="48" height="48" aria-hidden="true">
        <path d="M6 14a4 4 0 0 1 4-4h9l4 4h15a4 4 0 0 1 4 4v18a4 4 0 0 1-4 4H10a4 4 0 0 1-4-4z" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinejoin="round" />
        <path d="M24 20v12m-6-6h12" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      </svg>
      <h2 id="lib-empty-title">No documents yet</h2>
      <p>
        Drop files or whole folders anywhere on this window, or pick them here. Text, Markdown, PDF, Word, HTML, CSV, JSON and source code are
        read; each file is indexed on this computer.
      </p>
      <div className="lib-empty-actions">
        <button type="button" className="button primary" data-testid="library-add-files" onClick={() => filesInput.current?.click()}>
          Add files…
        </button>
        <button type="button" className="button" onClick={() => folderInput.current?.click()}>
          Add a folder…
        </button>
      </div>
      <p className="lib-muted">
        Your documents then show here: sort and filter them, re-index or delete several at once, and see why a file could not be read.
      </p>
      <input ref={filesInput} type="file" multiple hidden aria-label="Files to add" onChange={(e) => picked(e.currentTarget, false)} />
      <input ref={folderInput} type="file" multiple hidden aria-label="Folder to add" onChange={(e) => picked(e.currentTarget, true)} />
    </section>
  );
}
