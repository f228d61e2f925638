/**
 * `npm run serve` runs the built headless server (out/main/server.js, made by `npm run build`,
 * which `npm test` runs first) in plain Node. Started here as a user starts it, it must find the
 * built UI, the bundled model and the built worker scripts, index a text and a PDF (the parse
 * worker) and find each (the embedding worker). Run from the build, the service is given the
 * built workers' scripts: were it not, it would look for TypeScript beside its bundle and fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { writeFiles } from '../helpers/corpus';
import { makePdf } from '../helpers/documents';
import { tempDir } from '../helpers/tempDir';

const SERVER = join(REPO_ROOT, 'out', 'main', 'server.js');

describe('the built headless server (npm run serve)', () => {
  const data = tempDir('qckstrt-built-server-');
  const docs = tempDir('qckstrt-built-server-docs-');
  let child: ChildProcess | undefined;
  let output = '';
  let base: URL;

  const call = async <T>(method: string, body: unknown = {}): Promise<T> => {
    const res = await fetch(new URL(`/api/${method}`, base), {
      method: 'POST',
      headers: { authorization: `Bearer ${base.searchParams.get('token')}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const reply = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
    if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
    return reply.value;
  };

  beforeAll(async () => {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm test does).`);
    child = spawn(process.execPath, [SERVER], {
      cwd: REPO_ROOT,
      env: { ...process.env, QCKSTRT_DATA_DIR: data.path, QCKSTRT_PORT: '0', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const started = Date.now();
    let url: string | undefined;
    while (!(url = /Open: (\S+)/.exec(output)?.[1])) {
      if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`the server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    base = new URL(url);
  }, 40_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }
    data.cleanup();
    docs.cleanup();
  });

  it('serves the built UI', async () => {
    const html = await (await fetch(new URL('/', base))).text();
    expect(html).toContain('<div id="root">');
  });

  it('indexes a text and a PDF with the built workers and finds each', async () => {
    const paths = writeFiles(docs.path, {
      'glaciers.txt': 'Glaciers carve deep valleys as the ice slowly flows downhill over many centuries.',
      'orchids.pdf': makePdf([['Orchids grow on tree bark in humid tropical forests and need little soil.']]),
    });
    await call('ingestFiles', { paths });
    await expect
      .poll(async () => (await call<{ state: string }[]>('listJobs')).map((j) => j.state).sort(), { timeout: 60_000, interval: 200 })
      .toEqual(['done', 'done']);
    const top = async (query: string) => (await call<{ hits: { documentName: string }[] }>('search', { query, k: 3 })).hits[0]?.documentName;
    expect(await top('ice flowing down valleys')).toBe('glaciers.txt');
    expect(await top('orchids tropical forest')).toBe('orchids.pdf');
  }, 90_000);
});
