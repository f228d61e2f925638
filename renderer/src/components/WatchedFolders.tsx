import { useMemo } from 'react';
import type { WatchedFolder } from '../../../core/api';
import { useFocusRescue } from '../hooks/useFocusRescue';
import { formatCount } from '../logic/format';
import { describeWatchedFolder, sortWatchedFolders } from '../logic/watchedFolders';
import { useKb } from '../store';
import { ErrorNotice } from './ErrorNotice';

const HEADING_ID = 'watched-heading';

function FolderIcon() {
  return (
    <svg className="watch-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path
        d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function WatchedFolderRow({ folder }: { folder: WatchedFolder }) {
  const busy = useKb((s) => s.unwatching[folder.path] === true);
  const unwatchFolder = useKb((s) => s.unwatchFolder);
  // The row goes away once the folder is no longer watched: keep keyboard users in the list.
  const ref = useFocusRescue<HTMLLIElement>(HEADING_ID, 'docs-heading');
  const view = describeWatchedFolder(folder);

  return (
    <li ref={ref} className="watch-row" data-testid="watched-folder" data-active={folder.active}>
      <FolderIcon />
      <div className="watch-main">
        <span className="watch-name" title={folder.path}>
          {view.name}
        </span>
        <span className="watch-path" title={folder.path}>
          {folder.path}
        </span>
        <span className={`watch-status watch-${view.tone}`} data-testid="watch-status">
          <span className={`dot ${view.tone === 'ok' ? 'dot-ok' : 'dot-warn'}`} aria-hidden="true" />
          {view.status}
        </span>
        {view.filters && <span className="watch-filters">{view.filters}</span>}
      </div>
      <button
        type="button"
        className="button small"
        data-testid="unwatch-folder"
        aria-label={`Stop watching ${folder.path}`}
        aria-disabled={busy}
        title="Stop following changes in this folder (its documents stay in the library)"
        onClick={() => {
          if (!busy) void unwatchFolder(folder.path);
        }}
      >
        {busy ? 'Stopping…' : 'Stop watching'}
      </button>
    </li>
  );
}

/** Folders the core keeps in sync with the library; shown only when there are some. */
export function WatchedFolders() {
  const folders = useKb((s) => s.watchedFolders);
  const error = useKb((s) => s.watchError);
  const dismiss = useKb((s) => s.dismissWatchError);
  const sorted = useMemo(() => sortWatchedFolders(folders ?? []), [folders]);

  if (sorted.length === 0 && !error) return null;
  return (
    <section className="panel" aria-labelledby={HEADING_ID} data-testid="watched-panel">
      <div className="panel-head">
        <h2 id={HEADING_ID} tabIndex={-1}>
          Watched folders
        </h2>
        <span className="count">{formatCount(sorted.length, 'folder', 'folders')}</span>
      </div>
      {error && <ErrorNotice error={error} onDismiss={dismiss} />}
      {sorted.length > 0 && (
        <ul className="watch-list">
          {sorted.map((f) => (
            <WatchedFolderRow key={f.path} folder={f} />
          ))}
        </ul>
      )}
    </section>
  );
}
