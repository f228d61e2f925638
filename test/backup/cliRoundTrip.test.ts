import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { tempDir } from '../helpers/tempDir';

function kb(dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QCKSTRT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

/**
 * The demonstration, as a user types it: `kb backup` then `kb restore` into an empty data
 * folder give the same `kb docs --json` (ids, names, hashes, chunk counts) and the same
 * `kb search --json` hits.
 */
describe('kb backup, then kb restore into an empty data folder', { timeout: 180_000 }, () => {
  const dirs = [tempDir('qckstrt-cli-backup-docs-'), tempDir('qckstrt-cli-backup-a-'), tempDir('qckstrt-cli-backup-b-')];
  afterAll(() => dirs.forEach((d) => d.cleanup()));
  const [docs, from, to] = dirs.map((d) => d.path) as [string, string, string];

  it('gives the same documents and the same search hits', async () => {
    writeFileSync(join(docs, 'plants.md'), '# Plants\n\nGreen plants turn sunlight into food by photosynthesis in their leaves.\n');
    writeFileSync(join(docs, 'taxes.txt'), 'The tax return is due in April; keep every invoice and receipt for the deduction.\n');
    writeFileSync(join(docs, 'rotate.md'), '# Tokens\n\nRun rotateApiToken() to replace the API token before it expires.\n');
    expect((await kb(from, 'index', docs)).code).toBe(0);
    const archive = join(from, 'library.tar.gz');
    const backup = await kb(from, 'backup', archive, '--json');
    expect(backup.code, backup.err).toBe(0);
    expect(JSON.parse(backup.out)).toMatchObject({ path: archive, documents: 3 });

    // Without --yes off a terminal, nothing happens.
    const unconfirmed = await kb(to, 'restore', archive);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toMatch(/add --yes\. Nothing was changed/);
    const restore = await kb(to, 'restore', archive, '--yes');
    expect(restore.code, restore.err).toBe(0);
    expect(restore.out).toMatch(/^Restored 3 documents \(3 chunks, 3 vectors\) from library\.tar\.gz\./);

    const docsOf = async (dir: string) => {
      const r = await kb(dir, 'docs', '--json');
      expect(r.code, r.err).toBe(0);
      return (JSON.parse(r.out) as { id: string; name: string; contentHash: string; chunkCount: number }[]).map(({ id, name, contentHash, chunkCount }) => ({ id, name, contentHash, chunkCount }));
    };
    expect(await docsOf(to)).toEqual(await docsOf(from));
    for (const query of ['how do plants make food', 'rotateApiToken', 'invoice deduction']) {
      const hits = async (dir: string) => {
        const r = await kb(dir, 'search', query, '--json');
        expect(r.code, r.err).toBe(0);
        return (JSON.parse(r.out) as { hits: { documentId: string; chunkId: string; score: number }[] }).hits.map((h) => `${h.documentId} ${h.chunkId} ${h.score.toFixed(4)}`);
      };
      const before = await hits(from);
      expect(before.length).toBeGreaterThan(0);
      expect(await hits(to)).toEqual(before);
    }
    // The source's Status shows the backup made.
    expect(JSON.parse((await kb(from, 'status', '--json')).out).lastBackup).toMatchObject({ path: archive, documents: 3 });
  });
});
