import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * What a hub ETag can prove. The hub's ETag for an LFS file (`X-Linked-Etag`) is the file's
 * SHA-256; for a file stored in git it is the git blob SHA-1, `sha1("blob <size>\0" + content)`.
 * Anything else (a mirror's own ETag) proves nothing.
 */
export type ChecksumKind = 'sha256' | 'git-sha1';

export function checksumKind(etag: string | undefined): ChecksumKind | undefined {
  if (!etag) return undefined;
  if (/^[0-9a-f]{64}$/i.test(etag)) return 'sha256';
  if (/^[0-9a-f]{40}$/i.test(etag)) return 'git-sha1';
  return undefined;
}

/** Feeds bytes [0, end) of a file into `hash` (all of it when `end` is undefined). */
export async function hashFileInto(hash: Hash, path: string, end?: number): Promise<void> {
  if (end === 0) return;
  const stream = createReadStream(path, end === undefined ? {} : { start: 0, end: end - 1 });
  for await (const chunk of stream) hash.update(chunk as Buffer);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path);
  return hash.digest('hex');
}

export async function gitBlobSha1File(path: string, size: number): Promise<string> {
  const hash = createHash('sha1');
  hash.update(`blob ${size}\0`);
  await hashFileInto(hash, path);
  return hash.digest('hex');
}

export const gitBlobSha1 = (data: Uint8Array): string =>
  createHash('sha1').update(`blob ${data.byteLength}\0`).update(data).digest('hex');

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
