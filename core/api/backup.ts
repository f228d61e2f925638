/** Backups and restores as the UI, the CLI and the HTTP API see them. */

/** A backup archive in the data folder's backups/ (or named by the user). */
export interface BackupInfo {
  path: string;
  /** The file name (`qckstrt-2026-12-05-140312.tar.gz`). */
  name: string;
  bytes: number;
  /** When it was written (the file's time). */
  createdAt: string;
  /** Made by the schedule (and deleted by it when more than `backup.keep` exist). */
  automatic: boolean;
}

export interface BackupResult extends BackupInfo {
  documents: number;
  chunks: number;
  vectors: number;
  originals: number;
  /** Documents whose kept original was missing from the data folder (their text is in the backup). */
  originalsMissing: number;
  ms: number;
}

export interface RestoreResult {
  path: string;
  documents: number;
  chunks: number;
  vectors: number;
  /** The text was embedded again with the current model (`reindex`). */
  reindexed: boolean;
  ms: number;
  message: string;
}

export type BackupPhase = 'verifying' | 'documents' | 'originals' | 'finishing' | 'checking' | 'switching';

/** Progress of a backup or a restore (`backupProgress` events, and getStatus while it runs). */
export interface BackupStatus {
  operation: 'backup' | 'restore';
  state: 'running' | 'done' | 'failed';
  phase: BackupPhase;
  done: number;
  total: number;
  path: string;
  startedAt: string;
  message?: string;
}

/** The last backup that finished, kept in the data folder (Status shows it). */
export interface LastBackup {
  path: string;
  finishedAt: string;
  bytes: number;
  documents: number;
  automatic: boolean;
}
