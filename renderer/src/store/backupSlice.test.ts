import { describe, expect, it, vi } from 'vitest';
import type { BackupInfo, BackupResult, BackupStatus, KbStatus, LastBackup, RestoreResult, Result } from '../../../core/api';
import { fakeClient, ok } from '../testing/fakeClient';
import { publicSettings } from '../testing/settings';
import { backupBusy, canRetryWithReindex, withBackupProgress, withRestoreProgress, type BackupRun, type RestoreRun } from './backupSlice';
import { connectStore } from './connect';
import { createKbStore } from './createKbStore';

const FILE = '/data/backups/qckstrt-2026-12-05-140000.tar.gz';
const progress = (patch: Partial<BackupStatus> = {}): BackupStatus => ({
  operation: 'backup',
  state: 'running',
  phase: 'documents',
  done: 1,
  total: 2,
  path: FILE,
  startedAt: '2026-12-05T14:00:00.000Z',
  ...patch,
});
const info: BackupInfo = { path: FILE, name: 'qckstrt-2026-12-05-140000.tar.gz', bytes: 4096, createdAt: '2026-12-05T14:00:01.000Z', automatic: false };
const result: BackupResult = { ...info, documents: 2, chunks: 5, vectors: 5, originals: 2, originalsMissing: 0, ms: 80 };
const last: LastBackup = { path: FILE, finishedAt: info.createdAt, bytes: 4096, documents: 2, automatic: false };
const restored: RestoreResult = { path: FILE, documents: 2, chunks: 5, vectors: 5, reindexed: false, ms: 90, message: 'Restored 2 documents (5 chunks, 5 vectors) from x. The previous library was removed.' };
const kbStatus = (patch: Partial<KbStatus> = {}) => ({ counts: { documents: 2, chunks: 5, vectors: 5, keywordChunks: 5 }, lastBackup: null, ...patch }) as unknown as KbStatus;
const fail = (kind: string, message: string): Result<never> => ({ ok: false, error: { kind, message } as never });

function storeWith(handlers: Parameters<typeof fakeClient>[0] = {}) {
  const fake = fakeClient({
    getStatus: () => ok(kbStatus()),
    listBackups: () => ok({ backups: [], last: null, folder: '/data/backups' }),
    listDocuments: () => ok([]),
    listJobs: () => ok([]),
    listWatchedFolders: () => ok([]),
    getSettings: () => ok(publicSettings()),
    ...handlers,
  });
  return { ...fake, store: createKbStore(fake.client) };
}

describe('pure updates of the backup slice', () => {
  it('gives progress to the run of its own kind only, while it runs', () => {
    const idle: BackupRun = { step: 'idle' };
    expect(withBackupProgress(idle, progress())).toBe(idle);
    const running: BackupRun = { step: 'running', progress: null };
    expect(withBackupProgress(running, progress())).toEqual({ step: 'running', progress: progress() });
    expect(withBackupProgress(running, progress({ operation: 'restore' }))).toBe(running);
    const restoring: RestoreRun = { step: 'running', path: FILE, reindex: false, progress: null };
    expect(withRestoreProgress(restoring, progress({ operation: 'restore', phase: 'verifying' }))).toMatchObject({ progress: { phase: 'verifying' } });
    expect(withRestoreProgress(restoring, progress())).toBe(restoring);
  });

  it('is busy while either runs here or the core reports one running, and offers re-index only after a model mismatch', () => {
    const idle = { backupRun: { step: 'idle' }, restoreRun: { step: 'idle' }, status: null } as const;
    expect(backupBusy(idle)).toBe(false);
    expect(backupBusy({ ...idle, backupRun: { step: 'running', progress: null } })).toBe(true);
    expect(backupBusy({ ...idle, status: kbStatus({ backup: progress() }) })).toBe(true);
    expect(backupBusy({ ...idle, status: kbStatus({ backup: progress({ state: 'done' }) }) })).toBe(false);
    const failed = (kind: string, reindex = false): RestoreRun => ({ step: 'failed', path: FILE, reindex, error: { kind, message: 'm' } as never, progress: null });
    expect(canRetryWithReindex(failed('DimensionMismatch'))).toBe(true);
    expect(canRetryWithReindex(failed('DimensionMismatch', true))).toBe(false);
    expect(canRetryWithReindex(failed('ValidationError'))).toBe(false);
  });
});

describe('the backup slice against a fake core', () => {
  it('backs up now, shows the progress events, then the result, the list and the last backup', async () => {
    let finish!: (r: Result<BackupResult>) => void;
    let listed: BackupInfo[] = [];
    const { store, calls, client, emit } = storeWith({
      backupLibrary: () => new Promise((r) => (finish = r)),
      listBackups: () => ok({ backups: listed, last: null, folder: '/data/backups' }),
      getStatus: () => ok(kbStatus({ lastBackup: listed.length ? last : null })),
    });
    const off = connectStore(client, store);
    await store.getState().refreshStatus();
    const done = store.getState().backUpNow();
    expect(store.getState().backupRun).toEqual({ step: 'running', progress: null });
    // A second press while it runs does nothing.
    await store.getState().backUpNow();
    expect(calls.filter((c) => c.method === 'backupLibrary')).toHaveLength(1);
    expect(calls.find((c) => c.method === 'backupLibrary')?.input).toBeUndefined();

    emit('backupProgress', progress());
    expect(store.getState().backupRun).toEqual({ step: 'running', progress: progress() });
    expect(store.getState().status?.backup).toEqual(progress());

    listed = [info];
    finish(ok(result));
    await done;
    expect(store.getState().backupRun).toEqual({ step: 'done', result });
    expect(store.getState().backups).toEqual([info]);
    expect(store.getState().status?.lastBackup).toEqual(last);
    store.getState().dismissBackupRun();
    expect(store.getState().backupRun).toEqual({ step: 'idle' });
    off();
  });

  it('shows a failed backup’s error', async () => {
    const { store } = storeWith({ backupLibrary: () => fail('ValidationError', 'A restore is running: wait for it to finish.') });
    await store.getState().backUpNow();
    expect(store.getState().backupRun).toEqual({ step: 'error', error: { kind: 'ValidationError', message: 'A restore is running: wait for it to finish.' } });
  });

  it('restores only after confirmation, then reloads documents, status, jobs, folders, backups and settings', async () => {
    const { store, calls } = storeWith({ restoreLibrary: () => ok(restored) });
    store.getState().askRestore(FILE);
    expect(store.getState().restoreRun).toEqual({ step: 'confirm', path: FILE });
    expect(calls.map((c) => c.method)).not.toContain('restoreLibrary');
    // Cancel closes without restoring.
    store.getState().closeRestore();
    expect(store.getState().restoreRun).toEqual({ step: 'idle' });
    await store.getState().confirmRestore();
    expect(calls.map((c) => c.method)).not.toContain('restoreLibrary');

    store.getState().askRestore(FILE);
    const before = calls.length;
    await store.getState().confirmRestore();
    expect(calls.find((c) => c.method === 'restoreLibrary')?.input).toEqual({ path: FILE });
    expect(store.getState().restoreRun).toEqual({ step: 'done', path: FILE, result: restored });
    expect(new Set(calls.slice(before).map((c) => c.method))).toEqual(
      new Set(['restoreLibrary', 'getStatus', 'listDocuments', 'listJobs', 'listWatchedFolders', 'listBackups', 'getSettings']),
    );
    store.getState().closeRestore();
    expect(store.getState().restoreRun).toEqual({ step: 'idle' });
  });

  it('after another model’s backup is refused, retries with reindex on request', async () => {
    const inputs: unknown[] = [];
    const { store } = storeWith({
      restoreLibrary: (input) => {
        inputs.push(input);
        return inputs.length === 1 ? fail('DimensionMismatch', 'This backup’s vectors come from another model.') : ok({ ...restored, reindexed: true });
      },
    });
    store.getState().askRestore(FILE);
    await store.getState().confirmRestore();
    const failed = store.getState().restoreRun;
    expect(failed).toMatchObject({ step: 'failed', reindex: false, error: { kind: 'DimensionMismatch' } });
    expect(canRetryWithReindex(failed)).toBe(true);
    await store.getState().confirmRestore({ reindex: true });
    expect(inputs).toEqual([{ path: FILE }, { path: FILE, reindex: true }]);
    expect(store.getState().restoreRun).toMatchObject({ step: 'done', result: { reindexed: true } });
  });

  it('keeps the dialog open while the restore runs, with its progress; no backup or second restore meanwhile', async () => {
    let finish!: (r: Result<RestoreResult>) => void;
    const { store, calls } = storeWith({ restoreLibrary: () => new Promise((r) => (finish = r)) });
    store.getState().askRestore(FILE);
    const running = store.getState().confirmRestore();
    store.getState().applyBackupProgress(progress({ operation: 'restore', phase: 'documents', done: 1, total: 2 }));
    expect(store.getState().restoreRun).toMatchObject({ step: 'running', progress: { operation: 'restore', done: 1 } });
    store.getState().closeRestore();
    expect(store.getState().restoreRun.step).toBe('running');
    await store.getState().backUpNow();
    store.getState().askRestore('/other.tar.gz');
    expect(calls.map((c) => c.method)).not.toContain('backupLibrary');
    expect(store.getState().restoreRun).toMatchObject({ step: 'running', path: FILE });
    finish(fail('ValidationError', 'Files are being indexed: wait for indexing to finish.'));
    await running;
    expect(store.getState().restoreRun).toMatchObject({ step: 'failed', progress: { done: 1 } });
  });

  it('connectStore: an automatic backup’s events reach Status, and its end reloads the list and the last backup', async () => {
    vi.useFakeTimers();
    try {
      const { store, client, emit, calls } = storeWith();
      const off = connectStore(client, store);
      await vi.runAllTimersAsync();
      expect(store.getState().backupFolder).toBe('/data/backups');
      emit('backupProgress', progress());
      expect(store.getState().status?.backup).toEqual(progress());
      expect(backupBusy(store.getState())).toBe(true);
      const before = calls.length;
      emit('backupProgress', progress({ state: 'done' }));
      await vi.runAllTimersAsync();
      expect(calls.slice(before).map((c) => c.method).sort()).toEqual(['getStatus', 'listBackups']);
      off();
    } finally {
      vi.useRealTimers();
    }
  });
});
