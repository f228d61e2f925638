import { describe, expect, it } from 'vitest';
import { atLeast, ITERATIVE_SCAN_SINCE, parseVersion } from '../../core/vector/pgvector/pgvectorExtension';
import { nearestChunksSql } from '../../core/vector/pgvector/querySql';
import { searchSettings } from '../../core/vector/pgvector/searchSettings';
import { vectorTableNames } from '../../core/vector/pgvector/vectorTable';
import { fromVectorSql, toVectorSql } from '../../core/vector/pgvector/vectorText';

describe('pgvector helpers', () => {
  it('compares extension versions (iterative scans need 0.8.0)', () => {
    expect(parseVersion('0.8.0')).toEqual([0, 8, 0]);
    expect(atLeast('0.8.0', ITERATIVE_SCAN_SINCE)).toBe(true);
    expect(atLeast('0.8.1', ITERATIVE_SCAN_SINCE)).toBe(true);
    expect(atLeast('0.10.0', ITERATIVE_SCAN_SINCE)).toBe(true);
    expect(atLeast('1.0', ITERATIVE_SCAN_SINCE)).toBe(true);
    expect(atLeast('0.7.4', ITERATIVE_SCAN_SINCE)).toBe(false);
    expect(atLeast('0.5', ITERATIVE_SCAN_SINCE)).toBe(false);
  });

  it('turns vectors into pgvector text and back, exactly, from either form the driver returns', () => {
    const v = new Float32Array([0.1, -2.5, 1e-8, 3.4028234663852886e38, 0]);
    const text = toVectorSql(v);
    expect(text).toMatch(/^\[.*\]$/);
    expect(Array.from(fromVectorSql(text))).toEqual(Array.from(v));
    expect(Array.from(fromVectorSql(Array.from(v)))).toEqual(Array.from(v));
    expect(fromVectorSql('[]')).toHaveLength(0);
    expect(() => fromVectorSql(null)).toThrow(/Unexpected vector value/);
  });

  it('sets up each search mode: the trap is always disarmed where the index may be used', () => {
    const opts = { efSearch: 100, topK: 10, timeoutMs: 10_000 };
    expect(Object.fromEntries(searchSettings('index', opts))).toEqual({
      statement_timeout: '10000',
      'hnsw.iterative_scan': 'relaxed_order',
      'hnsw.ef_search': '100',
      enable_seqscan: 'off',
      enable_bitmapscan: 'off',
      enable_sort: 'off',
    });
    expect(Object.fromEntries(searchSettings('planner', opts))).toEqual({
      statement_timeout: '10000',
      'hnsw.iterative_scan': 'relaxed_order',
      'hnsw.ef_search': '100',
    });
    expect(Object.fromEntries(searchSettings('exact', opts))).toEqual({ statement_timeout: '10000', enable_indexscan: 'off' });
    // ef_search never below top-K, never above pgvector's 1,000.
    expect(Object.fromEntries(searchSettings('index', { ...opts, topK: 300 }))['hnsw.ef_search']).toBe('300');
    expect(Object.fromEntries(searchSettings('index', { ...opts, topK: 5000 }))['hnsw.ef_search']).toBe('1000');
  });

  it('queries in the shape the HNSW index answers, with the user filter inside', () => {
    const names = vectorTableNames();
    expect(nearestChunksSql(names, false)).toMatch(/FROM vector_embeddings\s+WHERE user_id = \$2\s+ORDER BY embedding <=> \$1::vector LIMIT \$3/);
    expect(nearestChunksSql(names, true)).toMatch(/WHERE user_id = \$2 AND document_id = ANY\(\$4::text\[\]\)/);
    expect(nearestChunksSql(vectorTableNames('g2'), false)).toMatch(/FROM vector_embeddings_g2\s+WHERE/);
  });

  it('names each index generation\'s table and indexes, refusing a generation that is not an identifier', () => {
    expect(vectorTableNames('')).toEqual({
      table: 'vector_embeddings',
      hnswIndex: 'vector_embeddings_embedding_hnsw',
      documentIndex: 'vector_embeddings_document_idx',
      userIndex: 'vector_embeddings_user_idx',
      primaryKey: 'vector_embeddings_id_pkey',
    });
    expect(vectorTableNames('a1b2')).toEqual({
      table: 'vector_embeddings_a1b2',
      hnswIndex: 'vector_embeddings_a1b2_embedding_hnsw',
      documentIndex: 'vector_embeddings_a1b2_document_idx',
      userIndex: 'vector_embeddings_a1b2_user_idx',
      primaryKey: 'vector_embeddings_a1b2_id_pkey',
    });
    // Unquoted identifiers: PostgreSQL keeps 63 bytes of a name.
    expect(vectorTableNames('a'.repeat(16)).hnswIndex.length).toBeLessThanOrEqual(63);
    // `vector_embeddings_pkey` is the primary key of tables made before generations.
    for (const bad of ['pkey', 'G2', 'a-b', 'x; DROP TABLE users', 'a'.repeat(17), 'é']) {
      expect(() => vectorTableNames(bad)).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
    }
  });
});
