import type { SearchHit, SearchResponse } from '../../../core/api';

/** A search hit for tests: one document whose best passage is its only one. */
export function searchHit(documentId: string, patch: Partial<SearchHit> = {}): SearchHit {
  const passage = {
    chunkId: `${documentId}#0`,
    chunkIndex: 0,
    snippet: 's',
    highlights: [],
    charStart: 0,
    charEnd: 1,
    scores: { vector: 0.5 },
  };
  return {
    ...passage,
    documentId,
    documentName: `${documentId}.md`,
    score: 0.5,
    match: 'partial',
    documentScores: { vector: 0.5, fused: 0.01 },
    passages: [passage],
    ...patch,
  };
}

/** A search answer for tests. */
export function searchResponse(query: string, hits: SearchHit[], patch: Partial<SearchResponse> = {}): SearchResponse {
  return { query, mode: 'hybrid', hits, tookMs: 1, model: 'm', weak: false, ...patch };
}
