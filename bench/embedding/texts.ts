/**
 * Deterministic chunk-like texts for the embedding benchmark: what the chunker hands the
 * embedder with its default 1,200-character chunks. Most chunks are full (170–220 words), some
 * are a document's short tail (30–170 words), so a batch pads like real input does. Words follow
 * a Zipf distribution over the bundled GloVe model's vocabulary (English words, most frequent
 * first), with ~4% made-up rare words that WordPiece splits into several pieces, in sentences of
 * 8–25 words with commas and full stops.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashSeed, uniform01 } from '../../scripts/models/random';
import { gloveWords, readGloveTokenizer } from '../../scripts/models/tokenizer';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function chunkTexts(count: number, seed = 'qckstrt-bench-chunks'): string[] {
  const words = gloveWords(readGloveTokenizer(repoRoot));
  const next = uniform01(hashSeed(seed));
  // Zipf: P(rank r) ∝ 1/r, sampled by binary search in the cumulative weights.
  const cumulative = new Float64Array(words.length);
  let total = 0;
  for (let r = 0; r < words.length; r++) cumulative[r] = total += 1 / (r + 1);
  const zipfWord = () => {
    const x = next() * total;
    let lo = 0;
    let hi = words.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo] ?? 'the';
  };
  const rareWord = () => {
    const length = 5 + Math.floor(next() * 7);
    let w = '';
    for (let i = 0; i < length; i++) w += LETTERS[Math.floor(next() * 26)];
    return w;
  };
  const between = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));

  const texts: string[] = [];
  for (let t = 0; t < count; t++) {
    const wordCount = next() < 0.85 ? between(170, 220) : between(30, 169);
    const sentences: string[] = [];
    let written = 0;
    while (written < wordCount) {
      const length = Math.min(between(8, 25), wordCount - written);
      const sentence: string[] = [];
      for (let i = 0; i < length; i++) {
        let w = next() < 0.04 ? rareWord() : zipfWord();
        if (i === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
        if (i < length - 1 && next() < 0.07) w += ',';
        sentence.push(w);
      }
      sentences.push(`${sentence.join(' ')}.`);
      written += length;
    }
    texts.push(sentences.join(' '));
  }
  return texts;
}
