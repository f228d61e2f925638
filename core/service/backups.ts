import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BackupInfo, BackupResult, BackupStatus, LastBackup, RestoreResult } from '../api/backup';
import { KbError } from '../api/errors';
import { redactConnectionStrings } from '../api/postgresUrl';
import type { Settings, SettingsPatch } from '../api/settings';
import { backupLibrary } from '../backup/backupLibrary';
import { restoreLibrary } from '../backup/restoreLibrary';
import { verifyBackup } from '../backup/verifyBackup';
import { toPublicSettings, type SettingsStore } from '../config/settingsStore';
import { describeStores, withoutUserInfo } from '../config/storeLocation';
import type { FileStore } from '../ingest/fileStore';
import { countStores, type Reembed } from '../ops/copyLibrary';
import { writeFileAtomic } from '../util/atomicWrite';
import type { Stores } from './providers';
import { droppable, dropGeneration, dropVectorGeneration, generationPatch, newGeneration } from './storeGenerations';

export const BACKUPS_DIR = 'backups';
const LAST_BACKUP = 'last-backup.json';
/** A restore under way names its new generation here, so one killed midway is cleaned up later. */
const RESTORE_MARKER = 'restore-in-progress.json';
const SCHEDULE_MS = { daily: 24 * 3600_000, weekly: 7 * 24 * 3600_000 } as const;
/** How often the schedule looks whether a backup is due (and how long after start it first looks). */
const SCHEDULE_CHECK_MS = 10 * 60_000;
const PROGRESS_EVERY_MS = 100;

/** What a restore under way writes into (kept in RESTORE_MARKER until it has switched). */
interface RestoreMarker {
  generation: string;
  /** Aurora: the rows go into the current (empty) tables; only the vectors get a generation. */
  inPlace: boolean;
  startedAt: string;
}

/** What the service lends backups and restores. */
export interface BackupHost {
  userId: string;
  userEmail: string;
  dataDir: string;
  settings: SettingsStore;
  files: FileStore;
  sqliteNativeBinding?: string;
  stores(): Stores;
  openStores(settings: Settings): Stores;
  /** The loaded model (waits for it). */
  model(): Promise<{ id: string; dimensions: number }>;
  reembed(settings: Settings): Reembed;
  /** Why nothing that moves the library can start now (a provider change or re-index running). */
  busy(): string | undefined;
  /** Whether files are being indexed now. */
  indexing(): boolean;
  pauseIndexing(): Promise<void>;
  resumeIndexing(): Promise<void>;
  switchTo(next: Settings, patch: SettingsPatch): Promise<void>;
  report(status: BackupStatus): void;
}

/** `qckstrt-2026-12-05-140312.tar.gz` (`qckstrt-auto-…` for the schedule's), in local time. */
export function backupFileName(now: Date, automatic: boolean): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `qckstrt-${automatic ? 'auto-' : ''}${stamp}.tar.gz`;
}

/** The settings as a backup keeps them: no password, no secret ARN, no credentials in a URL. */
export function settingsForBackup(s: Settings): unknown {
  const pub = toPublicSettings(s);
  return {
    ...pub,
    relational: { ...pub.relational, aurora: { ...pub.relational.aurora, secretArn: '' } },
    vector: { ...pub.vector, chromaUrl: withoutUserInfo(pub.vector.chromaUrl) },
  };
}

/**
 * Backups (one archive: documents, chunks with their vectors, originals, settings without
 * secrets) and restores into the stores configured now, through a new store generation that is
 * switched to only when its counts match the archive's: a failed or killed restore leaves the
 * library as it was. Also the automatic schedule.
 */
export class Backups {
  private latest: BackupStatus | undefined;
  private runningOp: Promise<unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastReport = 0;

  constructor(private readonly host: BackupHost) {}

  get status(): BackupStatus | undefined {
    return this.latest;
  }

  get folder(): string {
    return join(this.host.dataDir, BACKUPS_DIR);
  }

  lastBackup(): LastBackup | undefined {
    try {
      return JSON.parse(readFileSync(join(this.host.dataDir, LAST_BACKUP), 'utf8')) as LastBackup;
    } catch {
      return undefined;
    }
  }

  /** The archives in the backups folder, newest first. */
  list(): BackupInfo[] {
    if (!existsSync(this.folder)) return [];
    return readdirSync(this.folder)
      .filter((n) => /^qckstrt-.*\.tar\.gz$/.test(n))
      .map((name) => {
        const st = statSync(join(this.folder, name));
        return { path: join(this.folder, name), name, bytes: st.size, createdAt: st.mtime.toISOString(), automatic: name.startsWith('qckstrt-auto-') };
      })
      .sort((a, b) => b.name.localeCompare(a.name));
  }

  async backup(opts: { path?: string; originals?: boolean; automatic?: boolean } = {}): Promise<BackupResult> {
    const automatic = opts.automatic ?? false;
    const file = this.targetFile(opts.path, automatic);
    return this.exclusive('backup', file, async (status) => {
      const started = Date.now();
      const includeOriginals = opts.originals ?? this.host.settings.current().backup.includeOriginals;
      const model = await this.host.model();
      // Nothing is indexed while the archive is read, so it is one consistent moment of the library.
      await this.host.pauseIndexing();
      let manifest;
      try {
        manifest = await backupLibrary(file, {
          userId: this.host.userId,
          stores: this.host.stores(),
          files: this.host.files,
          includeOriginals,
          model,
          settings: settingsForBackup(this.host.settings.current()),
          onProgress: (p) => this.progress(status, p.phase, p.done, p.total),
        });
      } finally {
        await this.host.resumeIndexing();
      }
      const bytes = statSync(file).size;
      const last: LastBackup = { path: file, finishedAt: new Date().toISOString(), bytes, documents: manifest.counts.documents, automatic };
      writeFileAtomic(join(this.host.dataDir, LAST_BACKUP), JSON.stringify(last, null, 2));
      if (automatic) this.prune();
      const { documents, chunks, vectors, originals, originalsMissing } = manifest.counts;
      status.message = `Backed up ${documents} documents (${chunks} chunks, ${vectors} vectors${includeOriginals ? `, ${originals} originals` : ''}) to ${file}.`;
      return { path: file, name: basename(file), bytes, createdAt: last.finishedAt, automatic, documents, chunks, vectors, originals, originalsMissing, ms: Date.now() - started };
    });
  }

  async restore(opts: { path: string; reindex?: boolean }): Promise<RestoreResult> {
    const file = resolve(opts.path);
    if (this.host.indexing()) {
      throw new KbError('ValidationError', 'Files are being indexed: wait for indexing to finish (or cancel it), then restore. Nothing was changed.');
    }
    const before = this.host.settings.current();
    // Aurora's Data API cannot choose a schema per connection, so its rows have no generation:
    // the restore writes into its tables, which must be empty, and a failure empties them again.
    const inPlace = before.relational.provider === 'aurora';
    if (inPlace) {
      const documents = await this.host.stores().relational.countDocuments(this.host.userId);
      if (documents > 0) {
        throw new KbError(
          'ValidationError',
          `A restore into Aurora writes into its tables, so the library there must be empty (it has ${documents} documents). Delete them first, or restore into SQLite or PostgreSQL and move the library to Aurora in Settings. Nothing was changed.`,
        );
      }
    }
    return this.exclusive('restore', file, async (status) => {
      const started = Date.now();
      this.progress(status, 'verifying', 0, 1);
      const manifest = await verifyBackup(file);
      const model = await this.host.model();
      const reindex = opts.reindex ?? false;
      if (!reindex && (manifest.model.id !== model.id || manifest.model.dimensions !== model.dimensions)) {
        throw new KbError(
          'DimensionMismatch',
          `This backup's vectors come from ${manifest.model.id} (${manifest.model.dimensions} numbers each); this library uses ${model.id} (${model.dimensions}). ` +
            `Restore with re-index (kb restore --reindex) to embed the text again with ${model.id}, or switch the model to ${manifest.model.id} first. Nothing was changed.`,
        );
      }
      await this.dropInterruptedRestore();
      const gen = newGeneration();
      const patch = inPlace ? { vector: { generation: gen } } : generationPatch(gen);
      const next = this.host.settings.preview(patch);
      const marker: RestoreMarker = { generation: gen, inPlace, startedAt: status.startedAt };
      writeFileAtomic(join(this.host.dataDir, RESTORE_MARKER), JSON.stringify(marker));
      // In place, nothing else may write to those tables meanwhile.
      let paused = inPlace;
      if (inPlace) await this.host.pauseIndexing();
      const target = this.host.openStores(next);
      let switched = false;
      try {
        await target.relational.connect();
        await target.relational.ensureUser(this.host.userId, this.host.userEmail);
        await target.vector.connect(model.dimensions);
        this.progress(status, 'documents', 0, manifest.counts.documents);
        await restoreLibrary({
          file,
          manifest,
          userId: this.host.userId,
          target,
          files: this.host.files,
          ...(reindex ? { reembed: this.host.reembed(next) } : {}),
          onProgress: (done) => this.progress(status, 'documents', done, manifest.counts.documents),
        });
        this.progress(status, 'checking', 0, 1);
        const counts = await countStores(target, this.host.userId);
        const want = reindex
          ? { documents: manifest.counts.documents, vectors: counts.chunks, keywordChunks: counts.chunks }
          : { documents: manifest.counts.documents, chunks: manifest.counts.chunks, vectors: manifest.counts.vectors, keywordChunks: manifest.counts.vectors };
        const differ = (Object.keys(want) as (keyof typeof want)[]).filter((k) => counts[k] !== want[k]);
        if (differ.length) {
          throw new KbError('ValidationError', `The restored library does not match the backup (${differ.map((k) => `${k} ${want[k]} → ${counts[k]}`).join(', ')}); nothing was switched.`);
        }
        this.progress(status, 'switching', 0, 1);
        await target.close();
        if (!paused) await this.host.pauseIndexing();
        paused = true;
        await this.host.switchTo(next, patch); // indexing resumes on the new stores
        switched = true;
        rmSync(join(this.host.dataDir, RESTORE_MARKER), { force: true });
        const previous = inPlace ? '' : ` ${await this.dropPrevious(before)}`;
        const message = `Restored ${counts.documents} documents (${counts.chunks} chunks, ${counts.vectors} vectors${reindex ? `, embedded again with ${model.id}` : ''}) from ${basename(file)}.${previous}`;
        status.message = message;
        return { path: file, documents: counts.documents, chunks: counts.chunks, vectors: counts.vectors, reindexed: reindex, ms: Date.now() - started, message };
      } finally {
        await target.close().catch(() => {});
        if (!switched) {
          await this.dropRestored(marker).catch((err: unknown) => console.warn(`qckstrt: could not remove what a failed restore wrote: ${(err as Error).message}`));
          rmSync(join(this.host.dataDir, RESTORE_MARKER), { force: true });
          if (paused) await this.host.resumeIndexing().catch(() => {});
        }
      }
    });
  }

  /**
   * A restore killed midway left stores nobody uses: they are removed (at start, before indexing
   * resumes, and before a restore). One that switched before it was killed is left alone.
   */
  async dropInterruptedRestore(): Promise<void> {
    const file = join(this.host.dataDir, RESTORE_MARKER);
    let marker: Partial<RestoreMarker>;
    try {
      marker = JSON.parse(readFileSync(file, 'utf8')) as Partial<RestoreMarker>;
    } catch {
      return;
    }
    const { generation } = marker;
    if (generation && /^[a-z0-9]{1,16}$/.test(generation) && this.host.settings.current().vector.generation !== generation) {
      await this.dropRestored({ generation, inPlace: marker.inPlace === true, startedAt: String(marker.startedAt) }).catch((err: unknown) => {
        console.warn(`qckstrt: could not remove the stores of an interrupted restore: ${(err as Error).message}`);
      });
    }
    rmSync(file, { force: true });
  }

  /** Removes what an unfinished restore wrote: its new generation, or (in place) every row it added. */
  private async dropRestored(marker: RestoreMarker): Promise<void> {
    const { dataDir, sqliteNativeBinding } = this.host;
    if (!marker.inPlace) return dropGeneration(this.host.settings.preview(generationPatch(marker.generation)), dataDir, sqliteNativeBinding);
    const s = this.host.settings.preview({ vector: { generation: marker.generation } });
    await dropVectorGeneration(s, dataDir, sqliteNativeBinding);
    // The tables were empty when it started (checked), so every row of the user is the restore's.
    const relational = this.host.stores().relational;
    for (const doc of await relational.listDocuments(this.host.userId)) await relational.deleteDocument(doc.id);
  }

  /** Checks every SCHEDULE_CHECK_MS whether an automatic backup is due. */
  startSchedule(): void {
    this.timer ??= setInterval(() => void this.runScheduled(), SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  stopSchedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Makes an automatic backup when one is due and nothing else runs; returns it if it did. */
  async runScheduled(now = Date.now()): Promise<BackupResult | undefined> {
    const { schedule } = this.host.settings.current().backup;
    if (schedule === 'off' || this.runningOp || this.host.busy() || this.host.indexing()) return undefined;
    const newest = this.list().find((b) => b.automatic);
    if (newest && now - Date.parse(newest.createdAt) < SCHEDULE_MS[schedule]) return undefined;
    try {
      return await this.backup({ automatic: true });
    } catch (err) {
      console.warn(`qckstrt: the automatic backup failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Keeps the newest `backup.keep` automatic backups; backups made by hand are never deleted. */
  private prune(): void {
    const { keep } = this.host.settings.current().backup;
    for (const old of this.list().filter((b) => b.automatic).slice(keep)) rmSync(old.path, { force: true });
  }

  /** Where a backup goes: the named file, or a new dated file in backups/. */
  private targetFile(path: string | undefined, automatic: boolean): string {
    if (path === undefined) {
      mkdirSync(this.folder, { recursive: true });
      let file = join(this.folder, backupFileName(new Date(), automatic));
      for (let n = 2; existsSync(file); n++) file = file.replace(/(-\d+)?\.tar\.gz$/, `-${n}.tar.gz`);
      return file;
    }
    const file = resolve(path);
    if (!file.endsWith('.tar.gz')) throw new KbError('ValidationError', `Name the backup file with .tar.gz at the end (got ${basename(file)}).`);
    if (existsSync(file)) throw new KbError('ValidationError', `${file} already exists: choose another name (a backup never overwrites a file).`);
    return file;
  }

  /** The stores before a restore, once it has switched: removed where the app owns them whole. */
  private async dropPrevious(before: Settings): Promise<string> {
    const where = describeStores(before);
    if (!droppable(before)) return `The previous library is kept in ${where.relationalWhere} and ${where.vectorWhere}; remove it there when you no longer need it.`;
    try {
      await dropGeneration(before, this.host.dataDir, this.host.sqliteNativeBinding);
      return 'The previous library was removed.';
    } catch (err) {
      return `The previous library could not be removed (${redactConnectionStrings((err as Error).message)}); it stays in ${where.relationalWhere}.`;
    }
  }

  /** One backup or restore at a time, never beside a provider change or a re-index. */
  private async exclusive<T>(operation: BackupStatus['operation'], path: string, run: (status: BackupStatus) => Promise<T>): Promise<T> {
    if (this.runningOp) throw new KbError('ValidationError', `A ${this.latest?.operation ?? 'backup'} is running: wait for it to finish.`);
    const busy = this.host.busy();
    if (busy) throw new KbError('ValidationError', busy);
    const status: BackupStatus = { operation, state: 'running', phase: operation === 'backup' ? 'documents' : 'verifying', done: 0, total: 0, path, startedAt: new Date().toISOString() };
    const op = run(status);
    this.runningOp = op;
    this.report(status, true);
    try {
      const result = await op;
      this.report({ ...status, state: 'done' }, true);
      return result;
    } catch (err) {
      const message = redactConnectionStrings((err as Error).message ?? String(err));
      this.report({ ...status, state: 'failed', message }, true);
      throw err instanceof KbError ? new KbError(err.kind, message, { cause: err }) : new KbError('Internal', message, { cause: err });
    } finally {
      this.runningOp = undefined;
    }
  }

  private progress(status: BackupStatus, phase: BackupStatus['phase'], done: number, total: number): void {
    Object.assign(status, { phase, done, total });
    this.report(status, phase !== 'documents' && phase !== 'originals');
  }

  private report(status: BackupStatus, urgent = false): void {
    this.latest = { ...status };
    if (!urgent && Date.now() - this.lastReport < PROGRESS_EVERY_MS) return;
    this.lastReport = Date.now();
    this.host.report(this.latest);
  }
}
