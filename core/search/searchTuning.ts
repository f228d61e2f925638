import type { KeywordWeights } from '../relational/types';
import { DEFAULT_KEYWORD_WEIGHTS } from './keywordText';

/**
 * The knobs of hybrid search. Every default here was chosen on `npm run bench:search` (the
 * labelled evaluation), per query kind; change one only with its figures.
 */
export interface SearchTuning {
  /** How deep each ranking is read before fusing: documents for keywords, chunks for vectors. */
  keywordDocuments: number;
  vectorChunks: number;
  /**
   * How the two rankings combine: reciprocal-rank fusion (Σ weight / (rrfK + rank)), or their
   * scores, each scaled to its best for the query (vectors then re-rank every keyword candidate).
   */
  fusion: 'rrf' | 'score';
  rrfK: number;
  keywordWeight: number;
  vectorWeight: number;
  /** Whole-document BM25 (`document`), each document's best chunk (`chunk`), or both fused. */
  keywordLevel: 'document' | 'chunk' | 'both';
  /** A document's vector score: its best chunk's cosine, or the mean of its best two. */
  vectorLevel: 'max' | 'top2';
  fields: KeywordWeights;
  /**
   * Cosine similarities this model gives unrelated text (`floor`) and clearly related text
   * (`ceiling`), which scale the vector part of a result's calibrated score.
   */
  cosineFloor: number;
  cosineCeiling: number;
  /** Passages shown per document. */
  passagesPerDocument: number;
}

const BASE: SearchTuning = {
  keywordDocuments: 50,
  vectorChunks: 100,
  fusion: 'rrf',
  rrfK: 5,
  keywordWeight: 1,
  vectorWeight: 1,
  keywordLevel: 'chunk',
  vectorLevel: 'max',
  fields: { ...DEFAULT_KEYWORD_WEIGHTS },
  cosineFloor: 0.2,
  cosineCeiling: 0.7,
  passagesPerDocument: 3,
};

/**
 * Defaults by model: the bundled static word-vector models know meaning only roughly, so their
 * ranking counts less. Transformer models get BASE: as much weight as keywords, and a cosine
 * scale typical of sentence-transformers. No transformer weights could be reached where this was
 * built, so those two are assumptions until bench:search measures an installed model.
 */
const BY_MODEL: Record<string, Partial<SearchTuning>> = {
  // Hybrid nDCG@10 0.671 at vectorWeight 0.3 (0.651 at 0.5); 0.6/0.9 marks 9/16 off-topic
  // questions weak and 0/72 answerable ones.
  'qckstrt/glove-sg-100d': { vectorWeight: 0.3, cosineFloor: 0.6, cosineCeiling: 0.9 },
  // Removing the common component lowers its cosines: off-topic questions' best ~0.5, answerable
  // ones' ~0.7. Hybrid nDCG@10 0.674 at vectorWeight 0.5 vs 0.669 at 0.3 (within noise); 0.45/0.95
  // marks 10/16 off-topic questions weak and 0/72 answerable ones (the other 6 contain enough of
  // the query's words to be partial whatever the cosine scale).
  'qckstrt/glove-sg-100d-v2': { vectorWeight: 0.5, cosineFloor: 0.45, cosineCeiling: 0.95 },
};

export function searchTuningFor(modelId: string): SearchTuning {
  return { ...BASE, ...BY_MODEL[modelId] };
}
