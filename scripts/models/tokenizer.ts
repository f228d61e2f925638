/**
 * Tokenizer files for the test models, derived from the bundled GloVe model's BERT-style
 * tokenizer (resources/models/qckstrt/glove-sg-100d): BertNormalizer, BertPreTokenizer,
 * WordPiece, [CLS] … [SEP]. Special tokens keep their ids there: [PAD]=0 [UNK]=1 [CLS]=2
 * [SEP]=3 [MASK]=4.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface TokenizerFiles {
  tokenizer: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  vocabSize: number;
}

interface WordPieceModel {
  vocab: Record<string, number>;
  [key: string]: unknown;
}

const SPECIAL_COUNT = 5;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export function gloveTokenizerDir(repoRoot: string): string {
  return path.join(repoRoot, 'resources', 'models', 'qckstrt', 'glove-sg-100d');
}

/** The GloVe model's tokenizer as it is: 20,005 whole words, no "##" pieces. */
export function readGloveTokenizer(repoRoot: string): TokenizerFiles {
  const dir = gloveTokenizerDir(repoRoot);
  const tokenizer = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
  const tokenizerConfig = JSON.parse(readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  return { tokenizer, tokenizerConfig, vocabSize: Object.keys((tokenizer.model as WordPieceModel).vocab).length };
}

/** The GloVe vocabulary's words, in id order, without the special tokens. */
export function gloveWords(files: TokenizerFiles): string[] {
  const vocab = (files.tokenizer.model as WordPieceModel).vocab;
  return Object.entries(vocab)
    .sort((a, b) => a[1] - b[1])
    .slice(SPECIAL_COUNT)
    .map(([word]) => word);
}

/**
 * A WordPiece vocabulary of exactly `size` entries, shaped like BERT's uncased one: the special
 * tokens, single characters (letters, digits, punctuation), their "##" continuations, whole
 * words (the GloVe model's, most frequent first), then "##" pieces of two and three letters. Every
 * lower-case word is tokenizable (at worst letter by letter), and words outside the vocabulary
 * split into several pieces, as in a real model.
 */
export function synthesizeWordPieceVocab(base: TokenizerFiles, size: number): TokenizerFiles {
  const baseVocab = (base.tokenizer.model as WordPieceModel).vocab;
  const tokens: string[] = Object.entries(baseVocab)
    .sort((a, b) => a[1] - b[1])
    .slice(0, SPECIAL_COUNT)
    .map(([t]) => t);
  const seen = new Set(tokens);
  const add = (t: string) => {
    if (tokens.length < size && !seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  };
  const singles = [...LETTERS, ...DIGITS, ...PUNCTUATION];
  singles.forEach(add);
  [...LETTERS, ...DIGITS].forEach((c) => add(`##${c}`));
  gloveWords(base).forEach(add);
  for (const a of LETTERS) for (const b of LETTERS) add(`##${a}${b}`);
  // Three-letter pieces in a fixed, spread-out order (a stride coprime to 26³) so the ones
  // kept are not all "##a…".
  const total = 26 ** 3;
  for (let k = 0, i = 0; k < total && tokens.length < size; k++, i = (i + 7919) % total) {
    add(`##${LETTERS[Math.floor(i / 676)]}${LETTERS[Math.floor(i / 26) % 26]}${LETTERS[i % 26]}`);
  }
  if (tokens.length !== size) throw new Error(`Could only make ${tokens.length} of ${size} vocabulary entries`);

  const vocab: Record<string, number> = {};
  tokens.forEach((t, id) => (vocab[t] = id));
  const tokenizer = structuredClone(base.tokenizer);
  tokenizer.model = { ...(tokenizer.model as WordPieceModel), vocab };
  return { tokenizer, tokenizerConfig: structuredClone(base.tokenizerConfig), vocabSize: size };
}
