/**
 * Backup and restore as a user runs them: `kb backup FILE` on a library's data folder, then
 * `kb restore FILE --yes` into an empty one, each timed from spawn to exit with the peak RSS of the
 * process and its children sampled every 50 ms (the archive is streamed: memory must not grow
 * with the library). Each command includes starting the service and loading the model.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../test/helpers/tempDir';
import { treeRss } from '../shared/processTree';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CommandRun {
  ms: number;
  peakRss: number;
}

export interface BackupFigures {
  backup: CommandRun;
  restore: CommandRun;
  archiveBytes: number;
  cleanup(): void;
}

function runKb(dataDir: string, args: string[]): Promise<CommandRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, QCKSTRT_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakRss = Math.max(peakRss, treeRss(child.pid));
  }, 50);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (code === 0) resolve({ ms: performance.now() - started, peakRss });
      else reject(new Error(`kb ${args[0]} exited with ${code}: ${err.trim().split('\n').pop()}`));
    });
  });
}

export async function measureBackup(dataDir: string): Promise<BackupFigures> {
  const work = tempDir('qckstrt-bench-backup-');
  try {
    const file = join(work.path, 'library.tar.gz');
    const backup = await runKb(dataDir, ['backup', file]);
    const restore = await runKb(join(work.path, 'restored'), ['restore', file, '--yes']);
    return { backup, restore, archiveBytes: statSync(file).size, cleanup: work.cleanup };
  } catch (err) {
    work.cleanup();
    throw err;
  }
}
