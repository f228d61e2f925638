import { getPlatform } from '../kb/client';
import { kbStore } from '../store';
import { captureDrop, isHidden, walkDropped } from './entries';
import { pathsForFolderPick } from './paths';

/**
 * Turns a drop or a file pick into ingestion, the way the platform allows: Electron sends paths
 * (folders included; the core walks them), a browser uploads file contents one by one.
 */

function pathOf(file: File): string {
  const platform = getPlatform();
  if (platform.kind !== 'electron') return '';
  try {
    return platform.pathForFile(file);
  } catch {
    return '';
  }
}

/** Call synchronously from the drop handler: the DataTransfer is emptied once it returns. */
export function ingestDrop(dt: DataTransfer): void {
  const store = kbStore.getState();
  if (getPlatform().kind === 'electron') {
    void store.ingestPaths(Array.from(dt.files).map(pathOf));
    return;
  }
  const items = captureDrop(dt);
  void walkDropped(items).then(({ files, unreadable }) => {
    if (files.length > 0) store.uploadFiles(files);
    if (unreadable.length > 0 || files.length === 0) {
      store.reportIngestError({
        kind: 'ValidationError',
        message:
          files.length === 0 && unreadable.length === 0
            ? 'Nothing to upload: the drop held no files (hidden files in folders are skipped).'
            : `Could not read ${unreadable.length} item(s): ${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ', …' : ''}`,
      });
    }
  });
}

/** Files from the "Add files…" / "Add folder…" inputs. */
export function ingestPicked(list: FileList, folder: boolean): void {
  const files = Array.from(list);
  if (files.length === 0) return;
  const store = kbStore.getState();
  if (getPlatform().kind === 'electron') {
    const paths = folder
      ? pathsForFolderPick(files.map((f) => ({ path: pathOf(f), relativePath: f.webkitRelativePath })))
      : files.map(pathOf);
    void store.ingestPaths(paths);
    return;
  }
  // A folder pick lists every file inside it; skip hidden ones as a dropped folder does.
  const wanted = folder ? files.filter((f) => !f.webkitRelativePath.split('/').some(isHidden)) : files;
  store.uploadFiles(wanted);
}
