import { describe, expect, it } from 'vitest';
import { findMismatch } from '../../core/ops/reconcile';

const counts = (ids: string[], chunks = 3) => new Map(ids.map((id) => [id, chunks]));
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('telling a crash from a store pointed somewhere new', () => {
  it('repairs what a crash leaves: one half-written document, or a minority of a library', () => {
    expect(findMismatch(counts([]), counts(['a']), new Set())).toBeUndefined();
    expect(findMismatch(counts(['a']), counts([]), new Set())).toBeUndefined();
    const library = ids('d', 100);
    expect(findMismatch(counts(library), counts([...library.slice(10), ...ids('x', 20)]), new Set())).toBeUndefined();
  });

  it('stops when most vectors have no row (a fresh relational database)', () => {
    expect(findMismatch(counts([]), counts(ids('d', 2)), new Set())).toMatchObject({ documents: 0, vectorDocuments: 2, vectorsWithoutRows: 2, rowsWithoutVectors: 0 });
    const m = findMismatch(counts(ids('d', 3)), counts([...ids('d', 3), ...ids('x', 4)]), new Set());
    expect(m).toMatchObject({ vectorsWithoutRows: 4 });
    expect(m?.message).toContain('relational provider');
  });

  it('stops when most rows have no vectors (an empty vector store), not counting empty documents', () => {
    expect(findMismatch(counts(ids('d', 5)), counts([]), new Set())?.message).toContain('vector provider');
    // Documents without text have no vectors by right.
    expect(findMismatch(counts(ids('e', 5), 0), counts([]), new Set())).toBeUndefined();
  });

  it('leaves documents an unfinished job is writing out of the count', () => {
    expect(findMismatch(counts([]), counts(['a', 'b']), new Set(['a']))).toBeUndefined();
  });
});
