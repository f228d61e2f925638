import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomicWrite';
import { sha256File } from './checksums';
import type { DownloadedFile } from './fileDownload';

/**
 * `<destRoot>/<modelId>/.complete.json`, written last by a download: the model is whole only when
 * it exists and every file it lists is there with its size. A download in progress (or one that
 * stopped half-way) has no marker, so it is never loaded.
 */
export const COMPLETE_MARKER = '.complete.json';

export interface CompleteMarker {
  format: 1;
  modelId: string;
  /** The revision asked for (`main`, a tag, a commit). */
  revision: string;
  /** The commit the hub resolved it to (`X-Repo-Commit`), when it said. */
  commit: string | null;
  hubUrl: string;
  completedAt: string;
  files: DownloadedFile[];
}

export const modelDir = (destRoot: string, modelId: string) => join(destRoot, ...modelId.split('/'));

export function readCompleteMarker(destRoot: string, modelId: string): CompleteMarker | undefined {
  const path = join(modelDir(destRoot, modelId), COMPLETE_MARKER);
  try {
    const marker = JSON.parse(readFileSync(path, 'utf8')) as CompleteMarker;
    if (marker.format !== 1 || marker.modelId !== modelId || !Array.isArray(marker.files) || marker.files.length === 0) {
      return undefined;
    }
    return marker;
  } catch {
    return undefined;
  }
}

export function writeCompleteMarker(destRoot: string, marker: CompleteMarker): void {
  writeFileAtomic(join(modelDir(destRoot, marker.modelId), COMPLETE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

export function removeCompleteMarker(destRoot: string, modelId: string): void {
  rmSync(join(modelDir(destRoot, modelId), COMPLETE_MARKER), { force: true });
}

/** Cheap check (no hashing): the marker is there and every file it lists has its size. */
export function isModelComplete(destRoot: string, modelId: string): boolean {
  const marker = readCompleteMarker(destRoot, modelId);
  if (!marker) return false;
  const dir = modelDir(destRoot, modelId);
  return marker.files.every((f) => {
    const path = join(dir, ...f.path.split('/'));
    return existsSync(path) && statSync(path).size === f.size;
  });
}

/** Thorough check: re-hashes every file against the marker. Returns the paths that differ. */
export async function verifyModelFiles(destRoot: string, modelId: string): Promise<string[] | undefined> {
  const marker = readCompleteMarker(destRoot, modelId);
  if (!marker || !isModelComplete(destRoot, modelId)) return undefined;
  const dir = modelDir(destRoot, modelId);
  const bad: string[] = [];
  for (const f of marker.files) {
    if ((await sha256File(join(dir, ...f.path.split('/')))) !== f.sha256) bad.push(f.path);
  }
  return bad;
}
