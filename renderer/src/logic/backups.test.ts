import { describe, expect, it } from 'vitest';
import type { BackupInfo, BackupResult, BackupStatus } from '../../../core/api';
import {
  describeBackupInfo,
  describeBackupResult,
  describeBackupStatus,
  describeLastBackup,
  fileNameOf,
  formatTimeAgo,
  newestFirst,
  restorePathProblem,
  restoreWarning,
} from './backups';
import { toUserError } from './errors';

const NOW = Date.parse('2026-12-05T14:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const status = (patch: Partial<BackupStatus> = {}): BackupStatus => ({
  operation: 'backup',
  state: 'running',
  phase: 'documents',
  done: 3,
  total: 12,
  path: '/data/backups/qckstrt-2026-12-05-140000.tar.gz',
  startedAt: ago(5_000),
  ...patch,
});

describe('how long ago', () => {
  it('reads in words from seconds to months, and never in the future', () => {
    expect(formatTimeAgo(ago(20_000), NOW)).toBe('just now');
    expect(formatTimeAgo(ago(-5 * MIN), NOW)).toBe('just now');
    expect(formatTimeAgo(ago(MIN), NOW)).toBe('1 minute ago');
    expect(formatTimeAgo(ago(59 * MIN), NOW)).toBe('59 minutes ago');
    expect(formatTimeAgo(ago(HOUR), NOW)).toBe('1 hour ago');
    expect(formatTimeAgo(ago(23 * HOUR), NOW)).toBe('23 hours ago');
    expect(formatTimeAgo(ago(30 * HOUR), NOW)).toBe('yesterday');
    expect(formatTimeAgo(ago(3 * DAY), NOW)).toBe('3 days ago');
    expect(formatTimeAgo(ago(20 * DAY), NOW)).toBe('2 weeks ago');
    expect(formatTimeAgo(ago(90 * DAY), NOW)).toBe('3 months ago');
    expect(formatTimeAgo('not a date', NOW)).toBe('—');
  });
});

describe('the last backup on Status', () => {
  it('says there is none yet and where to make one', () => {
    const v = describeLastBackup(null, NOW);
    expect(v).toEqual({ empty: true, headline: 'No backup yet', hint: expect.stringContaining('Settings › Backup') });
  });

  it('says when (relative and absolute), how, what it holds, its size and its whole path', () => {
    const path = '/a/very/long/data/folder/backups/qckstrt-auto-2026-12-05-120000.tar.gz';
    const v = describeLastBackup({ path, finishedAt: ago(2 * HOUR), bytes: 1536, documents: 1, automatic: true }, NOW, 'en-GB', 'UTC');
    expect(v).toEqual({ empty: false, headline: '2 hours ago', absolute: '5 Dec 2026, 12:00', how: 'Automatic', documents: '1 document', size: '1.5 KB', path });
    const byHand = describeLastBackup({ path, finishedAt: ago(MIN), bytes: 0, documents: 1234, automatic: false }, NOW);
    expect(byHand).toMatchObject({ how: 'By hand', documents: '1,234 documents', size: '0 B' });
  });
});

describe('the backups list', () => {
  const info = (name: string, createdAt: string, automatic = false): BackupInfo => ({ path: `/d/backups/${name}`, name, bytes: 2 * 1024 * 1024, createdAt, automatic });

  it('describes each row and orders newest first by time', () => {
    const a = info('qckstrt-2026-12-01-100000.tar.gz', '2026-12-01T10:00:00Z');
    const b = info('qckstrt-auto-2026-12-03-100000.tar.gz', '2026-12-03T10:00:00Z', true);
    const c = info('copied-by-hand.tar.gz', '2026-12-02T10:00:00Z');
    expect(newestFirst([a, b, c]).map((x) => x.name)).toEqual([b.name, c.name, a.name]);
    expect(describeBackupInfo(b, 'en-GB', 'UTC')).toEqual({ key: b.path, name: b.name, date: '3 Dec 2026, 10:00', size: '2 MB', kind: 'Automatic' });
    expect(describeBackupInfo(a).kind).toBe('By hand');
  });
});

describe('progress of a backup or restore', () => {
  it('counts documents and originals, and says the library is in use meanwhile', () => {
    const v = describeBackupStatus(status());
    expect(v).toMatchObject({ title: 'Backing up the library', phase: 'Writing documents', percent: 25, running: true, tone: 'muted' });
    expect(v.detail).toBe('3 of 12 documents. Indexing waits until the backup is written.');
    expect(describeBackupStatus(status({ phase: 'originals', done: 1, total: 1 })).detail).toMatch(/^1 of 1 original file\./);
    const restoring = describeBackupStatus(status({ operation: 'restore', phase: 'documents', done: 2, total: 4 }));
    expect(restoring).toMatchObject({ title: 'Restoring a backup', phase: 'Restoring documents', percent: 50 });
    expect(restoring.detail).toMatch(/current library stays in use/);
  });

  it('has no bar figure while verifying or switching, or before the total is known', () => {
    expect(describeBackupStatus(status({ operation: 'restore', phase: 'verifying', done: 0, total: 1 }))).toEqual({
      title: 'Restoring a backup',
      phase: 'Verifying the archive',
      percent: null,
      detail: 'The current library stays in use until the restored one is complete and checked.',
      tone: 'muted',
      running: true,
    });
    expect(describeBackupStatus(status({ operation: 'restore', phase: 'switching', done: 0, total: 1 }))).toMatchObject({ phase: 'Switching to the restored library', percent: null });
    expect(describeBackupStatus(status({ done: 0, total: 0 })).percent).toBeNull();
  });

  it('ends with the core’s message, and a failed restore says the library is as it was', () => {
    expect(describeBackupStatus(status({ state: 'done', message: 'Backed up 3 documents' }))).toMatchObject({ title: 'Backup finished', detail: 'Backed up 3 documents', tone: 'ok', running: false });
    const failed = describeBackupStatus(status({ operation: 'restore', state: 'failed', phase: 'verifying', message: 'Entry chunks-0001.jsonl is damaged.' }));
    expect(failed).toMatchObject({ title: 'The restore failed', tone: 'bad', running: false });
    expect(failed.detail).toBe('Entry chunks-0001.jsonl is damaged. The library is as it was before.');
    expect(describeBackupStatus(status({ state: 'failed' })).detail).toBe('No reason was given.');
  });
});

describe('words around backing up and restoring', () => {
  it('sums up a backup written', () => {
    const r: BackupResult = { path: '/d/x.tar.gz', name: 'x.tar.gz', bytes: 10, createdAt: '', automatic: false, documents: 3, chunks: 9, vectors: 9, originals: 3, originalsMissing: 0, ms: 1234 };
    expect(describeBackupResult(r)).toBe('Backed up 3 documents (9 chunks, 9 vectors, 3 original files) in 1.2 s.');
    expect(describeBackupResult({ ...r, documents: 1, chunks: 1, vectors: 1, originals: 0, originalsMissing: 1, ms: 40 })).toBe(
      'Backed up 1 document (1 chunk, 1 vector) in 40 ms. 1 original was missing from the data folder; their text is in the backup.',
    );
  });

  it('checks a typed path before asking to restore it', () => {
    expect(restorePathProblem('  ')).toBe('Type the path of a backup file');
    expect(restorePathProblem('/tmp/library.zip')).toBe('A backup file’s name ends in .tar.gz');
    expect(restorePathProblem(' /tmp/qckstrt.TAR.GZ ')).toBeUndefined();
    expect(fileNameOf('C:\\Users\\me\\qckstrt-1.tar.gz')).toBe('qckstrt-1.tar.gz');
    expect(fileNameOf('/d/backups/qckstrt-1.tar.gz')).toBe('qckstrt-1.tar.gz');
  });

  it('warns that restoring replaces the library, with what it holds now', () => {
    expect(restoreWarning(12)).toMatch(/^Restoring replaces the current library of 12 documents with this backup’s documents: the previous library is replaced, not merged/);
    expect(restoreWarning(1)).toMatch(/library of 1 document with/);
    expect(restoreWarning(0)).toMatch(/^Restoring replaces the current library, which is empty, with this backup’s documents:/);
    expect(restoreWarning(null)).toMatch(/^Restoring replaces the current library with/);
  });

  it('gives restore errors advice about the archive, not about a form field or re-indexing documents', () => {
    const damaged = toUserError({ kind: 'ValidationError', message: 'Entry x is damaged. Nothing was changed.' }, 'backup');
    expect(damaged.hint).toMatch(/library is as it was/);
    expect(damaged.hint).not.toMatch(/highlighted/);
    expect(toUserError({ kind: 'DimensionMismatch', message: 'another model' }, 'backup').hint).toMatch(/Restore and re-index/);
    expect(toUserError({ kind: 'NotFound', message: 'no file' }, 'backup').title).toBe('No backup file there');
    // Other kinds keep their usual copy.
    expect(toUserError({ kind: 'Internal', message: 'x' }, 'backup').title).toBe('Something went wrong');
  });
});
