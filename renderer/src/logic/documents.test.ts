import { expect, it } from 'vitest';
import type { DocumentSummary } from '../../../core/api';
import { sortDocuments } from './documents';

const doc = (name: string, updatedAt: string) => ({ id: name, name, updatedAt }) as DocumentSummary;

it('sorts newest first, then by name', () => {
  const docs = [doc('b', '2025-01-01'), doc('c', '2025-02-01'), doc('A', '2025-01-01')];
  expect(sortDocuments(docs).map((d) => d.name)).toEqual(['c', 'A', 'b']);
  expect(docs[0]?.name).toBe('b'); // input untouched
});
