/**
 * What the screens say about backups and restores (Settings › Backup, the restore dialog, the
 * Status card): pure, so every wording and edge (no backup yet, a total not known, a failure) is
 * tested without a DOM.
 */
import type { BackupInfo, BackupPhase, BackupResult, BackupStatus, LastBackup } from '../../../core/api';
import { formatBytes, formatCount, formatDate, formatDuration } from './format';

export type BackupTone = 'ok' | 'warn' | 'bad' | 'muted';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago, in words: "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago",
 * "3 weeks ago"; a time in the future (another machine's clock) reads "just now". "—" when unparsable.
 */
export function formatTimeAgo(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const ago = now - t;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return plural(Math.floor(ago / MINUTE), 'minute');
  if (ago < DAY) return plural(Math.floor(ago / HOUR), 'hour');
  if (ago < 2 * DAY) return 'yesterday';
  if (ago < 14 * DAY) return plural(Math.floor(ago / DAY), 'day');
  if (ago < 60 * DAY) return plural(Math.floor(ago / (7 * DAY)), 'week');
  return plural(Math.floor(ago / (30 * DAY)), 'month');
}

export type LastBackupView =
  | { empty: true; headline: string; hint: string }
  | { empty: false; headline: string; absolute: string; how: string; documents: string; size: string; path: string };

/** The Status card's last backup: when (relative and absolute), how, what it holds, where. */
export function describeLastBackup(last: LastBackup | null, now: number, locale?: string, timeZone?: string): LastBackupView {
  if (!last) {
    return { empty: true, headline: 'No backup yet', hint: 'Back up now, or turn on automatic backups, in Settings › Backup.' };
  }
  return {
    empty: false,
    headline: formatTimeAgo(last.finishedAt, now),
    absolute: formatDate(last.finishedAt, locale, timeZone),
    how: last.automatic ? 'Automatic' : 'By hand',
    documents: formatCount(last.documents, 'document', 'documents'),
    size: formatBytes(last.bytes),
    path: last.path,
  };
}

export interface BackupRow {
  key: string;
  name: string;
  date: string;
  size: string;
  kind: 'Automatic' | 'By hand';
}

/** A line of the backups list (the list itself comes newest first from the core). */
export function describeBackupInfo(b: BackupInfo, locale?: string, timeZone?: string): BackupRow {
  return { key: b.path, name: b.name, date: formatDate(b.createdAt, locale, timeZone), size: formatBytes(b.bytes), kind: b.automatic ? 'Automatic' : 'By hand' };
}

/** Newest first by time, whatever order they came in (names sort by time too, but a renamed file may not). */
export function newestFirst(list: BackupInfo[]): BackupInfo[] {
  return [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.name.localeCompare(a.name));
}

const PHASES: Record<BackupStatus['operation'], Record<BackupPhase, string>> = {
  backup: {
    verifying: 'Verifying',
    documents: 'Writing documents',
    originals: 'Adding the original files',
    finishing: 'Finishing the archive',
    checking: 'Checking',
    switching: 'Switching',
  },
  restore: {
    verifying: 'Verifying the archive',
    documents: 'Restoring documents',
    originals: 'Restoring the original files',
    finishing: 'Finishing',
    checking: 'Checking the counts',
    switching: 'Switching to the restored library',
  },
};

export interface BackupProgressView {
  title: string;
  phase: string;
  /** 0–100, or null when the phase has no count (verifying, switching) or the total is not known. */
  percent: number | null;
  detail: string;
  tone: BackupTone;
  running: boolean;
}

/** A backup or restore under way (or just ended), from a `backupProgress` event or getStatus. */
export function describeBackupStatus(s: BackupStatus): BackupProgressView {
  const phase = PHASES[s.operation][s.phase] ?? s.phase;
  const counted = s.phase === 'documents' || s.phase === 'originals';
  const percent = counted && s.total > 0 ? Math.max(0, Math.min(100, Math.round((s.done / s.total) * 100))) : null;
  const what = s.phase === 'originals' ? 'original files' : 'documents';
  // The phase is shown beside the title: the detail adds the figures when there are some.
  const figures = counted && s.total > 0 ? `${s.done.toLocaleString('en-US')} of ${formatCount(s.total, what === 'documents' ? 'document' : 'original file', what)}. ` : '';
  const isBackup = s.operation === 'backup';
  switch (s.state) {
    case 'running':
      return {
        title: isBackup ? 'Backing up the library' : 'Restoring a backup',
        phase,
        percent,
        detail: isBackup ? `${figures}Indexing waits until the backup is written.` : `${figures}The current library stays in use until the restored one is complete and checked.`,
        tone: 'muted',
        running: true,
      };
    case 'done':
      return { title: isBackup ? 'Backup finished' : 'Restore finished', phase: 'Finished', percent: 100, detail: s.message ?? s.path, tone: 'ok', running: false };
    case 'failed':
      return {
        title: isBackup ? 'The backup failed' : 'The restore failed',
        phase,
        percent,
        detail: `${s.message ?? 'No reason was given.'}${isBackup ? '' : ' The library is as it was before.'}`,
        tone: 'bad',
        running: false,
      };
  }
}

/** "Backed up 12 documents (40 chunks, 40 vectors, 12 original files) in 1.2 s." */
export function describeBackupResult(r: BackupResult): string {
  const parts = [formatCount(r.chunks, 'chunk', 'chunks'), formatCount(r.vectors, 'vector', 'vectors')];
  if (r.originals > 0) parts.push(formatCount(r.originals, 'original file', 'original files'));
  const missing = r.originalsMissing > 0 ? ` ${formatCount(r.originalsMissing, 'original was', 'originals were')} missing from the data folder; their text is in the backup.` : '';
  return `Backed up ${formatCount(r.documents, 'document', 'documents')} (${parts.join(', ')}) in ${formatDuration(r.ms)}.${missing}`;
}

/** Why a typed path cannot be restored from (undefined: it can be tried). */
export function restorePathProblem(path: string): string | undefined {
  const p = path.trim();
  if (p === '') return 'Type the path of a backup file';
  if (!/\.tar\.gz$/i.test(p)) return 'A backup file’s name ends in .tar.gz';
  return undefined;
}

/** The confirmation's words: what the current library holds, and that it is replaced. */
export function restoreWarning(documents: number | null): string {
  const now =
    documents === null ? 'the current library' : documents === 0 ? 'the current library, which is empty,' : `the current library of ${formatCount(documents, 'document', 'documents')}`;
  return `Restoring replaces ${now} with this backup’s documents: the previous library is replaced, not merged, so documents added since the backup was made will be gone. Nothing changes until the backup has been verified and restored in full.`;
}

/** The file's name at the end of a path (either separator), for titles; the whole path is shown beside it. */
export function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
