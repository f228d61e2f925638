import { join } from 'node:path';
import { KbError, type ErrorKind } from '../api/errors';
import { redactConnectionStrings } from '../api/postgresUrl';
import type { ProviderChangePlan, ProviderChangeStatus, ProviderChangeStrategy, StoreCounts } from '../api/providerChange';
import type { Settings, SettingsPatch } from '../api/settings';
import type { ConnectionTestResult, IndexBuild } from '../api/types';
import type { SettingsStore } from '../config/settingsStore';
import { describeStores, relationalIdentity, storeMoves, vectorIdentity } from '../config/storeLocation';
import { CopyCheckpoint } from '../ops/copyCheckpoint';
import { catchUpLibrary, copyLibrary, countStores, inspectTarget, verifyCopy, type CopyLibraryDeps, type Reembed, type StorePair } from '../ops/copyLibrary';
import type { Stores } from './providers';

/** An interrupted copy's progress, in the data folder (resumed by the next apply of the same change). */
export const PROVIDER_CHANGE_CHECKPOINT = 'provider-change-checkpoint.json';

/** What the service lends a provider change. */
export interface ProviderChangeHost {
  userId: string;
  userEmail: string;
  dataDir: string;
  settings: SettingsStore;
  /** The stores in use now. */
  stores(): Stores;
  /** The stores of candidate settings, not yet connected. */
  openStores(settings: Settings): Stores;
  /** The loaded model's dimension (waits for the model; throws if it cannot load). */
  dimensions(): Promise<number>;
  /** The loaded model, for a `reindex`. */
  reembed(settings: Settings): Reembed;
  testConnection(patch: SettingsPatch): Promise<ConnectionTestResult>;
  /** Why no change can start now (a model re-index running), if so. */
  busy(): string | undefined;
  /** Stops indexing for the final catch-up. */
  pauseIndexing(): Promise<void>;
  /** Resumes indexing on the stores in use (after a failure). */
  resumeIndexing(): Promise<void>;
  /** Saves the patch and moves the app onto the new stores (indexing resumes there). */
  switchTo(next: Settings, patch: SettingsPatch): Promise<void>;
  /** Saves a patch that moves no store (and reconnects, as updateSettings does). */
  saveOnly(patch: SettingsPatch): Promise<void>;
  report(status: ProviderChangeStatus): void;
  /** A copy or re-index finished and was switched to (for Status's index build time). */
  indexBuilt(build: IndexBuild): void;
}

/** Emit progress at most this often (a copy of 10,000 documents is not 10,000 events). */
const PROGRESS_EVERY_MS = 100;

/**
 * Moving the library to other database providers: the plan (computed without changing the
 * library), and applying it — copy or re-index into the new stores while the app keeps serving
 * from the current ones, catch up with indexing paused, verify the counts, then switch. On any
 * failure the current settings and stores stay in force.
 */
export class ProviderChanges {
  private running: { abort: AbortController } | undefined;
  private latest: ProviderChangeStatus | undefined;

  constructor(private readonly host: ProviderChangeHost) {}

  get status(): ProviderChangeStatus | undefined {
    return this.latest;
  }

  /** Stops a running change; too late once it is switching (the copy is verified by then). */
  cancel(): boolean {
    if (!this.running || this.running.abort.signal.aborted || this.latest?.phase === 'switching') return false;
    this.running.abort.abort();
    return true;
  }

  async plan(patch: SettingsPatch): Promise<ProviderChangePlan> {
    return (await this.planWithState(patch, this.running !== undefined)).plan;
  }

  private async planWithState(patch: SettingsPatch, changeRunning: boolean) {
    const { host } = this;
    const before = host.settings.current();
    const next = host.settings.preview(patch);
    const moves = storeMoves(before, next);
    const from = describeStores(before);
    const to = describeStores(next);
    const changesStores = moves.relational || moves.vector;
    const current = host.stores();
    const sourceDocs = await current.relational.listDocuments(host.userId);
    const source = await countStores(current, host.userId).catch(() => countRowsOnly(current, host.userId));
    const test = await host.testConnection(patch);
    const blockers: string[] = [];
    const notes: string[] = [];
    if (changeRunning) blockers.push('A provider change is already running: wait for it to finish or cancel it.');
    const busy = host.busy();
    if (busy) blockers.push(busy);
    const pinnedBy = host.settings.envOverrides(patch);
    if (pinnedBy.length) {
      blockers.push(`The environment sets ${pinnedBy.join(', ')}, which win over Settings: this change would be undone at the next start. Change or unset them instead.`);
    }
    if (!changesStores) {
      notes.push('No store moves: applying saves the settings and reconnects.');
      return { plan: { changesStores, from, to, moves, source, target: source, test, strategies: blockers.length ? [] : ['switch'], blockers, notes } as ProviderChangePlan, next };
    }
    for (const side of ['relational', 'vector'] as const) {
      const health = test[side];
      if (moves[side] && !health.available) {
        const where = side === 'relational' ? to.relationalWhere : to.vectorWhere;
        blockers.push(redact(`The new ${side} store (${where}) cannot be reached: ${health.message ?? 'no answer'}. Start it or correct the settings, then plan again.`));
      }
    }
    let target: StoreCounts | null = null;
    let state: 'empty' | 'partial' | 'occupied' | undefined;
    let checkpoint: CopyCheckpoint | undefined;
    if (blockers.length === 0) {
      const candidate = host.openStores(next);
      try {
        const pair = await connectTarget(host, current, candidate, moves);
        target = await countStores(pair, host.userId);
        checkpoint = this.checkpoint(before, next);
        state = await inspectTarget({ target: pair, moves, userId: host.userId, checkpoint }, new Set(sourceDocs.map((d) => d.id)));
      } catch (err) {
        blockers.push(redact(`The new stores cannot be used: ${(err as Error).message}`));
      } finally {
        await candidate.close();
      }
    }
    let strategies: ProviderChangeStrategy[] = [];
    let resumable: ProviderChangePlan['resumable'];
    if (blockers.length === 0 && target) {
      if (state === 'occupied') {
        strategies = ['switch'];
        notes.push(
          `The new stores already hold a library (${target.documents} documents, ${target.vectors} vectors): applying uses them as they are and copies nothing. To copy this library there instead, empty them (or choose another database or collection) and plan again.`,
        );
      } else if (source.documents === 0) {
        strategies = ['switch'];
        notes.push('The current library is empty: there is nothing to copy.');
      } else {
        strategies = moves.vector ? ['copy', 'reindex'] : ['copy'];
        if (state === 'partial' && checkpoint) resumable = { documentsDone: checkpoint.size };
        notes.push(
          `Copy moves ${source.documents} documents (${source.chunks} chunks)${moves.relational ? ' with their text, outline, keyword index and recent jobs' : ''}${moves.vector ? ` and ${source.vectors} vectors without re-embedding` : ''}; search and indexing keep using the current stores until the copy is verified.`,
        );
        if (moves.vector) notes.push(`Re-index embeds the ${source.chunks} chunks afresh from the stored text: slower than copying.`);
        if (resumable) notes.push(`An interrupted copy moved ${resumable.documentsDone} documents already: it resumes from there.`);
      }
      if (!moves.relational) notes.push(`Only the vectors move; the documents stay in ${from.relationalWhere}.`);
      if (!moves.vector) notes.push(`Only the relational store moves; the vectors stay in ${from.vectorWhere}.`);
      notes.push('The current stores are left as they are: you can switch back to them later.');
    }
    const plan: ProviderChangePlan = { changesStores, from, to, moves, source, target, test, strategies, blockers, ...(resumable ? { resumable } : {}), notes };
    return { plan, next };
  }

  async apply(patch: SettingsPatch, strategy: ProviderChangeStrategy): Promise<ProviderChangeStatus> {
    if (this.running) throw new KbError('ValidationError', 'A provider change is already running: wait for it to finish or cancel it.');
    const abort = new AbortController();
    this.running = { abort };
    try {
      const { plan, next } = await this.planWithState(patch, false);
      if (!plan.changesStores) {
        if (plan.blockers.length) throw new KbError('ValidationError', plan.blockers.join(' '));
        await this.host.saveOnly(patch);
        return this.finish(this.start('switch', plan), 'done', 'Nothing moved; the settings are saved.');
      }
      if (plan.blockers.length) {
        const unreachable = plan.moves.relational && !plan.test.relational.available || plan.moves.vector && !plan.test.vector.available;
        throw new KbError(unreachable ? 'ProviderUnavailable' : 'ValidationError', `Not switched: ${plan.blockers.join(' ')}`);
      }
      if (!plan.strategies.includes(strategy)) {
        throw new KbError('ValidationError', `Not switched: "${strategy}" is not possible for this change; the plan offers ${plan.strategies.join(', ')}. ${plan.notes[0] ?? ''}`.trim());
      }
      const status = this.start(strategy, plan);
      if (strategy === 'switch') {
        status.phase = 'switching';
        this.report(status, true);
        await this.host.switchTo(next, patch);
        return this.finish(status, 'done', `Now using ${plan.to.relationalWhere} and ${plan.to.vectorWhere} as they are.`);
      }
      return await this.copy(plan, next, patch, strategy, status, abort.signal);
    } catch (err) {
      throw this.fail(err, abort.signal);
    } finally {
      this.running = undefined;
    }
  }

  private async copy(
    plan: ProviderChangePlan,
    next: Settings,
    patch: SettingsPatch,
    strategy: ProviderChangeStrategy,
    status: ProviderChangeStatus,
    signal: AbortSignal,
  ): Promise<ProviderChangeStatus> {
    const { host } = this;
    const before = host.settings.current();
    const current = host.stores();
    const candidate = host.openStores(next);
    let paused = false;
    try {
      const pair = await connectTarget(host, current, candidate, plan.moves);
      let checkpoint = this.checkpoint(before, next);
      const sourceIds = new Set((await current.relational.listDocuments(host.userId)).map((d) => d.id));
      const state = await inspectTarget({ target: pair, moves: plan.moves, userId: host.userId, checkpoint }, sourceIds);
      if (state === 'occupied') throw new KbError('ValidationError', 'Not switched: the new stores are not empty any more; plan again.');
      if (state === 'empty' && checkpoint.size > 0) {
        checkpoint.remove(); // the target was emptied since: start over
        checkpoint = this.checkpoint(before, next);
      }
      const deps: CopyLibraryDeps = {
        userId: host.userId,
        source: current,
        target: pair,
        moves: plan.moves,
        ...(strategy === 'reindex' ? { reembed: host.reembed(next) } : {}),
        checkpoint,
        signal,
        concurrency: copyConcurrency(next, plan.moves),
        onProgress: (p) => {
          Object.assign(status, p);
          this.report(status);
        },
      };
      status.phase = 'copying';
      this.report(status, true);
      const progress = await copyLibrary(deps);
      status.phase = 'catching-up';
      this.report(status, true);
      await host.pauseIndexing();
      paused = true;
      await catchUpLibrary(deps, progress);
      status.phase = 'verifying';
      this.report(status, true);
      const counts = await verifyCopy(deps);
      if (signal.aborted) throw new KbError('Cancelled', 'Cancelled before switching; apply the change again to resume.');
      status.phase = 'switching';
      this.report(status, true);
      await candidate.close();
      await host.switchTo(next, patch);
      paused = false;
      checkpoint.remove();
      host.indexBuilt({
        kind: strategy === 'reindex' ? 'reindex' : 'copy',
        documents: counts.documents,
        vectors: counts.vectors,
        ms: Date.now() - Date.parse(status.startedAt),
        finishedAt: new Date().toISOString(),
      });
      return this.finish(
        status,
        'done',
        `Verified and switched: ${counts.documents} documents, ${counts.chunks} chunks, ${counts.vectors} vectors and ${counts.keywordChunks} keyword entries, as in ${plan.from.relationalWhere} / ${plan.from.vectorWhere}, which are left as they were.`,
      );
    } finally {
      await candidate.close().catch(() => {});
      if (paused) await host.resumeIndexing();
    }
  }

  private checkpoint(before: Settings, next: Settings): CopyCheckpoint {
    const id = (s: Settings) => `${relationalIdentity(s)} + ${vectorIdentity(s)}`;
    return CopyCheckpoint.open(join(this.host.dataDir, PROVIDER_CHANGE_CHECKPOINT), id(before), id(next));
  }

  private start(strategy: ProviderChangeStrategy, plan: ProviderChangePlan): ProviderChangeStatus {
    const status: ProviderChangeStatus = {
      strategy,
      from: plan.from,
      to: plan.to,
      state: 'running',
      phase: 'connecting',
      documentsDone: 0,
      documentsTotal: plan.source.documents,
      vectorsCopied: 0,
      resumed: 0,
      startedAt: new Date().toISOString(),
    };
    this.report(status, true);
    return status;
  }

  private lastReport = 0;

  private report(status: ProviderChangeStatus, urgent = false): void {
    this.latest = { ...status };
    if (!urgent && Date.now() - this.lastReport < PROGRESS_EVERY_MS) return;
    this.lastReport = Date.now();
    this.host.report(this.latest);
  }

  private finish(status: ProviderChangeStatus, state: 'done' | 'failed' | 'cancelled', message: string): ProviderChangeStatus {
    Object.assign(status, { state, phase: 'finished', finishedAt: new Date().toISOString(), message: redact(message) });
    this.report(status, true);
    return { ...status };
  }

  /** The rejection a user reads: its kind, why, and that nothing changed. */
  private fail(err: unknown, signal: AbortSignal): KbError {
    const kind: ErrorKind = signal.aborted ? 'Cancelled' : err instanceof KbError ? err.kind : 'ProviderUnavailable';
    let message = redact((err as Error).message ?? String(err));
    if (kind === 'Cancelled' && !(err instanceof KbError && err.kind === 'Cancelled')) message = `Cancelled: ${message}`;
    if (!/^(Not switched|Cancelled|The copy)/.test(message)) message = `Not switched: ${message}`;
    if (this.latest?.state === 'running') {
      message = `${message.replace(/[.\s]*$/, '.')} The current settings and stores stay in use.`;
      this.finish(this.latest, kind === 'Cancelled' ? 'cancelled' : 'failed', message);
    }
    return new KbError(kind, message, { cause: err });
  }
}

/**
 * The pair a copy writes: the moving sides from the candidate stores (connected and migrated),
 * the others the stores in use (read only).
 */
async function connectTarget(host: ProviderChangeHost, current: Stores, candidate: Stores, moves: { relational: boolean; vector: boolean }): Promise<StorePair> {
  if (moves.relational) {
    await candidate.relational.connect();
    await candidate.relational.ensureUser(host.userId, host.userEmail);
  }
  if (moves.vector) await candidate.vector.connect(await host.dimensions());
  return { relational: moves.relational ? candidate.relational : current.relational, vector: moves.vector ? candidate.vector : current.vector };
}

/**
 * Documents copied at once. Measured here (200 documents × 5 chunks, a loaded 2-core machine):
 * into PostgreSQL 4 in flight copied 35 documents/s against 22 one at a time; into ChromaDB 4 in
 * flight were slower (5 against 8 documents/s: the server serialises writes), so one at a time.
 */
function copyConcurrency(next: Settings, moves: { relational: boolean; vector: boolean }): number {
  return moves.vector && next.vector.provider === 'chromadb' ? 1 : 4;
}

/** When the current vector store cannot answer (the model is still loading), rows still count. */
async function countRowsOnly(pair: StorePair, userId: string): Promise<StoreCounts> {
  const docs = await pair.relational.listDocuments(userId);
  return { documents: docs.length, chunks: docs.reduce((n, d) => n + d.chunkCount, 0), vectors: 0, keywordChunks: await pair.relational.countKeywordChunks(userId) };
}

const redact = redactConnectionStrings;
