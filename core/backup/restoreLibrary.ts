import { KbError } from '../api/errors';
import type { FileStore } from '../ingest/fileStore';
import { documentChunks, type Reembed, type StorePair } from '../ops/copyLibrary';
import type { DocumentRecord } from '../relational/types';
import type { ChunkVector } from '../vector/types';
import { scanArchive } from './archiveReader';
import { chunkLineSchema, decodeVector, documentLineSchema, type BackupManifest, type DocumentLine } from './format';
import { parseManifest } from './verifyBackup';

export interface RestoreLibraryDeps {
  /** A backup verifyBackup() accepted, and its manifest. */
  file: string;
  manifest: BackupManifest;
  /** Who the documents belong to here. */
  userId: string;
  /** The new, empty stores (a new generation), connected. */
  target: StorePair;
  files: FileStore;
  /** Embed the text again (another model) instead of writing the archive's vectors. */
  reembed?: Reembed;
  signal?: AbortSignal;
  onProgress?: (documentsDone: number) => void;
}

/**
 * Writes a verified backup into empty stores, one document at a time as the archive streams by:
 * its vectors, then its row with its text, outline and keyword chunks (rebuilt from the chunks),
 * and the originals into the file store. The caller checks the counts and switches.
 */
export async function restoreLibrary(deps: RestoreLibraryDeps): Promise<{ documents: number; vectors: number }> {
  const { manifest, target } = deps;
  const dims = manifest.model.dimensions;
  let pending: { line: DocumentLine; chunks: ChunkVector[] } | undefined;
  const done = { documents: 0, vectors: 0 };
  const writeDocument = async () => {
    if (!pending) return;
    if (deps.signal?.aborted) throw new KbError('Cancelled', 'The restore was cancelled; the library is as it was.');
    const { line, chunks } = pending;
    pending = undefined;
    const doc: DocumentRecord = { ...line.doc, userId: deps.userId };
    const outline = line.outline ?? undefined;
    const { row, vectors, keywords } = await documentChunks(doc, line.content, outline, chunks, deps.reembed);
    await target.vector.upsert(deps.userId, doc.id, vectors);
    await target.relational.saveDocument(row, line.content, outline, keywords);
    done.documents++;
    done.vectors += vectors.length;
    deps.onProgress?.(done.documents);
  };
  const scan = await scanArchive(deps.file, {
    async line(text) {
      const json = JSON.parse(text) as { t?: string };
      if (json.t === 'doc') {
        await writeDocument();
        pending = { line: documentLineSchema.parse(json), chunks: [] };
        return;
      }
      const c = chunkLineSchema.parse(json);
      if (!pending || deps.reembed) return; // re-embedding cuts the chunks afresh from the text
      const embedding = decodeVector(c.vector, dims);
      if (!embedding) throw new KbError('ValidationError', `A vector of document ${c.documentId} has the wrong length.`);
      pending.chunks.push({
        id: c.id,
        chunkIndex: c.chunkIndex,
        embedding,
        content: c.content,
        charStart: c.charStart,
        charEnd: c.charEnd,
        ...(c.location ? { location: c.location } : {}),
      });
    },
    original(_key, bytes) {
      deps.files.put(bytes);
    },
  });
  await writeDocument();
  // The file was verified before this pass; it must still be that file.
  parseManifest(deps.file, scan);
  return done;
}
