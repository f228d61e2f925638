/**
 * The downloader's idea of "the files a feature-extraction model needs" and of hub URLs, checked
 * against Transformers.js itself so that an upgrade that changes them fails here.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, ModelRegistry } from '@huggingface/transformers';
import { downloadModel } from '../../core/embeddings/download/modelDownloader';
import { hubFileUrl, isValidModelId, modelFilesFor, onnxFilesFor } from '../../core/embeddings/download/modelFiles';
import { normalizeEtag, parseContentRange } from '../../core/embeddings/download/hubHttp';
import { checksumKind, gitBlobSha1 } from '../../core/embeddings/download/checksums';
import { tempDir } from '../helpers/tempDir';
import { FAKE_MODEL_ID, GLOVE_FOLDER, startFakeHub, type FakeHub } from '../services/fakeHub';

let hub: FakeHub;
const tmp = tempDir('qckstrt-download-files-');

beforeAll(async () => {
  hub = await startFakeHub({ models: { [FAKE_MODEL_ID]: GLOVE_FOLDER } });
});
afterAll(async () => {
  await hub?.dispose();
  tmp.cleanup();
});

describe('model files', () => {
  it('are exactly what Transformers.js loads for feature-extraction (fp32) from the downloaded folder', async () => {
    const root = join(tmp.path, 'models');
    const result = await downloadModel(FAKE_MODEL_ID, { hubUrl: hub.url, destRoot: root });
    env.localModelPath = root;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const expected = await ModelRegistry.get_pipeline_files('feature-extraction', FAKE_MODEL_ID, { dtype: 'fp32' });
    expect(result.files.map((f) => f.path).sort()).toEqual([...expected].sort());
  });

  it('follow the config: dtype suffix and external data chunks, as Transformers.js computes them', async () => {
    const cases: [Record<string, unknown>, 'fp32' | 'q8' | 'fp16'][] = [
      [{ model_type: 'bert' }, 'fp32'],
      [{ model_type: 'bert' }, 'q8'],
      [{ model_type: 'bert', 'transformers.js_config': { use_external_data_format: true } }, 'fp32'],
      [{ model_type: 'bert', 'transformers.js_config': { use_external_data_format: 3 } }, 'fp16'],
      [{ model_type: 'bert', 'transformers.js_config': { use_external_data_format: { 'model_fp16.onnx': 2 } } }, 'fp16'],
      [{ model_type: 'bert', 'transformers.js_config': { use_external_data_format: { 'model_fp16.onnx': 2 } } }, 'fp32'],
    ];
    for (const [config, dtype] of cases) {
      const theirs = await ModelRegistry.get_model_files('any/model', { config: config as never, dtype });
      expect(['config.json', ...onnxFilesFor(config, dtype)], JSON.stringify({ config, dtype })).toEqual(theirs);
    }
    expect(modelFilesFor({ model_type: 'bert' })).toEqual(['tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'config.json']);
  });

  it('build the URLs Transformers.js would fetch from the same host', () => {
    // Transformers.js: remoteHost + '{model}/resolve/{revision}/' + file.
    expect(hubFileUrl('https://huggingface.co/', 'Xenova/all-MiniLM-L6-v2', 'main', 'onnx/model.onnx')).toBe(
      `${env.remoteHost.replace(/\/$/, '')}/Xenova/all-MiniLM-L6-v2/resolve/main/onnx/model.onnx`,
    );
    expect(hubFileUrl('http://h:1/mirror', 'a/b', 'refs/pr/1', 'x y.json')).toBe('http://h:1/mirror/a/b/resolve/refs%2Fpr%2F1/x%20y.json');
  });

  it('accept only ids Transformers.js looks up under localModelPath', () => {
    for (const ok of ['Xenova/all-MiniLM-L6-v2', 'bert-base-uncased', 'org/name.v1_2']) expect(isValidModelId(ok), ok).toBe(true);
    for (const bad of ['../x', 'a/../b', 'a/b/c', 'a--b/c', '/abs', 'a/b.git', '']) expect(isValidModelId(bad), bad).toBe(false);
  });
});

describe('hub header parsing', () => {
  it('normalises ETags (quotes, weak prefix) and classifies what they prove', () => {
    expect(normalizeEtag('"abc"')).toBe('abc');
    expect(normalizeEtag('W/"abc"')).toBe('abc');
    expect(normalizeEtag(null)).toBeUndefined();
    expect(checksumKind('a'.repeat(64))).toBe('sha256');
    expect(checksumKind('a'.repeat(40))).toBe('git-sha1');
    expect(checksumKind('d41d8cd98f00b204e9800998ecf8427e')).toBeUndefined(); // an MD5 from some CDN
  });

  it('computes git blob SHA-1s like `git hash-object`', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha1(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 100-999/1000')).toEqual({ start: 100, end: 999, total: 1000 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9, total: undefined });
    expect(parseContentRange('bytes */1000')).toBeUndefined();
  });
});
