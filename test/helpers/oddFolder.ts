import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS, writeFiles } from './corpus';

/** Makes a named pipe (node:fs cannot). */
export function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr.toString() || r.error?.message}`);
}

/**
 * An attacker's folder (issue 12): one good file, a link inside the folder, and every oddity a
 * walk must list instead of following or silently dropping. `outside` holds what the links that
 * lead out of the folder point to: a file standing in for /etc/passwd and a folder.
 */
export function makeOddFolder(root: string, outside: string): { secret: string; outsideDoc: string } {
  const [secret, outsideDoc] = writeFiles(outside, {
    'passwd.txt': 'root:x:0:0:root:/root:/bin/bash\nzebrafinch:x:1000:1000::/home/zebrafinch:/bin/sh\n',
    'dir/outside.md': TOPICS['cooking.md'],
  });
  writeFiles(root, { 'good.md': TOPICS['plants.md'], 'sub/inner.md': TOPICS['football.txt'] });
  symlinkSync(join(root, 'sub', 'inner.md'), join(root, 'inner-link.md')); // inside: followed
  symlinkSync(secret!, join(root, 'passwd.txt'));
  symlinkSync(join(outside, 'dir'), join(root, 'outdir'));
  symlinkSync(join(root, 'nowhere.md'), join(root, 'dangling.md'));
  symlinkSync(join(root, 'loop-b.md'), join(root, 'loop-a.md'));
  symlinkSync(join(root, 'loop-a.md'), join(root, 'loop-b.md'));
  symlinkSync(root, join(root, 'sub', 'up'));
  mkfifo(join(root, 'pipe.txt'));
  symlinkSync('/dev/null', join(root, 'null.txt'));
  // Hidden and excluded entries stay silently excluded, odd or not.
  symlinkSync(secret!, join(root, '.hidden-link.txt'));
  mkdirSync(join(root, 'node_modules'));
  mkfifo(join(root, 'node_modules', 'pipe.md'));
  return { secret: secret!, outsideDoc: outsideDoc! };
}

/** What a walk of `makeOddFolder` lists as skipped, by path relative to the folder. */
export const ODD_SKIPS: Record<string, RegExp> = {
  'dangling.md': /^a dangling link: its target \(.*nowhere\.md\) does not exist$/,
  'loop-a.md': /^a link loop/,
  'loop-b.md': /^a link loop/,
  'null.txt': /^a link to a device \(\/dev\/null\), not a regular file$/,
  outdir: /^a link to a folder outside .*\(.*dir\); links leading out of an added folder are not followed; .*ingest\.followExternalLinks/,
  'passwd.txt': /^a link to a file outside .*\(.*passwd\.txt\); links leading out of an added folder are not followed; .*ingest\.followExternalLinks/,
  'pipe.txt': /^a named pipe \(FIFO\), not a regular file$/,
  'sub/up': /^a link loop: it leads back to .*, a folder above it; not followed$/,
};
