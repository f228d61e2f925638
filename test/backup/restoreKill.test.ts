import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { writeMixedCorpus } from '../helpers/documents';
import { viewLibrary } from '../helpers/librarySnapshot';
import { indexAndWait, startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const restoredGenerations = (dir: string) => readdirSync(dir).filter((f) => /^kb-r[a-z0-9]+\.sqlite/.test(f));

/**
 * `kb restore` killed (SIGKILL) while it writes the new stores: the library is exactly as it
 * was, the half-written generation is removed at the next start, and a restore then succeeds.
 */
describe('a restore killed midway', { timeout: 240_000 }, () => {
  const dirs = [tempDir('qckstrt-restore-kill-docs-'), tempDir('qckstrt-restore-kill-lib-'), tempDir('qckstrt-restore-kill-src-')];
  afterAll(() => dirs.forEach((d) => d.cleanup()));
  const [docs, library, source] = dirs as [ReturnType<typeof tempDir>, ReturnType<typeof tempDir>, ReturnType<typeof tempDir>];

  it('leaves the old library intact and cleans up after itself', async () => {
    // A backup large enough that the restore takes a while: 300 files of a mixed corpus.
    await writeMixedCorpus(docs.path, { files: 300, seed: 'restore-kill' });
    const src = await startTestService({}, source.path);
    await indexAndWait(src.service, [docs.path]);
    const backup = await src.service.backupLibrary({ path: join(source.path, 'big.tar.gz') });
    await src.dispose().catch(() => {});
    expect(backup.documents).toBeGreaterThan(250);

    // The library to protect: a few documents of its own.
    let lib = await startTestService({}, library.path);
    const own = tempDir('qckstrt-restore-kill-own-');
    dirs.push(own);
    await writeMixedCorpus(own.path, { files: 5, seed: 'restore-kill-own' });
    await indexAndWait(lib.service, [own.path]);
    const before = await viewLibrary(lib.service, ['garden', 'invoice']);
    await lib.service.close();

    const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'restore', backup.path, '--yes'], {
      cwd: REPO_ROOT,
      env: { ...process.env, QCKSTRT_DATA_DIR: library.path },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Killed once the new generation has documents in it (its file has grown past an empty one).
    await expect
      .poll(
        () => {
          const gen = restoredGenerations(library.path).find((f) => f.endsWith('.sqlite'));
          return gen ? statSync(join(library.path, gen)).size + (statSync(join(library.path, `${gen}-wal`), { throwIfNoEntry: false })?.size ?? 0) : 0;
        },
        { timeout: 120_000, interval: 20 },
      )
      .toBeGreaterThan(2_000_000);
    child.kill('SIGKILL');
    expect(await exited, err).toBe('SIGKILL');
    expect(restoredGenerations(library.path).length).toBeGreaterThan(0);

    lib = await startTestService({}, library.path);
    try {
      expect(await viewLibrary(lib.service, ['garden', 'invoice'])).toEqual(before);
      await expect.poll(() => restoredGenerations(library.path), { timeout: 10_000 }).toEqual([]);
      // And the same backup restores whole afterwards.
      const r = await lib.service.restoreLibrary({ path: backup.path });
      expect(r.documents).toBe(backup.documents);
      expect((await lib.service.listDocuments()).length).toBe(backup.documents);
    } finally {
      await lib.service.close();
    }
  });
});
