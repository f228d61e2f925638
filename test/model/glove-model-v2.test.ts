/**
 * Loads the opt-in bundled model qckstrt/glove-sg-100d-v2 (resources/models, built by
 * `npm run build:model -- --variant v2`) through Transformers.js as the app does, and checks what
 * it adds to qckstrt/glove-sg-100d: identifiers split into words, `##` pieces for unknown words,
 * int8 rows that stay close to the float32 rows they were rounded from, and sensible sentence
 * embeddings. The float32 reference comes from building the model in memory with the script.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { buildModel, type BuiltModel } from '../../scripts/build-glove-model';
import { cosine, DIMS, embedWith, loadBundledModel, MODELS_DIR, norm, PARAGRAPHS, similaritiesWith } from './staticModel';

const MODEL_ID = 'qckstrt/glove-sg-100d-v2';

let extractor: FeatureExtractionPipeline;
let built: BuiltModel;
let vocab: Record<string, number>;

beforeAll(async () => {
  extractor = await loadBundledModel(MODEL_ID);
  built = buildModel('v2');
  vocab = (JSON.parse(readFileSync(`${MODELS_DIR}/${MODEL_ID}/tokenizer.json`, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
}, 60_000);

const embed = (texts: string[]) => embedWith(extractor, texts);
const similarities = (query: string, others: string[]) => similaritiesWith(extractor, query, others);

const tokens = (text: string) => extractor.tokenizer.tokenize(text);
const inputIds = (text: string) =>
  (extractor.tokenizer(text, { truncation: true, return_tensor: false }) as unknown as { input_ids: number[] }).input_ids;

/** The float32 row a token id reads, before int8 rounding. */
function floatRow(id: number): Float32Array {
  const row = built.idMap?.[id] ?? id;
  return built.matrix.subarray(row * DIMS, (row + 1) * DIMS);
}

describe('qckstrt/glove-sg-100d-v2 tokenizer', () => {
  it('splits camelCase and letter-digit boundaries before lower-casing', () => {
    expect(tokens('getUserName readFileSync databaseTable')).toEqual(['get', 'user', 'name', 'read', 'file', 'sync', 'database', 'table']);
    // Three words, peer dependencies meta; the last two are not among the 20,000 words.
    expect(tokens('peerDependenciesMeta')).toEqual(['peer', '[UNK]', '[UNK]']);
    // sqlite 3: neither is a word here (the source has no numbers), but "3" no longer hides a word next to it.
    expect(tokens('sqlite3')).toEqual(['[UNK]', '[UNK]']);
    expect(tokens('peer2peer lock3')).toEqual(['peer', '[UNK]', 'peer', 'lock', '[UNK]']);
    expect(tokens('HTMLParser')).toHaveLength(2);
  });

  it('still lower-cases, strips accents and splits punctuation', () => {
    expect(tokens('The Cat, sat on the MAT!')).toEqual(['the', 'cat', '[UNK]', 'sat', 'on', 'the', 'mat', '[UNK]']);
    expect(tokens('Café naïve résumé')).toEqual(['cafe', 'naive', 'resume']);
  });

  it('covers unknown words with ## pieces of words of 4+ letters, which read their words\' rows', () => {
    expect(tokens('lockfile codebase username')).toEqual(['lock', '##file', 'code', '##base', 'user', '##name']);
    for (const [piece, word] of [['##file', 'file'], ['##base', 'base'], ['##name', 'name']] as const) {
      expect(built.idMap?.[vocab[piece]!]).toBe(vocab[word]);
    }
    const pieces = Object.keys(vocab).filter((t) => t.startsWith('##'));
    expect(pieces.length).toBeGreaterThan(15_000);
    expect(pieces.every((p) => p.length >= 2 + 4)).toBe(true);
  });

  it('leaves a word the pieces cannot cover as one [UNK]', () => {
    // "files" is the longest known prefix of "filesystem" and no piece covers "ystem".
    expect(tokens('filesystem Xyzzy flibbertigibbet')).toEqual(['[UNK]', '[UNK]', '[UNK]']);
  });

  it('adds [CLS]/[SEP] and truncates to 512 tokens', () => {
    expect(extractor.tokenizer.decode(inputIds('cat'))).toBe('[CLS] cat [SEP]');
    expect(inputIds('')).toEqual([2, 3]);
    expect(inputIds('word '.repeat(1000))).toHaveLength(512);
  });
});

describe('qckstrt/glove-sg-100d-v2 model', () => {
  it('is what the build script writes, byte for byte', () => {
    for (const [file, bytes] of Object.entries(built.files)) {
      expect(Buffer.from(bytes).equals(readFileSync(`${MODELS_DIR}/${MODEL_ID}/${file}`)), file).toBe(true);
    }
  });

  it('returns each token\'s float32 row within int8 rounding (max |row| / 254 per component)', async () => {
    const text = 'The lockfile records getUserName, the database table and a kitten.';
    const ids = inputIds(text);
    const output = await extractor(text, { pooling: 'none', normalize: false });
    expect(output.dims).toEqual([1, ids.length, DIMS]);
    const rows = output.data as Float32Array;
    ids.forEach((id, t) => {
      const reference = floatRow(id);
      const bound = Math.max(...reference.map(Math.abs)) / 254;
      for (let d = 0; d < DIMS; d++) expect(Math.abs(rows[t * DIMS + d]! - reference[d]!)).toBeLessThanOrEqual(bound * 1.0001 + 1e-12);
    });
  });

  it('gives sentence embeddings within cosine 0.9999 of the float32 rows\' ', async () => {
    // Observed over bench:search's 1,088 chunk texts and queries: minimum 0.99996.
    const texts = [
      'The cat sat on the mat',
      'how do plants make energy from sunlight',
      'npm install --save-dev typescript; peerDependenciesMeta marks optional peers',
      'PRAGMA journal_mode=WAL; sqlite3_busy_timeout sets a busy handler that sleeps',
      'The farmers planted wheat and corn in the fields before the spring rain. '.repeat(60),
    ];
    const vectors = await embed(texts);
    texts.forEach((text, i) => {
      const reference = new Float64Array(DIMS);
      for (const id of inputIds(text)) floatRow(id).forEach((x, d) => (reference[d] = reference[d]! + x));
      expect(cosine(vectors[i]!, reference)).toBeGreaterThan(0.9999);
    });
  });

  it('returns 100-dimensional unit vectors, and one fixed finite vector for texts with no known word', async () => {
    const vectors = await embed(['The cat sat on the mat', 'Hello', '', 'Xyzzy qwertzuiop', '!!! ???']);
    for (const v of vectors) {
      expect(v).toHaveLength(DIMS);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(cosine(vectors[2]!, vectors[3]!)).toBeGreaterThan(0.99999);
    expect(cosine(vectors[2]!, vectors[4]!)).toBeGreaterThan(0.99999);
    expect(Math.abs(cosine(vectors[2]!, vectors[0]!))).toBeLessThan(0.3);
  });

  it('ranks related sentences first when they share no content words', async () => {
    // Observed: 0.65 vs -0.20, 0.80 vs -0.17, 0.79 vs -0.03.
    const [dog, profits] = await similarities('The cat sat on the mat', ['A dog lay on the carpet', 'The company reported higher profits this quarter']);
    expect(dog! - profits!).toBeGreaterThan(0.4);
    const [finance, pets] = await similarities('Quarterly revenue grew by five percent', ['The company reported higher profits this quarter', 'A dog lay on the carpet']);
    expect(finance! - pets!).toBeGreaterThan(0.4);
    const [shares, recipe] = await similarities('The stock market fell sharply today', ['Shares dropped as investors sold equities', 'The recipe calls for two cups of flour and an egg']);
    expect(shares! - recipe!).toBeGreaterThan(0.3);
  });

  it('retrieves the photosynthesis paragraph for a question about plants and sunlight', async () => {
    // Observed: 0.74, 0.15, -0.25.
    const [photosynthesis, tax, football] = await similarities('how do plants make energy from sunlight', [PARAGRAPHS.photosynthesis, PARAGRAPHS.tax, PARAGRAPHS.football]);
    expect(photosynthesis! - tax!).toBeGreaterThan(0.3);
    expect(photosynthesis! - football!).toBeGreaterThan(0.5);
  });

  it('understands identifiers through their words (qckstrt/glove-sg-100d sees one unknown word)', async () => {
    // Observed: 0.93 vs 0.13 (0.07 vs -0.16 with glove-sg-100d); lockfile = lock file exactly.
    const [user, tax] = await similarities('getUserName', ['the name of the user', 'income tax deduction']);
    expect(user! - tax!).toBeGreaterThan(0.5);
    const [lockFile] = await similarities('lockfile', ['lock file']);
    expect(lockFile).toBeGreaterThan(0.99999);
  });

  it('is not moved by unknown words and punctuation next to known words', async () => {
    const [plain, noisy] = await embed(['The cat sat on the mat', 'The cat (Xyzzy!) sat on the mat... qwertzuiop flibbertigibbet ?!']);
    expect(cosine(plain!, noisy!)).toBeGreaterThan(0.9999);
  });
});
