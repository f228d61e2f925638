import type { SearchResponse } from '../api/types';
import type { EmbeddingProvider } from '../embeddings/types';
import type { RelationalStore } from '../relational/types';
import type { VectorStore } from '../vector/types';
import { makeSnippet } from './snippet';

export interface SearchDeps {
  relational: RelationalStore;
  vector: VectorStore;
  embedder: EmbeddingProvider;
}

/** Embeds the query, finds the user's nearest chunks, and names their documents. */
export async function semanticSearch(
  deps: SearchDeps,
  userId: string,
  query: string,
  k: number,
): Promise<SearchResponse> {
  const start = performance.now();
  const embedding = await deps.embedder.embedQuery(query);
  const matches = await deps.vector.query(embedding, userId, k);
  const names = new Map<string, string | undefined>();
  for (const id of new Set(matches.map((m) => m.documentId))) {
    names.set(id, (await deps.relational.getDocument(id))?.name);
  }
  const hits = matches
    // A vector whose document row is gone (deleted mid-query) is not a result.
    .filter((m) => names.get(m.documentId) !== undefined)
    .map((m) => ({
      documentId: m.documentId,
      documentName: names.get(m.documentId) as string,
      chunkId: m.chunkId,
      chunkIndex: m.chunkIndex,
      snippet: makeSnippet(m.content, query),
      score: m.score,
      charStart: m.charStart,
      charEnd: m.charEnd,
      ...(m.location ? { location: m.location } : {}),
    }));
  return { query, hits, tookMs: performance.now() - start, model: deps.embedder.modelId };
}
