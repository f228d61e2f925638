import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { KbError } from '../api/errors';
import type { FileStore } from '../ingest/fileStore';
import type { DocumentRecord } from '../relational/types';

/** A document's original file, as the adapters open or serve it. */
export interface OriginalFile {
  path: string;
  name: string;
  mimeType: string;
  size: number;
  /** `source`: the file it was indexed from, unchanged; `copy`: the one kept in the data folder. */
  from: 'source' | 'copy';
}

/** The same digest as `sha256` in fileStore.ts, read as a stream so a large file is never held whole. */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function sizeOfFile(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}

/**
 * Which file shows the document as it was indexed: its source while that still holds the same
 * bytes (the user's own file, where their edits would go), else the copy kept under its hash.
 * A source that was moved, deleted or edited since falls back to the copy.
 */
export async function locateOriginal(
  doc: Pick<DocumentRecord, 'name' | 'sourcePath' | 'storageKey' | 'contentHash' | 'mimeType' | 'size'>,
  files: Pick<FileStore, 'pathOf'>,
): Promise<OriginalFile> {
  const found = (path: string, from: OriginalFile['from']): OriginalFile => ({ path, name: doc.name, mimeType: doc.mimeType, size: doc.size, from });
  if (doc.sourcePath && (await sizeOfFile(doc.sourcePath)) === doc.size) {
    // The size check spares hashing a file that has obviously changed.
    const hash = await sha256OfFile(doc.sourcePath).catch(() => undefined);
    if (hash === doc.contentHash) return found(doc.sourcePath, 'source');
  }
  const copy = files.pathOf(doc.storageKey);
  // The copy is named by its hash; its size is checked so a truncated copy is never shown.
  if ((await sizeOfFile(copy)) === doc.size) return found(copy, 'copy');
  throw new KbError(
    'NotFound',
    `The original of ${doc.name} is no longer available: ${doc.sourcePath ? `${doc.sourcePath} has changed or moved and ` : ''}the copy kept in the data folder is missing or incomplete.`,
  );
}
