/**
 * `npm run fetch-model` end to end: the script in a child process against the fake hub, into a
 * temporary destination.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isModelComplete, readCompleteMarker } from '../../core/embeddings/download/modelDownloader';
import { tempDir } from '../helpers/tempDir';
import { FAKE_MODEL_ID, GLOVE_FOLDER, startFakeHub, type FakeHub } from '../services/fakeHub';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ID = FAKE_MODEL_ID;

let hub: FakeHub;
const tmp = tempDir('qckstrt-fetch-model-');

beforeAll(async () => {
  hub = await startFakeHub({ models: { [ID]: GLOVE_FOLDER } });
});
afterAll(async () => {
  await hub?.dispose();
  tmp.cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script as `npm run fetch-model` does (tsx), with a clean HF_* environment. */
function fetchModel(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('HF_ENDPOINT' in env)) delete childEnv.HF_ENDPOINT;
  delete childEnv.HF_TOKEN;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/fetch-model.ts', ...args], {
      cwd: REPO,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run fetch-model', () => {
  it('downloads a model into --dest with progress, verifies it, and reports the files', async () => {
    const dest = join(tmp.path, 'dest-1');
    const run = await fetchModel([ID, '--hub', hub.url, '--dest', dest]);
    expect(run.stderr).toContain(`Downloading ${ID} from ${hub.url}`);
    expect(run.code, run.stderr).toBe(0);
    // Not a terminal: plain progress lines, ending at 100 %.
    expect(run.stderr).toMatch(/100% 8\.\d MB \/ 8\.\d MB {2}onnx\/model\.onnx\n$/);
    expect(run.stdout).toMatch(new RegExp(`${ID}: 4 files, 8\\.\\d MB in ${dest}/test-org/glove, commit ${hub.commit.slice(0, 10)}`));
    expect(run.stdout).toMatch(/onnx\/model\.onnx\s+7\.\d MB\s+sha256/);
    expect(isModelComplete(dest, ID)).toBe(true);
    expect(readFileSync(join(dest, 'test-org', 'glove', 'onnx', 'model.onnx')).equals(hub.content(ID, 'onnx/model.onnx'))).toBe(true);

    const again = await fetchModel([ID, '--hub', hub.url, '--dest', dest]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is already complete');
  });

  it('takes the hub from HF_ENDPOINT, and resumes a cut download when run again', async () => {
    const dest = join(tmp.path, 'dest-2');
    hub.addFault({ file: 'onnx/model.onnx', cutAfterBytes: 2 * 1024 * 1024 });
    const failed = await fetchModel([ID, '--dest', dest, '--retries', '0'], { HF_ENDPOINT: hub.url });
    hub.clearFaults();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/fetch-model: The connection to 127\.0\.0\.1:\d+ was lost while downloading onnx\/model\.onnx/);
    expect(isModelComplete(dest, ID)).toBe(false);

    const before = hub.requests.length;
    const resumed = await fetchModel([ID, '--dest', dest], { HF_ENDPOINT: hub.url });
    expect(resumed.code, resumed.stderr).toBe(0);
    const cdn = hub.requests.slice(before).filter((r) => r.server === 'cdn');
    expect(cdn).toHaveLength(1);
    expect(cdn[0]!.range).toMatch(/^bytes=\d+-$/);
    expect(readCompleteMarker(dest, ID)!.files.find((f) => f.path === 'onnx/model.onnx')!.sha256).toBe(hub.sha256(ID, 'onnx/model.onnx'));
  }, 60_000);

  it('exits 1 with an actionable message when the hub cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as { port: number };
        srv.close(() => resolve(p));
      });
    });
    const dest = join(tmp.path, 'dest-3');
    const run = await fetchModel(['--hub', `http://127.0.0.1:${port}`, '--dest', dest]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Downloading Xenova/all-MiniLM-L6-v2');
    expect(run.stderr).toMatch(/fetch-model: Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) to download Xenova\/all-MiniLM-L6-v2; check the connection, or put the model folder in /);
  });

  it('prints usage for a bad option', async () => {
    const run = await fetchModel(['--nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run fetch-model');
  });
});
