import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
const unescapeMountPath = (p: string) => p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/** Mount points at or below `dir` in this process's mount namespace, deepest first. */
export function mountsUnder(dir: string): string[] {
  const base = resolve(dir);
  let info: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return []; // no /proc: nothing we could check, and nothing of ours is mounted
  }
  return info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map(unescapeMountPath)
    .filter((p) => p === base || p.startsWith(base + sep))
    .sort((a, b) => b.length - a.length);
}

/**
 * Deletes a tree that may be (part of) a chroot. A chroot can still have /proc, /dev or /sys
 * mounted in it (debootstrap mounts /proc and unmounts it only if it is not killed), and a
 * recursive delete would then walk into the host's filesystems. So unmount whatever is below
 * `dir` first, and refuse to delete anything while a mount remains.
 */
export function removeTreeSafely(dir: string): void {
  for (const mount of mountsUnder(dir)) {
    const r = spawnSync('umount', [mount], { stdio: 'ignore' });
    if (r.status !== 0) spawnSync('umount', ['--lazy', mount], { stdio: 'ignore' });
  }
  const left = mountsUnder(dir);
  if (left.length) {
    throw new Error(`Not deleting ${dir}: ${left.join(', ')} is still mounted there. Unmount it, then delete the folder.`);
  }
  rmSync(dir, { recursive: true, force: true });
}
