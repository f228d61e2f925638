import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Originals kept in the app's storage under their SHA-256 (the document's storage key), so a
 * document can be reopened and re-indexed even if its source moves. Identical files share one copy.
 */
export class FileStore {
  constructor(private readonly root: string) {}

  /** Where the copy stored under `key` lives (it may not exist). */
  pathOf(key: string): string {
    return join(this.root, key.slice(0, 2), key);
  }

  put(bytes: Uint8Array): string {
    const key = sha256(bytes);
    const path = this.pathOf(key);
    if (!existsSync(path)) {
      mkdirSync(join(this.root, key.slice(0, 2)), { recursive: true });
      writeFileAtomic(path, bytes);
    }
    return key;
  }

  get(key: string): Promise<Uint8Array> {
    return readFile(this.pathOf(key));
  }
}
