import { useEffect, useRef, useState, type DragEvent } from 'react';
import { ingestDrop, ingestPicked } from '../dnd/ingest';
import { getPlatform } from '../kb/client';
import { useKb } from '../store';

function carriesFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}

/**
 * "Keep dropped folders in sync": only the desktop app can, since only it sends folders by path;
 * a browser uploads copies of the files, which cannot be followed afterwards.
 */
function SyncOption() {
  const desktop = getPlatform().kind === 'electron';
  const keepInSync = useKb((s) => s.keepInSync);
  const setKeepInSync = useKb((s) => s.setKeepInSync);
  return (
    <div className={`sync-option${desktop ? '' : ' is-unavailable'}`}>
      <label className="sync-label">
        <input
          type="checkbox"
          data-testid="keep-in-sync"
          checked={desktop && keepInSync}
          disabled={!desktop}
          aria-describedby="sync-hint"
          onChange={(e) => setKeepInSync(e.currentTarget.checked)}
        />
        Keep dropped folders in sync
      </label>
      <p id="sync-hint" className="sync-hint">
        {desktop
          ? 'New, changed and deleted files in folders you drop or add are indexed automatically.'
          : 'Only in the desktop app: a browser uploads copies of files and cannot follow folders.'}
      </p>
    </div>
  );
}

/**
 * Accepts files and folders by drag-and-drop (here or anywhere in the window) and by two pickers.
 * Drops elsewhere in the window are handled too, and never navigate the window to the file.
 */
export function DropZone({ large = false }: { large?: boolean }) {
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [windowDrag, setWindowDrag] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed; count them to know when the drag left.
    let depth = 0;
    const enter = (e: globalThis.DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return;
      depth++;
      setWindowDrag(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setWindowDrag(false);
    };
    const overWindow = (e: globalThis.DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: globalThis.DragEvent) => {
      depth = 0;
      setWindowDrag(false);
      if (!e.dataTransfer || !carriesFiles(e.dataTransfer)) return;
      // Reached only for drops outside the zone (the zone stops propagation).
      e.preventDefault();
      ingestDrop(e.dataTransfer);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('drop', drop);
    };
  }, []);

  useEffect(() => {
    // React has no typed prop for webkitdirectory; the DOM property is standard enough.
    if (folderInput.current) folderInput.current.webkitdirectory = true;
  }, []);

  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (!over) setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    setWindowDrag(false);
    ingestDrop(e.dataTransfer);
  };
  const onPicked = (input: HTMLInputElement | null, folder: boolean) => {
    if (!input?.files) return;
    ingestPicked(input.files, folder);
    input.value = ''; // so picking the same file again still fires "change"
  };

  const cls = ['drop-zone', large && 'drop-zone-large', windowDrag && 'drop-zone-armed', over && 'drop-zone-over']
    .filter(Boolean)
    .join(' ');

  return (
    <div
      className={cls}
      data-testid="drop-zone"
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
    >
      <svg className="drop-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
        <path
          d="M12 15V4m0 0L7.5 8.5M12 4l4.5 4.5M5 14v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <p className="drop-title">{over ? 'Release to add' : 'Drop files or folders here'}</p>
      <p className="drop-sub">Text, Markdown, PDF, Word, HTML, CSV, JSON and code</p>
      <div className="drop-actions">
        <button type="button" className="button" onClick={() => filesInput.current?.click()}>
          Add files…
        </button>
        <button type="button" className="button" onClick={() => folderInput.current?.click()}>
          Add folder…
        </button>
      </div>
      <SyncOption />
      <input
        ref={filesInput}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => onPicked(e.currentTarget, false)}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        data-testid="folder-input"
        onChange={(e) => onPicked(e.currentTarget, true)}
      />
    </div>
  );
}
