/**
 * Downloads the GloVe model from a local fake hub (the real one is unreachable here) and loads the
 * result with Transformers.js with remote access off, as the app does.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, pipeline } from '@huggingface/transformers';
import { locateModel } from '../../core/embeddings/modelLocation';
import {
  COMPLETE_MARKER,
  downloadModel,
  isModelComplete,
  readCompleteMarker,
  verifyModelFiles,
  type DownloadProgress,
} from '../../core/embeddings/download/modelDownloader';
import { tempDir } from '../helpers/tempDir';
import { FAKE_MODEL_ID, GLOVE_FOLDER, startFakeHub, type FakeHub } from '../services/fakeHub';

const ID = FAKE_MODEL_ID;
const MODEL_FILES = ['tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'config.json'];

let hub: FakeHub;
const tmp = tempDir('qckstrt-download-');
let n = 0;
const freshRoot = () => join(tmp.path, `root-${++n}`);
const fast = { retryDelayMs: 10, stallTimeoutMs: 5_000 };

beforeAll(async () => {
  hub = await startFakeHub({ models: { [ID]: GLOVE_FOLDER } });
});
afterAll(async () => {
  await hub?.dispose();
  tmp.cleanup();
});

describe('downloadModel', () => {
  const dataDir = join(tmp.path, 'data');
  const root = join(dataDir, 'models');
  const events: DownloadProgress[] = [];

  beforeAll(async () => {
    hub.requests.length = 0;
    const result = await downloadModel(ID, { hubUrl: hub.url, destRoot: root, token: 'hf_test', onProgress: (p) => events.push(p), ...fast });
    expect(result.alreadyComplete).toBe(false);
    expect(result.commit).toBe(hub.commit);
  });

  it('writes the files Transformers.js needs, byte for byte, and a complete marker listing them', async () => {
    const dir = join(root, 'test-org', 'glove');
    for (const file of MODEL_FILES) {
      expect(readFileSync(join(dir, file)).equals(hub.content(ID, file)), file).toBe(true);
    }
    expect(existsSync(join(dir, 'README.md'))).toBe(false);
    expect(existsSync(join(dir, 'onnx', 'model.onnx.partial'))).toBe(false);
    expect(existsSync(join(dir, '.download.lock'))).toBe(false);
    const marker = readCompleteMarker(root, ID)!;
    expect(marker).toMatchObject({ format: 1, modelId: ID, revision: 'main', commit: hub.commit, hubUrl: hub.url });
    expect(marker.files.map((f) => f.path).sort()).toEqual([...MODEL_FILES].sort());
    const onnx = marker.files.find((f) => f.path === 'onnx/model.onnx')!;
    expect(onnx).toMatchObject({ sha256: hub.sha256(ID, 'onnx/model.onnx'), verified: 'sha256', size: hub.content(ID, 'onnx/model.onnx').length });
    expect(marker.files.find((f) => f.path === 'tokenizer.json')!.verified).toBe('git-sha1');
    expect(isModelComplete(root, ID)).toBe(true);
    expect(await verifyModelFiles(root, ID)).toEqual([]);
  });

  it('loads with Transformers.js with remote access off, and the app finds it offline', async () => {
    env.localModelPath = root;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const extractor = await pipeline('feature-extraction', ID, { local_files_only: true });
    const out = await extractor(['The cat sat on the mat', 'Quarterly revenue grew'], { pooling: 'mean', normalize: true });
    expect(out.dims).toEqual([2, 100]);
    const [a] = out.tolist() as number[][];
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    await extractor.dispose();

    // The app's offline lookup finds it in the user cache (`<dataDir>/models`), where it was downloaded.
    const found = locateModel(ID, { resourcesDir: join(tmp.path, 'no-resources'), dataDir }, false);
    expect(found).toEqual({ modelId: ID, localModelPath: root, source: 'user cache' });
  });

  it('talks to the hub like huggingface_hub: identity encoding, pinned commit, token to the hub only', () => {
    const hubRequests = hub.requests.filter((r) => r.server === 'hub');
    expect(hubRequests[0]).toMatchObject({ method: 'GET', file: 'config.json' });
    expect(hubRequests[0]!.path).toContain('/resolve/main/config.json');
    for (const r of hubRequests.slice(1)) expect(r.path, r.path).toContain(`/resolve/${hub.commit}/`);
    expect(hub.requests.every((r) => r.acceptEncoding === 'identity')).toBe(true);
    expect(hubRequests.every((r) => r.authorization)).toBe(true);
    const cdn = hub.requests.filter((r) => r.server === 'cdn');
    expect(cdn.map((r) => `${r.method} ${r.file}`)).toEqual(['GET onnx/model.onnx']);
    expect(cdn.every((r) => !r.authorization)).toBe(true);
    // The LFS file's HEAD stopped at the hub's redirect (its headers carry the hash and size).
    expect(hubRequests.filter((r) => r.method === 'HEAD').map((r) => `${r.file} ${r.status}`).sort()).toEqual([
      'onnx/model.onnx 302',
      'tokenizer.json 200',
      'tokenizer_config.json 200',
    ]);
  });

  it('reports progress with the total known up front, ending at bytesTotal', () => {
    const total = MODEL_FILES.reduce((sum, f) => sum + hub.content(ID, f).length, 0);
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.bytesTotal === total)).toBe(true);
    expect(events.at(-1)).toMatchObject({ bytesDone: total, bytesTotal: total });
    for (let i = 1; i < events.length; i++) expect(events[i]!.bytesDone).toBeGreaterThanOrEqual(events[i - 1]!.bytesDone);
    const onnx = events.filter((e) => e.file === 'onnx/model.onnx');
    expect(onnx.at(-1)).toMatchObject({ fileBytes: hub.content(ID, 'onnx/model.onnx').length, fileTotal: hub.content(ID, 'onnx/model.onnx').length });
  });

  it('does nothing (no request) when a complete copy of the revision is there', async () => {
    const before = hub.requests.length;
    const again = await downloadModel(ID, { hubUrl: hub.url, destRoot: root });
    expect(again.alreadyComplete).toBe(true);
    expect(hub.requests.length).toBe(before);
  });

  it('keeps files an earlier run finished when the hub checksum proves them current', async () => {
    const dir = join(root, 'test-org', 'glove');
    rmSync(join(dir, COMPLETE_MARKER));
    rmSync(join(dir, 'config.json'));
    expect(isModelComplete(root, ID)).toBe(false);
    const before = hub.requests.length;
    const result = await downloadModel(ID, { hubUrl: hub.url, destRoot: root, ...fast });
    expect(result.alreadyComplete).toBe(false);
    const since = hub.requests.slice(before);
    expect(since.filter((r) => r.method === 'GET').map((r) => r.file)).toEqual(['config.json']);
    expect(isModelComplete(root, ID)).toBe(true);
  });
});

describe('isModelComplete', () => {
  it('is false for a missing marker, a truncated file, or an unknown folder', async () => {
    const root = freshRoot();
    expect(isModelComplete(root, ID)).toBe(false);
    await downloadModel(ID, { hubUrl: hub.url, destRoot: root, ...fast });
    expect(isModelComplete(root, ID)).toBe(true);
    const tokenizer = join(root, 'test-org', 'glove', 'tokenizer.json');
    writeFileSync(tokenizer, readFileSync(tokenizer).subarray(0, 100));
    expect(isModelComplete(root, ID)).toBe(false);
    // …and a new download repairs it (the truncated file fails its checksum and is fetched again).
    await downloadModel(ID, { hubUrl: hub.url, destRoot: root, ...fast });
    expect(isModelComplete(root, ID)).toBe(true);
    expect(readFileSync(tokenizer).equals(hub.content(ID, 'tokenizer.json'))).toBe(true);
  });
});

describe('progress throttling', () => {
  it('reports about ten times a second on a slow transfer', async () => {
    const root = freshRoot();
    const size = hub.content(ID, 'onnx/model.onnx').length;
    hub.addFault({ file: 'onnx/model.onnx', bytesPerSecond: size / 1.2, times: 1 }); // ~1.2 s
    const events: { t: number; p: DownloadProgress }[] = [];
    const t0 = performance.now();
    try {
      await downloadModel(ID, { hubUrl: hub.url, destRoot: root, onProgress: (p) => events.push({ t: performance.now(), p }), ...fast });
    } finally {
      hub.clearFaults();
    }
    const seconds = (performance.now() - t0) / 1000;
    const onnx = events.filter((e) => e.p.file === 'onnx/model.onnx');
    expect(seconds).toBeGreaterThan(1);
    expect(onnx.length).toBeGreaterThanOrEqual(5);
    // Throttled to one per 100 ms, plus the forced reports (start, per file, end).
    expect(events.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 6);
    // Unthrottled reports would come every chunk (~50 ms apart here, ms apart on a fast link);
    // the margin below 100 ms allows for a GC pause between the throttle's clock and ours.
    for (let i = 1; i < onnx.length - 1; i++) expect(onnx[i]!.t - onnx[i - 1]!.t).toBeGreaterThanOrEqual(80);
  });
});
