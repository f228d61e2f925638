import type { StateCreator } from 'zustand';
import type { BackupInfo, BackupResult, BackupStatus, KbClient, KbErrorShape, RestoreResult } from '../../../core/api';
import { settle } from '../kb/unwrap';
import type { KbState } from './types';

/** "Back up now" in Settings: idle, writing (with the latest progress), then the result or the error. */
export type BackupRun =
  | { step: 'idle' }
  | { step: 'running'; progress: BackupStatus | null }
  | { step: 'done'; result: BackupResult }
  | { step: 'error'; error: KbErrorShape };

/**
 * A restore: confirmed first (it replaces the library), then running with progress, then done or
 * failed. `reindex` embeds the text again (offered when the backup's model differs).
 */
export type RestoreRun =
  | { step: 'idle' }
  | { step: 'confirm'; path: string }
  | { step: 'running'; path: string; reindex: boolean; progress: BackupStatus | null }
  | { step: 'done'; path: string; result: RestoreResult }
  | { step: 'failed'; path: string; reindex: boolean; error: KbErrorShape; progress: BackupStatus | null };

export interface BackupSlice {
  /** The archives in the data folder's backups/, newest first (null until loaded). */
  backups: BackupInfo[] | null;
  /** Where they are (the data folder's backups/). */
  backupFolder: string | null;
  backupsError: KbErrorShape | null;
  backupRun: BackupRun;
  restoreRun: RestoreRun;
  refreshBackups(): Promise<void>;
  /** Writes a backup into backups/ now (the originals as the saved setting says). */
  backUpNow(): Promise<void>;
  dismissBackupRun(): void;
  /** Opens the confirmation for restoring this file (nothing is changed yet). */
  askRestore(path: string): void;
  /** Restores the file being confirmed (or retried); `reindex` after a DimensionMismatch. */
  confirmRestore(options?: { reindex?: boolean }): Promise<void>;
  /** Closes the restore dialog (not while a restore runs). */
  closeRestore(): void;
  applyBackupProgress(status: BackupStatus): void;
}

// ---- pure updates (exported for tests) ----

/** A `backupProgress` event belongs to the backup this screen started while it runs. */
export function withBackupProgress(run: BackupRun, status: BackupStatus): BackupRun {
  return run.step === 'running' && status.operation === 'backup' ? { ...run, progress: status } : run;
}

/** …and to the restore this screen started while it runs. */
export function withRestoreProgress(run: RestoreRun, status: BackupStatus): RestoreRun {
  return run.step === 'running' && status.operation === 'restore' ? { ...run, progress: status } : run;
}

/** Whether a backup or restore runs now: one started here, or one the core reports (the schedule's). */
export function backupBusy(s: Pick<KbState, 'backupRun' | 'restoreRun' | 'status'>): boolean {
  return s.backupRun.step === 'running' || s.restoreRun.step === 'running' || s.status?.backup?.state === 'running';
}

/** A failed restore the user may retry with re-indexing: the backup's vectors come from another model. */
export function canRetryWithReindex(run: RestoreRun): boolean {
  return run.step === 'failed' && !run.reindex && run.error.kind === 'DimensionMismatch';
}

export const createBackupSlice =
  (client: KbClient): StateCreator<KbState, [], [], BackupSlice> =>
  (set, get) => ({
    backups: null,
    backupFolder: null,
    backupsError: null,
    backupRun: { step: 'idle' },
    restoreRun: { step: 'idle' },

    async refreshBackups() {
      const r = await settle(() => client.listBackups());
      if (!r.ok) {
        set({ backupsError: r.error });
        return;
      }
      set({ backups: r.value.backups, backupFolder: r.value.folder, backupsError: null });
    },

    async backUpNow() {
      if (backupBusy(get())) return;
      set({ backupRun: { step: 'running', progress: null } });
      const r = await settle(() => client.backupLibrary());
      set({ backupRun: r.ok ? { step: 'done', result: r.value } : { step: 'error', error: r.error } });
      // The list and Status's last backup follow (a failure may have left nothing, but say so from the core).
      await Promise.all([get().refreshBackups(), get().refreshStatus()]);
    },

    dismissBackupRun() {
      if (get().backupRun.step !== 'running') set({ backupRun: { step: 'idle' } });
    },

    askRestore(path) {
      if (backupBusy(get())) return;
      set({ restoreRun: { step: 'confirm', path } });
      // The confirmation says how many documents the library holds now: make that figure current.
      void get().refreshStatus();
    },

    async confirmRestore(options = {}) {
      const run = get().restoreRun;
      if (run.step !== 'confirm' && run.step !== 'failed') return;
      const { path } = run;
      const reindex = options.reindex ?? false;
      set({ restoreRun: { step: 'running', path, reindex, progress: null } });
      const r = await settle(() => client.restoreLibrary({ path, ...(reindex ? { reindex } : {}) }));
      if (!r.ok) {
        const now = get().restoreRun;
        set({ restoreRun: { step: 'failed', path, reindex, error: r.error, progress: now.step === 'running' ? now.progress : null } });
        void get().refreshStatus();
        return;
      }
      set({ restoreRun: { step: 'done', path, result: r.value } });
      // Another library is in force: everything shown from the old one is reloaded.
      const s = get();
      await Promise.all([
        s.refreshStatus(),
        s.refreshDocuments(),
        s.refreshJobs(),
        s.refreshWatchedFolders(),
        s.refreshBackups(),
        s.openSettingsDraft(),
      ]);
    },

    closeRestore() {
      if (get().restoreRun.step !== 'running') set({ restoreRun: { step: 'idle' } });
    },

    applyBackupProgress(status) {
      set((s) => ({
        backupRun: withBackupProgress(s.backupRun, status),
        restoreRun: withRestoreProgress(s.restoreRun, status),
        // Status shows the operation under way (the schedule's too) without waiting for its next poll.
        ...(s.status ? { status: { ...s.status, backup: status } } : {}),
      }));
    },
  });
