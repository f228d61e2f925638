/**
 * Loads the committed offline embedding model (resources/models/qckstrt/glove-sg-100d, built by
 * scripts/build-glove-model.ts) through Transformers.js exactly as the app does, and checks that
 * it produces sensible sentence embeddings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { cosine, DIMS, embedWith, loadBundledModel, norm, PARAGRAPHS, similaritiesWith } from './staticModel';

const MODEL_ID = 'qckstrt/glove-sg-100d';

let extractor: FeatureExtractionPipeline;

beforeAll(async () => {
  extractor = await loadBundledModel(MODEL_ID);
}, 30_000);

const embed = (texts: string[]) => embedWith(extractor, texts);

async function embedOne(text: string): Promise<number[]> {
  const [vector] = await embed([text]);
  return vector!;
}

const similarities = (query: string, others: string[]) => similaritiesWith(extractor, query, others);

describe('qckstrt/glove-sg-100d tokenizer', () => {
  const tokens = (text: string) => extractor.tokenizer.tokenize(text);

  it('lower-cases, strips accents and splits punctuation into [UNK]s', () => {
    expect(tokens('The Cat, sat on the MAT!')).toEqual(['the', 'cat', '[UNK]', 'sat', 'on', 'the', 'mat', '[UNK]']);
    expect(tokens('Café naïve résumé')).toEqual(['cafe', 'naive', 'resume']);
  });

  it('maps out-of-vocabulary words to a single [UNK] each (no subword pieces)', () => {
    expect(tokens('Xyzzy flibbertigibbet')).toEqual(['[UNK]', '[UNK]']);
  });

  it('adds [CLS]/[SEP] and returns input_ids, attention_mask and token_type_ids', () => {
    const encoded = extractor.tokenizer('cat', { return_tensor: false }) as unknown as Record<string, number[]>;
    expect(Object.keys(encoded).sort()).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    expect(extractor.tokenizer.decode(encoded.input_ids!)).toBe('[CLS] cat [SEP]');
    const empty = extractor.tokenizer('', { return_tensor: false }) as unknown as Record<string, number[]>;
    expect(empty.input_ids).toEqual([2, 3]);
  });

  it('truncates to 512 tokens', () => {
    const long = 'word '.repeat(1000);
    const encoded = extractor.tokenizer(long, { truncation: true, return_tensor: false }) as unknown as Record<
      string,
      number[]
    >;
    expect(encoded.input_ids).toHaveLength(512);
  });
});

describe('qckstrt/glove-sg-100d embeddings', () => {
  it('returns 100-dimensional unit vectors', async () => {
    const vectors = await embed(['The cat sat on the mat', 'Quarterly revenue grew by five percent', 'Hello']);
    for (const v of vectors) {
      expect(v).toHaveLength(DIMS);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('puts the cat sentence closer to the kitten sentence than to a finance sentence', async () => {
    // Observed: 0.19 vs -0.11. Only "on the" of the kitten sentence is in the vocabulary
    // ("a", "kitten", "sleeps", "rug" are not), so this margin is the smallest one here.
    const [kitten, revenue] = await similarities('The cat sat on the mat', [
      'A kitten sleeps on the rug',
      'Quarterly revenue grew by five percent',
    ]);
    expect(kitten! - revenue!).toBeGreaterThan(0.15);
  });

  it('ranks related sentences first when they share no content words', async () => {
    // Observed: 0.64 vs -0.14 and 0.86 vs -0.02.
    const [dog, profits] = await similarities('The cat sat on the mat', [
      'A dog lay on the carpet',
      'The company reported higher profits this quarter',
    ]);
    expect(dog! - profits!).toBeGreaterThan(0.4);

    const [finance, pets] = await similarities('Quarterly revenue grew by five percent', [
      'The company reported higher profits this quarter',
      'A dog lay on the carpet',
    ]);
    expect(finance! - pets!).toBeGreaterThan(0.4);

    const [shares, recipe] = await similarities('The stock market fell sharply today', [
      'Shares dropped as investors sold equities',
      'The recipe calls for two cups of flour and an egg',
    ]);
    expect(shares! - recipe!).toBeGreaterThan(0.3);
  });

  it('retrieves the photosynthesis paragraph for a question about plants and sunlight', async () => {
    // Observed: 0.80, 0.44, 0.19.
    const [photosynthesis, tax, football] = await similarities('how do plants make energy from sunlight', [PARAGRAPHS.photosynthesis, PARAGRAPHS.tax, PARAGRAPHS.football]);
    expect(photosynthesis! - tax!).toBeGreaterThan(0.2);
    expect(photosynthesis! - football!).toBeGreaterThan(0.3);
  });

  it('gives the same vector for a sentence alone and inside a padded batch', async () => {
    const sentences = [
      'Hi',
      'The cat sat on the mat',
      'Tax law governs how governments assess and collect income taxes, including deductions.',
    ];
    const batch = await embed(sentences);
    for (const [i, sentence] of sentences.entries()) {
      const single = await embedOne(sentence);
      const batched = batch[i]!;
      for (let d = 0; d < DIMS; d++) expect(Math.abs(batched[d]! - single[d]!)).toBeLessThan(1e-5);
    }
  });

  it('ignores case and accents', async () => {
    const [a, b] = await embed(['CAFÉ RÉSUMÉ', 'cafe resume']);
    expect(cosine(a!, b!)).toBeGreaterThan(0.99999);
  });

  it('maps texts with no known word to one fixed, finite unit vector instead of NaN', async () => {
    // [UNK], [CLS] and [SEP] are a tiny constant vector (norm 1e-6), not zero, so an all-unknown
    // text pools to that direction rather than 0/0 = NaN after normalisation.
    const vectors = await embed(['', 'Xyzzy qwertzuiop', '!!! ???', '[MASK]']);
    for (const v of vectors) {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
      expect(cosine(v, vectors[0]!)).toBeGreaterThan(0.99999);
    }
    // The fallback direction is not strongly similar to real text.
    for (const real of await embed(['The cat sat on the mat', 'Quarterly revenue grew by five percent'])) {
      expect(Math.abs(cosine(vectors[0]!, real))).toBeLessThan(0.3);
    }
  });

  it('is not moved by unknown words and punctuation next to known words', async () => {
    const [plain, noisy] = await embed([
      'The cat sat on the mat',
      'The cat (Xyzzy!) sat on the mat... qwertzuiop flibbertigibbet ?!',
    ]);
    expect(cosine(plain!, noisy!)).toBeGreaterThan(0.9999);
  });

  it('embeds text longer than 512 tokens (truncated)', async () => {
    const paragraph = 'The farmers planted wheat and corn in the fields before the spring rain. ';
    const v = await embedOne(paragraph.repeat(60));
    expect(v.every(Number.isFinite)).toBe(true);
    expect(norm(v)).toBeCloseTo(1, 5);
    expect(cosine(v, await embedOne(paragraph))).toBeGreaterThan(0.99);
  });
});
