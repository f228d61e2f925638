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
}

/**
 * Makes the two stores agree after a crash, where they are not one transaction (Chroma, or a
 * vector store on another server): vectors of documents that have no row are deleted, and
 * documents with fewer or more vectors than chunks are queued for repair (which rewrites their
 * keyword entries too). Documents whose keyword entries are missing or from an older version of
 * the keyword index are queued to have them rebuilt: that back-fills a library indexed before the
 * keyword index existed. Documents an unfinished job is about to write are left to that job.
 */
export async function reconcileStores(deps: {
  relational: RelationalStore;
  vector: VectorStore;
  enqueueRepairs: (docs: RepairTarget[]) => Promise<unknown>;
  enqueueKeywordBuilds: (docs: RepairTarget[]) => Promise<unknown>;
}): Promise<ReconcileResult> {
  const [rows, vectors, unfinished, staleKeywords] = await Promise.all([
    deps.relational.documentChunkCounts(),
    deps.vector.documentChunkCounts(),
    deps.relational.unfinishedJobs(),
    deps.relational.documentsWithStaleKeywords(),
  ]);
  const busy = new Set(unfinished.map((j) => j.documentId).filter((id): id is string => id !== null));
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
  return { orphansRemoved, repairsQueued: repairs.length, keywordBuildsQueued: keywordBuilds.length };
}
