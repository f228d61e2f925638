import type { JobProgress } from '../api/types';
import type { JobRecord } from '../relational/types';

export function toJobProgress(j: JobRecord): JobProgress {
  return {
    jobId: j.id,
    batchId: j.batchId,
    fileName: j.fileName,
    ...(j.sourcePath ? { sourcePath: j.sourcePath } : {}),
    state: j.state,
    chunksDone: j.chunksDone,
    chunksTotal: j.chunksTotal,
    ...(j.documentId ? { documentId: j.documentId } : {}),
    ...(j.note ? { note: j.note } : {}),
    ...(j.errorKind ? { error: { kind: j.errorKind, message: j.errorMessage ?? '' } } : {}),
    updatedAt: j.updatedAt,
  };
}
