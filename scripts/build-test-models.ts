/**
 * Builds the random-weight BERT models that tests and benchmarks load through Transformers.js
 * (no pretrained weights can be downloaded here):
 *
 *     npx tsx scripts/build-test-models.ts [--force] [tiny-bert|minilm-l6-shape …]
 *
 * - `qckstrt-test/tiny-bert`: 2 layers × 32 hidden, 2 heads, FFN 128, the GloVe model's
 *   20,005-word tokenizer. ~2.6 MB, builds in well under a second: the fixture for worker tests.
 * - `qckstrt-test/minilm-l6-shape`: all-MiniLM-L6-v2's exact shape (6 layers × 384 hidden, 12 heads,
 *   FFN 1536, vocabulary 30,522, 512 positions) with random weights and a synthesised WordPiece
 *   vocabulary, so a forward pass costs what the real model's does: for throughput benchmarks.
 *   ~91 MB, a few seconds to build.
 *
 * Each model is a Hugging Face-style folder (config.json, tokenizer.json, tokenizer_config.json,
 * onnx/model.onnx) under a git-ignored cache, `node_modules/.cache/qckstrt-test-models/` (or
 * $QCKSTRT_TEST_MODELS_DIR); point `env.localModelPath` at that folder and load the model id.
 * Builds are deterministic and cached by a content stamp (the model's spec, this script and
 * scripts/models/*, and the GloVe tokenizer files): a folder whose stamp matches is reused, so
 * callers simply call `ensureTestModel(name)` every time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBertOnnx, type BertShape } from './models/bert';
import { gloveTokenizerDir, readGloveTokenizer, synthesizeWordPieceVocab, type TokenizerFiles } from './models/tokenizer';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

export type TestModelName = 'tiny-bert' | 'minilm-l6-shape';

interface TestModelSpec {
  modelId: string;
  shape: BertShape;
  /** 'glove': the bundled GloVe tokenizer as is; 'synthetic': a WordPiece vocabulary of shape.vocabSize. */
  tokenizer: 'glove' | 'synthetic';
  description: string;
}

const BERT_DEFAULTS = { maxPositions: 512, typeVocabSize: 2, layerNormEps: 1e-12 };

export const TEST_MODEL_SPECS: Record<TestModelName, TestModelSpec> = {
  'tiny-bert': {
    modelId: 'qckstrt-test/tiny-bert',
    shape: { ...BERT_DEFAULTS, vocabSize: 20_005, hiddenSize: 32, numLayers: 2, numHeads: 2, intermediateSize: 128 },
    tokenizer: 'glove',
    description: 'Tiny random BERT (2 layers x 32 hidden, 2 heads) for fast tests.',
  },
  'minilm-l6-shape': {
    modelId: 'qckstrt-test/minilm-l6-shape',
    shape: { ...BERT_DEFAULTS, vocabSize: 30_522, hiddenSize: 384, numLayers: 6, numHeads: 12, intermediateSize: 1536 },
    tokenizer: 'synthetic',
    description: "Random weights with all-MiniLM-L6-v2's exact shape (6 x 384, 12 heads, FFN 1536) for benchmarks.",
  },
};

export interface TestModel {
  name: TestModelName;
  /** Transformers.js model id, relative to `localModelPath`. */
  modelId: string;
  /** The folder to use as Transformers.js's `env.localModelPath`. */
  localModelPath: string;
  /** The model's own folder. */
  dir: string;
  onnxPath: string;
  hiddenSize: number;
  maxTokens: number;
  /** False when the cached copy was reused. */
  built: boolean;
}

export function testModelsDir(): string {
  return process.env.QCKSTRT_TEST_MODELS_DIR || path.join(repoRoot, 'node_modules', '.cache', 'qckstrt-test-models');
}

/** Hash of everything the output depends on. */
function contentStamp(spec: TestModelSpec): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(spec));
  const sources = [fileURLToPath(import.meta.url), ...readdirSync(path.join(here, 'models')).sort().map((f) => path.join(here, 'models', f))];
  for (const file of sources) hash.update(readFileSync(file));
  const glove = gloveTokenizerDir(repoRoot);
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) hash.update(readFileSync(path.join(glove, file)));
  return hash.digest('hex');
}

function configJson(spec: TestModelSpec): object {
  const s = spec.shape;
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: s.hiddenSize,
    num_hidden_layers: s.numLayers,
    num_attention_heads: s.numHeads,
    intermediate_size: s.intermediateSize,
    hidden_act: 'gelu',
    vocab_size: s.vocabSize,
    max_position_embeddings: s.maxPositions,
    type_vocab_size: s.typeVocabSize,
    layer_norm_eps: s.layerNormEps,
    pad_token_id: 0,
    // Only onnx/model.onnx (float32) exists: keep Transformers.js from looking for a quantized file.
    'transformers.js_config': { dtype: 'fp32' },
    _qckstrt: spec.description,
  };
}

function tokenizerFor(spec: TestModelSpec): TokenizerFiles {
  const glove = readGloveTokenizer(repoRoot);
  const files = spec.tokenizer === 'glove' ? glove : synthesizeWordPieceVocab(glove, spec.shape.vocabSize);
  if (files.vocabSize !== spec.shape.vocabSize) {
    throw new Error(`${spec.modelId}: tokenizer has ${files.vocabSize} entries, the model ${spec.shape.vocabSize}`);
  }
  return files;
}

const writeJson = (file: string, value: object) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

function writeModel(spec: TestModelSpec, stamp: string, dir: string): void {
  const tokenizer = tokenizerFor(spec);
  const onnxBytes = buildBertOnnx(spec.shape, { seed: spec.modelId, name: spec.modelId.replace(/\W/g, '_'), docString: spec.description });
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), onnxBytes);
  writeJson(path.join(dir, 'config.json'), configJson(spec));
  writeJson(path.join(dir, 'tokenizer.json'), tokenizer.tokenizer);
  writeJson(path.join(dir, 'tokenizer_config.json'), tokenizer.tokenizerConfig);
  // Written last: a folder with a stamp is complete.
  writeJson(path.join(dir, 'stamp.json'), { stamp, modelId: spec.modelId });
}

function readStamp(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'stamp.json'), 'utf8')) as { stamp?: string }).stamp;
  } catch {
    return undefined;
  }
}

/**
 * Returns the model, building it first unless an up-to-date copy is cached. Safe to call from
 * several processes at once: each builds into its own temporary folder and renames it into place.
 */
export function ensureTestModel(name: TestModelName, opts: { force?: boolean } = {}): TestModel {
  const spec = TEST_MODEL_SPECS[name];
  const root = testModelsDir();
  const dir = path.join(root, ...spec.modelId.split('/'));
  const stamp = contentStamp(spec);
  let built = false;
  if (opts.force || readStamp(dir) !== stamp) {
    const tmp = path.join(root, `.tmp-${process.pid}-${Date.now()}-${name}`);
    rmSync(tmp, { recursive: true, force: true });
    writeModel(spec, stamp, tmp);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.dirname(dir), { recursive: true });
    try {
      renameSync(tmp, dir);
      built = true;
    } catch (err) {
      // Another process put its (identical) copy there first.
      rmSync(tmp, { recursive: true, force: true });
      if (readStamp(dir) !== stamp) throw err;
    }
  }
  return {
    name,
    modelId: spec.modelId,
    localModelPath: root,
    dir,
    onnxPath: path.join(dir, 'onnx', 'model.onnx'),
    hiddenSize: spec.shape.hiddenSize,
    maxTokens: spec.shape.maxPositions,
    built,
  };
}

function main(argv: string[]): void {
  const force = argv.includes('--force');
  const names = argv.filter((a) => !a.startsWith('--'));
  const wanted = (names.length ? names : Object.keys(TEST_MODEL_SPECS)) as TestModelName[];
  for (const name of wanted) {
    if (!(name in TEST_MODEL_SPECS)) throw new Error(`Unknown test model "${name}"; known: ${Object.keys(TEST_MODEL_SPECS).join(', ')}`);
    const started = performance.now();
    const model = ensureTestModel(name, { force });
    const mb = (statSync(model.onnxPath).size / 1e6).toFixed(1);
    const how = model.built ? `built in ${((performance.now() - started) / 1000).toFixed(1)} s` : 'up to date';
    console.log(`${model.modelId}: ${how}, onnx/model.onnx ${mb} MB, in ${path.relative(process.cwd(), model.dir) || '.'}`);
  }
}

if (process.argv[1] && existsSync(process.argv[1]) && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
