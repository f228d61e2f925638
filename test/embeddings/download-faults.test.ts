/**
 * The downloader against a misbehaving hub: cut connections, stalls, corrupted bytes, servers
 * without Range support, 404 / 401 / 403 / 5xx, an unreachable host, cancellation.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KbError } from '../../core/api/errors';
import { locateModel } from '../../core/embeddings/modelLocation';
import { downloadModel, isModelComplete, type DownloadOptions } from '../../core/embeddings/download/modelDownloader';
import { sha256File } from '../../core/embeddings/download/checksums';
import { tempDir } from '../helpers/tempDir';
import { FAKE_MODEL_ID, GLOVE_FOLDER, startFakeHub, type FakeHub } from '../services/fakeHub';

const ID = FAKE_MODEL_ID;
const ONNX = 'onnx/model.onnx';
const MB = 1024 * 1024;

let hub: FakeHub;
const tmp = tempDir('qckstrt-download-faults-');
let n = 0;

beforeAll(async () => {
  hub = await startFakeHub({ models: { [ID]: GLOVE_FOLDER } });
});
afterEach(() => hub.clearFaults());
afterAll(async () => {
  await hub?.dispose();
  tmp.cleanup();
});

function setup(extra: Partial<DownloadOptions> = {}) {
  const root = join(tmp.path, `root-${++n}`);
  const dir = join(root, 'test-org', 'glove');
  const options: DownloadOptions = { hubUrl: hub.url, destRoot: root, retries: 0, retryDelayMs: 10, stallTimeoutMs: 5_000, ...extra };
  const since = hub.requests.length;
  return {
    root,
    dir,
    options,
    partial: join(dir, 'onnx', 'model.onnx.partial'),
    requests: () => hub.requests.slice(since),
    /** The model is not loadable: no marker, no config.json (what the app's lookup looks for). */
    expectNotLoadable() {
      expect(isModelComplete(root, ID)).toBe(false);
      expect(existsSync(join(dir, 'config.json'))).toBe(false);
      expect(() => locateModel(ID, { resourcesDir: join(tmp.path, 'none'), dataDir: join(root, '..', 'none') }, false)).toThrow();
    },
    async expectComplete() {
      expect(isModelComplete(root, ID)).toBe(true);
      expect(await sha256File(join(dir, 'onnx', 'model.onnx'))).toBe(hub.sha256(ID, ONNX));
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<KbError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KbError);
  return err as KbError;
}

describe('resume', () => {
  it('after a cut connection, the next run continues with a Range request and the file hashes right', async () => {
    const t = setup();
    hub.addFault({ file: ONNX, cutAfterBytes: 3 * MB, times: 1 });
    const err = await rejection(downloadModel(ID, t.options));
    expect(err.kind).toBe('ModelUnavailable');
    expect(err.message).toMatch(/connection .* was lost while downloading onnx\/model\.onnx.*run it again to resume/i);
    // The server sent 3 MB; what reached the disk may be a little less (Node's fetch drops the
    // chunks still queued in the body stream when the connection fails).
    const kept = statSync(t.partial).size;
    expect(kept).toBeGreaterThan(2 * MB);
    expect(kept).toBeLessThanOrEqual(3 * MB);
    t.expectNotLoadable();

    const size = hub.content(ID, ONNX).length;
    await downloadModel(ID, t.options);
    const resumed = t.requests().filter((r) => r.server === 'cdn').at(-1)!;
    expect(resumed).toMatchObject({ method: 'GET', range: `bytes=${kept}-`, status: 206, bytesSent: size - kept });
    expect(existsSync(t.partial)).toBe(false);
    await t.expectComplete();
  });

  it('retries a cut transfer by itself, resuming where it stopped', async () => {
    const t = setup({ retries: 3 });
    hub.addFault({ file: ONNX, cutAfterBytes: 2 * MB, times: 1 });
    await downloadModel(ID, t.options);
    const cdn = t.requests().filter((r) => r.server === 'cdn');
    expect(cdn).toHaveLength(2);
    expect(cdn[0]!.range).toBeUndefined();
    const start = Number(/^bytes=(\d+)-$/.exec(cdn[1]!.range ?? '')?.[1]);
    expect(start).toBeGreaterThan(1 * MB);
    expect(start).toBeLessThanOrEqual(2 * MB);
    expect(cdn[1]!.status).toBe(206);
    await t.expectComplete();
  });

  it('starts over when the server ignores Range and answers 200', async () => {
    const t = setup();
    hub.addFault({ file: ONNX, cutAfterBytes: 1 * MB, times: 1 });
    await rejection(downloadModel(ID, t.options));
    const kept = statSync(t.partial).size;
    hub.addFault({ file: ONNX, ignoreRange: true });
    await downloadModel(ID, t.options);
    const last = t.requests().filter((r) => r.server === 'cdn').at(-1)!;
    expect(last).toMatchObject({ range: `bytes=${kept}-`, status: 200 });
    await t.expectComplete();
  });

  it('discards a partial left by another version of the file', async () => {
    const t = setup();
    hub.addFault({ file: ONNX, cutAfterBytes: 1 * MB, times: 1 });
    await rejection(downloadModel(ID, t.options));
    writeFileSync(`${t.partial}.json`, JSON.stringify({ etag: 'f'.repeat(64), size: 123 }));
    await downloadModel(ID, t.options);
    const last = t.requests().filter((r) => r.server === 'cdn').at(-1)!;
    expect(last.range).toBeUndefined();
    await t.expectComplete();
  });
});

describe('verification', () => {
  it('a corrupted byte in the ONNX file fails the SHA-256 check: partial deleted, no marker', async () => {
    const t = setup();
    hub.addFault({ file: ONNX, corruptByteAt: 123_456 });
    const err = await rejection(downloadModel(ID, t.options));
    expect(err.kind).toBe('ModelUnavailable');
    expect(err.message).toContain('onnx/model.onnx of test-org/glove is corrupt');
    expect(err.message).toContain(`does not match the hub's ${hub.sha256(ID, ONNX)}`);
    expect(existsSync(t.partial)).toBe(false);
    expect(existsSync(join(t.dir, 'onnx', 'model.onnx'))).toBe(false);
    t.expectNotLoadable();
  });

  it('a corrupted byte in a JSON file fails its git SHA-1 check', async () => {
    const t = setup();
    hub.addFault({ file: 'tokenizer.json', corruptByteAt: 1000 });
    const err = await rejection(downloadModel(ID, t.options));
    expect(err.message).toMatch(/tokenizer\.json of test-org\/glove is corrupt: git SHA-1 .* does not match/);
    t.expectNotLoadable();
  });
});

describe('stalls and cancellation', () => {
  it('a stalled transfer fails after the stall timeout and keeps the partial; the next run resumes', async () => {
    const t = setup({ stallTimeoutMs: 400 });
    hub.addFault({ file: ONNX, stallAfterBytes: 1 * MB, times: 1 });
    const started = performance.now();
    const err = await rejection(downloadModel(ID, t.options));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(err.kind).toBe('ModelUnavailable');
    expect(err.message).toMatch(/The download of onnx\/model\.onnx \(test-org\/glove\) stalled: no data for 400 ms\. The partial file is kept/);
    const kept = statSync(t.partial).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1 * MB);
    t.expectNotLoadable();
    await downloadModel(ID, t.options);
    expect(t.requests().filter((r) => r.server === 'cdn').at(-1)!.range).toBe(`bytes=${kept}-`);
    await t.expectComplete();
  });

  it('an abort stops the download as Cancelled and keeps the partial for a resume', async () => {
    const abort = new AbortController();
    const t = setup({ signal: abort.signal, progressIntervalMs: 0 });
    hub.addFault({ file: ONNX, bytesPerSecond: 8 * MB, times: 1 });
    const err = await rejection(
      downloadModel(ID, { ...t.options, onProgress: (p) => p.file === ONNX && p.fileBytes >= 1 * MB && abort.abort() }),
    );
    expect(err.kind).toBe('Cancelled');
    expect(err.message).toMatch(/cancelled; run it again to resume/);
    const kept = statSync(t.partial).size;
    expect(kept).toBeGreaterThanOrEqual(1 * MB);
    expect(kept).toBeLessThan(hub.content(ID, ONNX).length);
    t.expectNotLoadable();

    await downloadModel(ID, { ...t.options, signal: undefined });
    expect(t.requests().filter((r) => r.server === 'cdn').at(-1)!.range).toBe(`bytes=${kept}-`);
    await t.expectComplete();
  });

  it('an already-aborted signal fails before any request', async () => {
    const t = setup({ signal: AbortSignal.abort() });
    expect((await rejection(downloadModel(ID, t.options))).kind).toBe('Cancelled');
    expect(t.requests()).toEqual([]);
  });
});

describe('errors a user can act on', () => {
  it('404 for a file: names the file and what a model needs', async () => {
    const t = setup();
    hub.addFault({ file: 'tokenizer.json', status: 404, errorCode: 'EntryNotFound' });
    const err = await rejection(downloadModel(ID, t.options));
    expect(err.kind).toBe('ModelUnavailable');
    expect(err.message).toMatch(/tokenizer\.json was not found for test-org\/glove .*\(404\)/);
    expect(err.message).toContain('onnx/model.onnx');
  });

  it('an unknown model id (the hub answers 401 RepoNotFound) says so', async () => {
    const t = setup();
    const err = await rejection(downloadModel('test-org/nope', t.options));
    expect(err.kind).toBe('ModelUnavailable');
    expect(err.message).toMatch(/There is no model test-org\/nope on 127\.0\.0\.1:\d+ \(401\), or it is private/);
  });

  it('a gated model (401 GatedRepo) explains how to get it', async () => {
    const t = setup();
    hub.addFault({ file: '*', status: 401, errorCode: 'GatedRepo' });
    const err = await rejection(downloadModel(ID, t.options));
    expect(err.kind).toBe('ModelUnavailable');
    expect(err.message).toMatch(/test-org\/glove is a gated model \(401\): accept its terms/);
    expect(err.message).toContain(t.dir);
  });

  it('a plain 403 says access was refused', async () => {
    const t = setup();
    hub.addFault({ file: '*', status: 403 });
    const err = await rejection(downloadModel(ID, t.options));
    expect(err.message).toMatch(/refused access to test-org\/glove \(403\): the model is gated or private/);
  });

  it('a 5xx is retried, and reported if it persists', async () => {
    const once = setup({ retries: 2 });
    hub.addFault({ file: 'tokenizer.json', status: 503, times: 1 });
    await downloadModel(ID, once.options);
    expect(isModelComplete(once.root, ID)).toBe(true);

    const always = setup({ retries: 1 });
    hub.addFault({ file: 'tokenizer.json', status: 500 });
    const err = await rejection(downloadModel(ID, always.options));
    expect(err.message).toMatch(/answered 500 for tokenizer\.json; try again later/);
    expect(always.requests().filter((r) => r.file === 'tokenizer.json' && r.status === 500)).toHaveLength(2);
  });

  it('an unreachable hub (closed port) fails fast with what to do instead', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as { port: number };
        srv.close(() => resolve(p));
      });
    });
    const t = setup({ hubUrl: `http://127.0.0.1:${port}`, retries: 3 });
    const started = performance.now();
    const err = await rejection(downloadModel(ID, t.options));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(err.kind).toBe('ModelUnavailable');
    expect(err.message).toBe(
      `Could not reach 127.0.0.1:${port} (ECONNREFUSED) to download ${ID}; check the connection, or put the model folder in ${t.dir}.`,
    );
    // Nothing to resume from, so no empty model folders are left behind.
    expect(existsSync(join(t.root, 'test-org'))).toBe(false);
  });

  it('a hub that accepts connections but never answers counts as unreachable after the stall timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as { port: number };
    try {
      const t = setup({ hubUrl: `http://127.0.0.1:${port}`, stallTimeoutMs: 300, retries: 2 });
      const started = performance.now();
      const err = await rejection(downloadModel(ID, t.options));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(err.message).toBe(
        `Could not reach 127.0.0.1:${port} (no answer in 300 ms) to download ${ID}; check the connection, or put the model folder in ${t.dir}.`,
      );
    } finally {
      silent.close();
    }
  });

  it('rejects an invalid model id or hub URL before any request', async () => {
    const t = setup();
    expect(await rejection(downloadModel('../etc', t.options))).toMatchObject({ kind: 'ValidationError' });
    expect(await rejection(downloadModel('a/b/c', t.options))).toMatchObject({ kind: 'ValidationError' });
    expect(await rejection(downloadModel(ID, { ...t.options, hubUrl: 'ftp://x' }))).toMatchObject({ kind: 'ValidationError' });
    expect(t.requests()).toEqual([]);
  });

  it('refuses a second download of the same model into the same folder while one runs', async () => {
    const t = setup();
    hub.addFault({ file: ONNX, bytesPerSecond: 16 * MB, times: 1 });
    const first = downloadModel(ID, t.options);
    await new Promise((r) => setTimeout(r, 50));
    const err = await rejection(downloadModel(ID, t.options));
    expect(err.message).toMatch(/already being downloaded/);
    await first;
    await t.expectComplete();
    expect(readFileSync(join(t.dir, 'config.json')).equals(hub.content(ID, 'config.json'))).toBe(true);
  });
});
