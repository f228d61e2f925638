import type { StoreCounts } from '../api/providerChange';
import { KbError } from '../api/errors';
import { chunkDocument } from '../ingest/chunkDocument';
import { toChunkVectors, toKeywordChunks } from '../ingest/chunkVectors';
import type { ChunkOptions } from '../ingest/chunker';
import type { TokenBudget } from '../ingest/fitToTokens';
import type { DocumentOutline } from '../ingest/parsers/types';
import type { DocumentRecord, KeywordChunk, RelationalStore } from '../relational/types';
import type { ChunkVector, VectorStore } from '../vector/types';
import type { CopyCheckpoint } from './copyCheckpoint';

export interface StorePair {
  relational: RelationalStore;
  vector: VectorStore;
}

export interface CopyProgress {
  documentsDone: number;
  documentsTotal: number;
  vectorsCopied: number;
  /** Documents an interrupted copy had moved already (not copied again). */
  resumed: number;
}

/** The new model side of a `reindex`: vectors are embedded afresh from the stored text. */
export interface Reembed {
  embed(texts: string[]): Promise<Float32Array[]>;
  chunking: ChunkOptions;
  tokenBudget?: TokenBudget;
}

export interface CopyLibraryDeps {
  userId: string;
  source: StorePair;
  /** The new stores; the side that does not move is the source's own store and is never written. */
  target: StorePair;
  moves: { relational: boolean; vector: boolean };
  /** Re-embed instead of copying the vectors (strategy `reindex`). */
  reembed?: Reembed;
  checkpoint: CopyCheckpoint;
  signal?: AbortSignal;
  onProgress?: (p: CopyProgress) => void;
  /** Documents copied at once (default 1). */
  concurrency?: number;
}

/** What a pair of stores holds for one user. */
export async function countStores(pair: StorePair, userId: string): Promise<StoreCounts> {
  const [docs, vectors, keywordChunks] = await Promise.all([
    pair.relational.listDocuments(userId),
    pair.vector.count(userId),
    pair.relational.countKeywordChunks(userId),
  ]);
  return { documents: docs.length, chunks: docs.reduce((n, d) => n + d.chunkCount, 0), vectors, keywordChunks };
}

/**
 * Whether the moving side of the target can take a copy: `empty`, `partial` (it holds only what
 * an interrupted copy of this library, recorded in the checkpoint, put there) or `occupied`
 * (something else: it is used as it is, or emptied by the user, never overwritten).
 */
export async function inspectTarget(
  deps: Pick<CopyLibraryDeps, 'target' | 'moves' | 'userId' | 'checkpoint'>,
  sourceIds: Set<string>,
): Promise<'empty' | 'partial' | 'occupied'> {
  const ids = await targetDocumentIds(deps);
  if (ids.size === 0) return 'empty';
  if (deps.checkpoint.size === 0) return 'occupied';
  // Documents copied after the last checkpoint save are in the source too: still this copy's.
  for (const id of ids) if (!deps.checkpoint.has(id) && !sourceIds.has(id)) return 'occupied';
  return 'partial';
}

async function targetDocumentIds(deps: Pick<CopyLibraryDeps, 'target' | 'moves' | 'userId'>): Promise<Set<string>> {
  const ids = new Set<string>();
  if (deps.moves.relational) (await deps.target.relational.listDocuments(deps.userId)).forEach((d) => ids.add(d.id));
  if (deps.moves.vector) for (const id of (await deps.target.vector.documentChunkCounts()).keys()) ids.add(id);
  return ids;
}

/**
 * The main pass, while the app keeps serving and indexing from the source: every document not
 * yet in the checkpoint (or changed since it was copied) is copied. The checkpoint records each
 * document with the `updatedAt` it had *before* the pass read it, so a document that changes
 * while it is being copied always differs at the catch-up and is copied again then.
 */
export async function copyLibrary(deps: CopyLibraryDeps): Promise<CopyProgress> {
  const snapshot = await deps.source.relational.listDocuments(deps.userId);
  const versions = new Map(snapshot.map((d) => [d.id, d.updatedAt]));
  const pending = new Set(snapshot.filter((d) => !deps.checkpoint.has(d.id, d.updatedAt)).map((d) => d.id));
  const resumed = snapshot.length - pending.size;
  const progress: CopyProgress = { documentsDone: resumed, documentsTotal: snapshot.length, vectorsCopied: 0, resumed };
  deps.onProgress?.({ ...progress });
  await copyDocuments(deps, pending, versions, progress);
  deps.checkpoint.save();
  return progress;
}

/**
 * The final pass, with indexing paused: documents added or changed since the main pass read them
 * are copied, and documents deleted meanwhile are removed from the target.
 */
export async function catchUpLibrary(deps: CopyLibraryDeps, progress: CopyProgress): Promise<{ copied: number; removed: number }> {
  const now = await deps.source.relational.listDocuments(deps.userId);
  const current = new Set(now.map((d) => d.id));
  let removed = 0;
  for (const id of new Set([...deps.checkpoint.ids(), ...(await targetDocumentIds(deps))])) {
    if (current.has(id)) continue;
    if (deps.moves.vector) await deps.target.vector.deleteByDocument(id);
    if (deps.moves.relational) await deps.target.relational.deleteDocument(id);
    deps.checkpoint.forget(id);
    removed++;
  }
  const changed = new Set(now.filter((d) => !deps.checkpoint.has(d.id, d.updatedAt)).map((d) => d.id));
  progress.documentsTotal += changed.size;
  await copyDocuments(deps, changed, new Map(now.map((d) => [d.id, d.updatedAt])), progress);
  await copyRecentJobs(deps);
  deps.checkpoint.save();
  return { copied: changed.size, removed };
}

/**
 * Copies the listed documents: vectors first, then the row (as ingestion writes them), so a
 * document whose row is in the target always has its vectors. Vectors come from the source's
 * vector store, one document at a time; its chunks are also the keyword index's chunks.
 */
async function copyDocuments(deps: CopyLibraryDeps, ids: Set<string>, versions: Map<string, string>, progress: CopyProgress): Promise<void> {
  const todo = new Set(ids);
  const copy = async (id: string, chunks: ChunkVector[]) => {
    if (deps.signal?.aborted) {
      deps.checkpoint.save();
      throw new KbError('Cancelled', `The copy stopped after ${progress.documentsDone} of ${progress.documentsTotal} documents; apply the change again to resume.`);
    }
    todo.delete(id);
    const copied = await copyDocument(deps, id, chunks);
    if (copied) deps.checkpoint.mark(id, versions.get(id) ?? copied.updatedAt);
    progress.documentsDone++;
    progress.vectorsCopied += copied?.vectors ?? 0;
    deps.onProgress?.({ ...progress });
  };
  // Optionally a few documents in flight, where a store's round trips rather than its work bound
  // the copy (the caller knows which: see core/service/providerChange.ts).
  const inFlight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  const settle = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure.err;
  };
  const schedule = async (id: string, chunks: ChunkVector[]) => {
    const running: Promise<void> = copy(id, chunks)
      .catch((err: unknown) => {
        failure ??= { err };
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
    while (inFlight.size >= (deps.concurrency ?? 1)) await Promise.race(inFlight);
    // After a failure nothing more is started, and nothing still writing is left behind.
    if (failure) await settle();
  };
  if (!deps.reembed && todo.size > 0) {
    for await (const doc of deps.source.vector.scanDocuments()) {
      if (todo.has(doc.documentId)) await schedule(doc.documentId, doc.chunks);
      if (todo.size === 0) break;
    }
  }
  // Re-embedding, and documents that have no vectors (nothing to copy but their row).
  for (const id of [...todo]) await schedule(id, []);
  await settle();
}

async function copyDocument(deps: CopyLibraryDeps, id: string, scanned: ChunkVector[]): Promise<{ updatedAt: string; vectors: number } | undefined> {
  const { source, target, moves } = deps;
  const doc = await source.relational.getDocument(id);
  if (!doc || doc.userId !== deps.userId) return undefined; // deleted meanwhile: the catch-up removes it
  const [text, outline] = await Promise.all([source.relational.getDocumentContent(id), source.relational.getDocumentOutline(id)]);
  const { row, vectors, keywords } = await documentChunks(doc, text ?? '', outline, scanned, deps.reembed);
  if (moves.vector) await target.vector.upsert(doc.userId, id, vectors);
  if (moves.relational) await target.relational.saveDocument(row, text ?? '', outline, keywords);
  return { updatedAt: doc.updatedAt, vectors: moves.vector ? vectors.length : 0 };
}

/**
 * What a document is written with: its stored vectors, whose texts are also its keyword index
 * chunks, or (re-embedding) chunks cut afresh from its text and embedded, with the row's count.
 */
export async function documentChunks(
  doc: DocumentRecord,
  text: string,
  outline: DocumentOutline | undefined,
  stored: ChunkVector[],
  reembed?: Reembed,
): Promise<{ row: DocumentRecord; vectors: ChunkVector[]; keywords: KeywordChunk[] }> {
  if (reembed) {
    const chunks = await chunkDocument(text, outline ?? {}, reembed.chunking, reembed.tokenBudget);
    const vectors = toChunkVectors(doc.id, chunks, chunks.length ? await reembed.embed(chunks.map((c) => c.text)) : []);
    return { row: { ...doc, chunkCount: chunks.length }, vectors, keywords: toKeywordChunks(chunks) };
  }
  const keywords = [...stored]
    .sort((a, b) => a.chunkIndex - b.chunkIndex)
    .map((c) => ({ chunkIndex: c.chunkIndex, content: c.content, charStart: c.charStart, charEnd: c.charEnd, ...(c.location ? { location: c.location } : {}) }));
  return { row: doc, vectors: stored, keywords };
}

/** Recent jobs (the history the UI lists, and any still queued, which the new stores then run). */
async function copyRecentJobs(deps: CopyLibraryDeps): Promise<void> {
  if (!deps.moves.relational) return;
  const jobs = await deps.source.relational.listJobs(deps.userId, 500);
  const existing = new Map((await deps.target.relational.listJobs(deps.userId, 100_000)).map((j) => [j.id, j]));
  await deps.target.relational.createJobs(jobs.filter((j) => !existing.has(j.id)));
  for (const j of jobs) {
    const there = existing.get(j.id);
    if (there && (there.state !== j.state || there.chunksDone !== j.chunksDone)) {
      const { state, chunksDone, chunksTotal, documentId, note, errorKind, errorMessage, storageKey } = j;
      await deps.target.relational.updateJob(j.id, { state, chunksDone, chunksTotal, documentId, note, errorKind, errorMessage, storageKey });
    }
  }
}

/** The copy is complete when both pairs hold the same; otherwise nothing may switch. */
export async function verifyCopy(deps: CopyLibraryDeps): Promise<StoreCounts> {
  const [source, target] = await Promise.all([countStores(deps.source, deps.userId), countStores(deps.target, deps.userId)]);
  const fields = ['documents', 'chunks', 'vectors', 'keywordChunks'] as const;
  const differ = fields.filter((f) => source[f] !== target[f]);
  if (differ.length) {
    const what = differ.map((f) => `${f} ${source[f]} → ${target[f]}`).join(', ');
    const hint =
      source.chunks !== source.vectors
        ? ' The current stores disagree with each other (chunks vs vectors): let reconciliation repair them first (reconcileStores), then apply again.'
        : ' Apply the change again: the copy resumes and copies what is missing.';
    throw new KbError('ValidationError', `The copy does not match the current stores (${what}); nothing was switched.${hint}`);
  }
  return target;
}
