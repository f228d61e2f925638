import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreMismatch } from '../api/providerChange';
import type { RelationalStore } from '../relational/types';
import type { RepairTarget } from '../ingest/ingestQueue';
import type { VectorStore } from '../vector/types';

export interface ReconcileResult {
  /** Documents whose vectors were in the vector store without a row in the relational store. */
  orphansRemoved: number;
  /** Documents whose vectors were missing or incomplete, queued to be re-embedded. */
  repairsQueued: number;
  /** Documents whose keyword index entries were missing or out of date, queued to be rebuilt. */
  keywordBuildsQueued: number;
  /** The stores disagree wholesale: nothing was deleted or queued. */
  mismatch?: StoreMismatch;
  /**
   * Whether every document's vector count was read (`documentChunkCounts()`); false when the
   * stores were unchanged since a clean close that found them in step (see StoresStamp).
   */
  vectorsRead: boolean;
}

/**
 * What a clean close saw of both stores while they were in step: a fingerprint of every
 * document's chunk count on the relational side and the vector store's content stamp. If both
 * are the same at the next start, nobody wrote to either since, so they are still in step and
 * reading every vector's metadata (seconds per 100k vectors on ChromaDB) can be skipped.
 */
export interface StoresStamp {
  rows: string;
  vector: string;
}

/** Order-independent digest of documents' chunk counts (documents, not chunks: cheap). */
export function rowsFingerprint(rows: Map<string, number>): string {
  const hash = createHash('sha256');
  for (const id of [...rows.keys()].sort()) hash.update(`${id}\t${rows.get(id)}\n`);
  return hash.digest('hex');
}

/**
 * The stamp to record at a clean close, or undefined when the stores cannot be vouched for: the
 * vector store has no stamp, jobs are unfinished (they write at the next start), or the totals
 * differ (a write that reached only one store).
 */
export async function stampStores(deps: { relational: RelationalStore; vector: VectorStore }): Promise<StoresStamp | undefined> {
  const [rows, unfinished, vector, vectorCount] = await Promise.all([
    deps.relational.documentChunkCounts(),
    deps.relational.unfinishedJobs(),
    deps.vector.contentStamp(),
    deps.vector.count(),
  ]);
  if (vector === undefined || unfinished.length > 0) return undefined;
  let chunks = 0;
  for (const n of rows.values()) chunks += n;
  if (chunks !== vectorCount) return undefined;
  return { rows: rowsFingerprint(rows), vector };
}

/** Whether the stores are as a clean close left them (any failure to tell: no). */
async function unchangedSince(stamp: StoresStamp | undefined, rows: Map<string, number>, vector: VectorStore): Promise<boolean> {
  if (!stamp || stamp.rows !== rowsFingerprint(rows)) return false;
  try {
    return (await vector.contentStamp()) === stamp.vector;
  } catch {
    return false;
  }
}

/**
 * The clean-close record in the data folder. A start takes it (reads and deletes it, durably,
 * before anything is written) and a clean close writes it again, so after a crash there is none
 * and the next start does the full check.
 */
export const CLEAN_CLOSE_FILE = 'stores-in-step.json';

export function takeCleanClose(dataDir: string): StoresStamp | undefined {
  const path = join(dataDir, CLEAN_CLOSE_FILE);
  let stamp: StoresStamp | undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoresStamp>;
    if (typeof parsed.rows === 'string' && typeof parsed.vector === 'string') stamp = { rows: parsed.rows, vector: parsed.vector };
  } catch {
    // None (the last run did not close cleanly) or unreadable: the full check; remove it below.
  }
  rmSync(path, { force: true });
  syncFolder(dataDir);
  return stamp;
}

export function recordCleanClose(dataDir: string, stamp: StoresStamp): void {
  const path = join(dataDir, CLEAN_CLOSE_FILE);
  const temp = `${path}.tmp`;
  writeFileSync(temp, JSON.stringify(stamp));
  const fd = openSync(temp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  syncFolder(dataDir);
}

/** Makes a file's creation or removal in the folder durable (best effort: not every platform can). */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // e.g. Windows cannot open a folder for fsync
  }
}

/**
 * When the disagreement is wholesale rather than what a crash leaves. A crash leaves at most one
 * document half-written per interrupted write (the queue stores one document at a time; a delete
 * removes vectors, then the row), so one unmatched document is normal and is repaired. Two or
 * more unmatched documents that are also more than half of their side mean the stores hold
 * different libraries — typically one provider was pointed somewhere new — and deleting or
 * re-embedding on that evidence would destroy or duplicate a library. A big library with a
 * minority unmatched (a crash during a bulk delete) is still repaired.
 */
const WHOLESALE_MIN_DOCUMENTS = 2;
const WHOLESALE_SHARE = 0.5;

export function findMismatch(rows: Map<string, number>, vectors: Map<string, number>, busy: Set<string>): StoreMismatch | undefined {
  let vectorsWithoutRows = 0;
  for (const id of vectors.keys()) if (!rows.has(id) && !busy.has(id)) vectorsWithoutRows++;
  let rowsWithoutVectors = 0;
  let rowsWithChunks = 0;
  for (const [id, chunks] of rows) {
    if (chunks === 0) continue; // an empty document legitimately has no vectors
    rowsWithChunks++;
    if (!vectors.has(id) && !busy.has(id)) rowsWithoutVectors++;
  }
  const wholesale = (unmatched: number, of: number) => unmatched >= WHOLESALE_MIN_DOCUMENTS && unmatched > of * WHOLESALE_SHARE;
  const orphanedVectors = wholesale(vectorsWithoutRows, vectors.size);
  const missingVectors = wholesale(rowsWithoutVectors, rowsWithChunks);
  if (!orphanedVectors && !missingVectors) return undefined;
  const message = orphanedVectors
    ? `The vector store holds ${vectors.size} documents' vectors, ${vectorsWithoutRows} of them without a document in the relational store (${rows.size} documents): the relational provider probably points at another database than the one this library was indexed into. Nothing was deleted. Point it back, move the library with a provider change (copy), or reconcile with force to keep only what the relational store lists.`
    : `The relational store lists ${rows.size} documents, ${rowsWithoutVectors} of them without vectors in the vector store (${vectors.size} documents): the vector provider probably points at another (or an empty) store. Nothing was re-embedded. Point it back, move the library with a provider change (copy), or reconcile with force to re-embed the missing vectors.`;
  return { documents: rows.size, vectorDocuments: vectors.size, vectorsWithoutRows, rowsWithoutVectors, message };
}

/**
 * Makes the two stores agree after a crash, where they are not one transaction (Chroma, or a
 * vector store on another server): vectors of documents that have no row are deleted, and
 * documents with fewer or more vectors than chunks are queued for repair (which rewrites their
 * keyword entries too). Documents whose keyword entries are missing or from an older version of
 * the keyword index are queued to have them rebuilt: that back-fills a library indexed before the
 * keyword index existed. Documents an unfinished job is about to write are left to that job.
 * With `lastClose` (the stamp of a clean close) and both stores unchanged since, the vector side is
 * not read: it still matches the rows.
 */
export async function reconcileStores(deps: {
  relational: RelationalStore;
  vector: VectorStore;
  enqueueRepairs: (docs: RepairTarget[]) => Promise<unknown>;
  enqueueKeywordBuilds: (docs: RepairTarget[]) => Promise<unknown>;
  force?: boolean;
  lastClose?: StoresStamp;
}): Promise<ReconcileResult> {
  const [rows, unfinished, staleKeywords] = await Promise.all([
    deps.relational.documentChunkCounts(),
    deps.relational.unfinishedJobs(),
    deps.relational.documentsWithStaleKeywords(),
  ]);
  const vectorsRead = !(await unchangedSince(deps.lastClose, rows, deps.vector));
  const vectors = vectorsRead ? await deps.vector.documentChunkCounts() : rows;
  const busy = new Set(unfinished.map((j) => j.documentId).filter((id): id is string => id !== null));
  const mismatch = findMismatch(rows, vectors, busy);
  if (mismatch && !deps.force) return { orphansRemoved: 0, repairsQueued: 0, keywordBuildsQueued: 0, mismatch, vectorsRead };
  let orphansRemoved = 0;
  for (const id of vectors.keys()) {
    if (rows.has(id) || busy.has(id)) continue;
    await deps.vector.deleteByDocument(id);
    orphansRemoved++;
  }
  const repairs: RepairTarget[] = [];
  for (const [id, chunkCount] of rows) {
    if (busy.has(id) || (vectors.get(id) ?? 0) === chunkCount) continue;
    const doc = await deps.relational.getDocument(id);
    if (doc) repairs.push(doc);
  }
  await deps.enqueueRepairs(repairs);
  const repairing = new Set(repairs.map((d) => d.id));
  const keywordBuilds = staleKeywords.filter((d) => !busy.has(d.id) && !repairing.has(d.id));
  await deps.enqueueKeywordBuilds(keywordBuilds);
  return { orphansRemoved, repairsQueued: repairs.length, keywordBuildsQueued: keywordBuilds.length, vectorsRead };
}
