import { existsSync } from 'node:fs';
import pkg from '../../package.json';
import { KbError } from '../api/errors';
import type { FileStore } from '../ingest/fileStore';
import type { StorePair } from '../ops/copyLibrary';
import type { DocumentRecord } from '../relational/types';
import { KEYWORD_INDEX_VERSION } from '../search/keywordText';
import type { ChunkVector } from '../vector/types';
import { ArchiveWriter } from './archiveWriter';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  encodeVector,
  libraryPartName,
  MANIFEST_ENTRY,
  originalEntryName,
  PART_BYTES,
  SETTINGS_ENTRY,
  type BackupManifest,
  type ChunkLine,
  type DocumentLine,
} from './format';

export interface BackupProgressFigures {
  phase: 'documents' | 'originals' | 'finishing';
  done: number;
  total: number;
}

export interface BackupLibraryDeps {
  userId: string;
  stores: StorePair;
  files: FileStore;
  includeOriginals: boolean;
  model: { id: string; dimensions: number };
  /** The settings as saved, already without secrets. */
  settings: unknown;
  signal?: AbortSignal;
  onProgress?: (p: BackupProgressFigures) => void;
}

/**
 * Writes the user's library to `file`: every document with its text and outline, its chunks with
 * their vectors, the kept originals, the settings and the manifest. Reads one document at a time
 * and cuts the library into parts of about PART_BYTES, so memory stays bounded at any size. The
 * caller keeps the library still meanwhile (indexing paused): this is then a consistent snapshot.
 */
export async function backupLibrary(file: string, deps: BackupLibraryDeps): Promise<BackupManifest> {
  const docs = new Map((await deps.stores.relational.listDocuments(deps.userId)).map((d) => [d.id, d]));
  const writer = new ArchiveWriter(file);
  const counts = { documents: 0, chunks: 0, vectors: 0, originals: 0, originalsMissing: 0 };
  let part: string[] = [];
  let partBytes = 0;
  let parts = 0;
  const flush = async () => {
    if (!part.length) return;
    await writer.add(libraryPartName(++parts), Buffer.from(part.join(''), 'utf8'));
    part = [];
    partBytes = 0;
  };
  const push = async (line: DocumentLine | ChunkLine) => {
    const text = `${JSON.stringify(line)}\n`;
    part.push(text);
    partBytes += text.length;
    if (partBytes >= PART_BYTES) await flush();
  };
  const progress = (phase: BackupProgressFigures['phase'], done: number, total: number) => {
    if (deps.signal?.aborted) throw new KbError('Cancelled', 'The backup was cancelled; nothing was kept.');
    deps.onProgress?.({ phase, done, total });
  };
  const writeDocument = async (doc: DocumentRecord, chunks: ChunkVector[]) => {
    const [content, outline] = await Promise.all([deps.stores.relational.getDocumentContent(doc.id), deps.stores.relational.getDocumentOutline(doc.id)]);
    const { userId: _owner, ...row } = doc;
    await push({ t: 'doc', doc: row, content: content ?? '', outline: (outline as DocumentLine['outline']) ?? null });
    for (const c of [...chunks].sort((a, b) => a.chunkIndex - b.chunkIndex)) {
      if (c.embedding.length !== deps.model.dimensions) {
        throw new KbError('DimensionMismatch', `Document "${doc.name}" has ${c.embedding.length}-number vectors where the model has ${deps.model.dimensions}: re-index it, then back up.`);
      }
      await push({
        t: 'chunk',
        documentId: doc.id,
        id: c.id,
        chunkIndex: c.chunkIndex,
        content: c.content,
        charStart: c.charStart,
        charEnd: c.charEnd,
        ...(c.location ? { location: c.location } : {}),
        vector: encodeVector(c.embedding),
      });
    }
    counts.documents++;
    counts.chunks += doc.chunkCount;
    counts.vectors += chunks.length;
    progress('documents', counts.documents, docs.size);
  };
  try {
    progress('documents', 0, docs.size);
    const written = new Set<string>();
    for await (const found of deps.stores.vector.scanDocuments()) {
      const doc = docs.get(found.documentId);
      if (!doc || doc.userId !== deps.userId || written.has(doc.id)) continue; // another user's, or an orphan
      written.add(doc.id);
      await writeDocument(doc, found.chunks);
    }
    // Documents without vectors (empty ones, or ones whose vectors are being repaired): the row alone.
    for (const doc of docs.values()) if (!written.has(doc.id)) await writeDocument(doc, []);
    await flush();

    const keys = deps.includeOriginals ? [...new Set([...docs.values()].map((d) => d.storageKey).filter((k) => /^[0-9a-f]{64}$/.test(k)))] : [];
    for (const key of keys) {
      const path = deps.files.pathOf(key);
      if (existsSync(path)) {
        await writer.addFile(originalEntryName(key), path);
        counts.originals++;
      } else counts.originalsMissing++;
      progress('originals', counts.originals + counts.originalsMissing, keys.length);
    }
    progress('finishing', 0, 1);
    await writer.add(SETTINGS_ENTRY, Buffer.from(JSON.stringify(deps.settings, null, 2)));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      app: { name: pkg.name, version: pkg.version },
      keywordIndexVersion: KEYWORD_INDEX_VERSION,
      createdAt: new Date().toISOString(),
      model: deps.model,
      providers: { relational: deps.stores.relational.provider, vector: deps.stores.vector.provider },
      counts,
      originals: deps.includeOriginals,
      entries: [...writer.entries],
    };
    await writer.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 2)));
    await writer.finish();
    return manifest;
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
