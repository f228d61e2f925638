import type { KbClient } from '../../../core/api';
import type { KbStore } from './createKbStore';
import { applyMenuCommand } from './menuCommands';
import { watchFinishedRuns } from './toastWatcher';

/** Coalesces bursts (indexing a folder emits documentsChanged per file) into one refresh. */
const REFRESH_DELAY_MS = 150;

/**
 * Loads the initial state and keeps the store in step with the core's events. A plain module,
 * not a component effect, so subscriptions do not depend on what is mounted.
 * Returns a function that unsubscribes.
 */
export function connectStore(client: KbClient, store: KbStore): () => void {
  void refreshAll(store);
  const offToasts = watchFinishedRuns(store);

  const offProgress = client.on('ingestProgress', (job) => store.getState().applyProgress(job));
  const offStats = client.on('ingestStats', (stats) => store.getState().applyIngestStats(stats));
  const offAsk = client.on('askDelta', (delta) => store.getState().applyAskDelta(delta));
  const offDownload = client.on('modelDownload', (p) => {
    store.getState().applyModelDownload(p);
    if (p.done) {
      void store.getState().refreshStatus();
      void store.getState().refreshModels();
    }
  });
  const offReindex = client.on('reindexProgress', (p) => {
    store.getState().applyReindex(p);
    // The model and the index switch when a re-index ends: reload what the header shows.
    if (p.state !== 'running') {
      void store.getState().refreshStatus();
      void store.getState().refreshModels();
    }
  });

  const offProviderChange = client.on('providerChangeProgress', (p) => store.getState().applyProviderChangeProgress(p));

  // Backups and restores (Settings' and the schedule's): progress, then the list and Status's last backup.
  const offBackup = client.on('backupProgress', (p) => {
    store.getState().applyBackupProgress(p);
    if (p.state !== 'running') {
      void store.getState().refreshStatus();
      void store.getState().refreshBackups();
    }
  });

  // The desktop app's menu (Search, Settings…, Status, Library, About).
  const offMenu = client.on('menuCommand', ({ command }) => applyMenuCommand(store, command));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const offDocs = client.on('documentsChanged', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const now = store.getState();
      void now.refreshDocuments();
      void now.refreshStatus();
      // A watched folder that vanished or came back changes its status along with the documents.
      void now.refreshWatchedFolders();
    }, REFRESH_DELAY_MS);
  });

  return () => {
    clearTimeout(timer);
    offToasts();
    offProgress();
    offStats();
    offAsk();
    offDownload();
    offReindex();
    offProviderChange();
    offBackup();
    offDocs();
    offMenu();
  };
}

/** Reloads everything the UI shows from the core (start-up, and "Retry" after a failure). */
export async function refreshAll(store: KbStore): Promise<void> {
  const s = store.getState();
  await Promise.all([
    s.refreshSettings(),
    s.refreshStatus(),
    s.refreshDocuments(),
    s.refreshJobs(),
    s.refreshModels(),
    s.refreshWatchedFolders(),
    s.refreshBackups(),
  ]);
}
