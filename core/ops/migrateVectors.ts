import { KbError } from '../api/errors';
import type { VectorStore } from '../vector/types';
import { CopyCheckpoint } from './copyCheckpoint';

export interface MigrationProgress {
  documentsDone: number;
  vectorsCopied: number;
  /** Documents skipped because an earlier, interrupted run already copied them. */
  resumed: number;
}

export interface MigrationResult extends MigrationProgress {
  from: string;
  to: string;
  sourceVectors: number;
  targetVectors: number;
  ms: number;
}

/**
 * Copies every vector from one store to another without re-embedding, one document at a time.
 * A checkpoint file records the documents already copied, so an interrupted run resumes where it
 * stopped (re-copying a document is harmless: upsert replaces). Ends by checking the counts.
 */
export async function migrateVectors(
  from: VectorStore,
  to: VectorStore,
  opts: { checkpointPath: string; onProgress?: (p: MigrationProgress) => void; signal?: AbortSignal },
): Promise<MigrationResult> {
  const started = performance.now();
  const checkpoint = CopyCheckpoint.open(opts.checkpointPath, from.provider, to.provider);
  if (checkpoint.size === 0) {
    const existing = await to.count();
    if (existing > 0) {
      throw new KbError(
        'ValidationError',
        `The ${to.provider} store already holds ${existing} vectors. Migrate into an empty store (or a new collection/table) so the counts can be verified.`,
      );
    }
  }
  const progress: MigrationProgress = { documentsDone: 0, vectorsCopied: 0, resumed: 0 };
  for await (const doc of from.scanDocuments()) {
    if (opts.signal?.aborted) {
      checkpoint.save();
      throw new KbError('Cancelled', `Migration stopped after ${progress.documentsDone} documents; run it again to resume.`);
    }
    if (checkpoint.has(doc.documentId)) {
      progress.resumed++;
    } else {
      await to.upsert(doc.userId, doc.documentId, doc.chunks);
      checkpoint.mark(doc.documentId);
      progress.vectorsCopied += doc.chunks.length;
    }
    progress.documentsDone++;
    opts.onProgress?.({ ...progress });
  }
  checkpoint.save();
  const [sourceVectors, targetVectors] = [await from.count(), await to.count()];
  if (sourceVectors !== targetVectors) {
    throw new KbError(
      'Internal',
      `Counts differ after the migration: ${from.provider} has ${sourceVectors} vectors, ${to.provider} has ${targetVectors}. Run it again to resume; the checkpoint is ${opts.checkpointPath}.`,
    );
  }
  return { ...progress, from: from.provider, to: to.provider, sourceVectors, targetVectors, ms: performance.now() - started };
}
