import type { VectorTableNames } from './vectorTable';

export const CHUNK_COLUMNS = 'id, document_id, chunk_index, content, char_start, char_end, location';

/**
 * One user's nearest chunks: $1 the query vector, $2 the user, $3 top-K, $4 (with a document
 * filter) the document ids. `ORDER BY embedding <=> $1 LIMIT k` is the shape the HNSW index
 * (vector_cosine_ops) answers; the user filter is applied during the (iterative) index scan.
 */
export function nearestChunksSql(names: VectorTableNames, withDocumentFilter: boolean): string {
  return `SELECT ${CHUNK_COLUMNS}, embedding <=> $1::vector AS distance FROM ${names.table}
    WHERE user_id = $2${withDocumentFilter ? ' AND document_id = ANY($4::text[])' : ''}
    ORDER BY embedding <=> $1::vector LIMIT $3`;
}
