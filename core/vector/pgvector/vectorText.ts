import { toSql } from 'pgvector/pg';

/** A Float32Array in pgvector's text form (`[0.1,0.2,…]`), exact for every float32 value. */
export function toVectorSql(embedding: Float32Array): string {
  return toSql(Array.from(embedding)) as string;
}

/**
 * A `vector` column value as a Float32Array. Connections on which pgvector's type parser is
 * registered hand over number arrays; connections opened before the extension existed (the pool
 * is shared with the relational store) still hand over the text form, so both are accepted.
 */
export function fromVectorSql(value: unknown): Float32Array {
  if (Array.isArray(value)) return Float32Array.from(value as number[]);
  if (typeof value === 'string') {
    const inner = value.trim().replace(/^\[|\]$/g, '');
    return inner ? Float32Array.from(inner.split(','), Number) : new Float32Array(0);
  }
  throw new Error(`Unexpected vector value from PostgreSQL: ${typeof value}`);
}
