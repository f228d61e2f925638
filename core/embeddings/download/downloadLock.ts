import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KbError } from '../../api/errors';

const LOCK_FILE = '.download.lock';
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One download per model folder at a time, across processes (the app and `npm run fetch-model`
 * could both be at it): `<dir>/.download.lock` holds the owner's PID; a lock whose process is gone
 * is taken over. Returns the release function.
 */
export function lockModelDir(dir: string, modelId: string): () => void {
  const path = join(dir, LOCK_FILE);
  const busy = () => new KbError('ModelUnavailable', `${modelId} is already being downloaded; wait for that download to finish.`);
  if (held.has(path)) throw busy();
  const body = JSON.stringify({ pid: process.pid });
  try {
    writeFileSync(path, body, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let owner: number | undefined;
    try {
      owner = (JSON.parse(readFileSync(path, 'utf8')) as { pid?: number }).pid;
    } catch {
      owner = undefined;
    }
    if (owner !== undefined && owner !== process.pid && alive(owner)) throw busy();
    writeFileSync(path, body);
  }
  held.add(path);
  return () => {
    held.delete(path);
    rmSync(path, { force: true });
  };
}
