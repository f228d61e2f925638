import { describe, expect, it } from 'vitest';
import { chunkMetadata, queryWhere, readChunkMetadata, recordBytes } from '../../core/vector/chroma/chromaRecords';
import { chunk, unit } from '../contract/vectorFixtures';

describe('Chroma record mapping', () => {
  it('stores owner, document and position in metadata and reads them back', () => {
    const m = chunkMetadata('alice', 'doc-1', chunk('doc-1', 2, unit([1, 0])));
    expect(m).toEqual({ user_id: 'alice', document_id: 'doc-1', chunk_index: 2, char_start: 200, char_end: 200 + 'doc-1 chunk 2'.length });
    expect(readChunkMetadata({ ...m })).toEqual(m);
  });

  it('keeps a location as one JSON string (metadata values must be scalars), and leaves the key out without one', () => {
    const location = { headingPath: ['Guide', 'Install'], pageStart: 3, pageEnd: 4 };
    const m = chunkMetadata('alice', 'doc-1', { ...chunk('doc-1', 0, unit([1, 0])), location });
    expect(JSON.parse(m.location!)).toEqual(location);
    expect(Object.values(m).every((x) => ['string', 'number'].includes(typeof x))).toBe(true);
    expect(readChunkMetadata({ ...m })).toEqual(m);
    expect('location' in chunkMetadata('alice', 'doc-1', chunk('doc-1', 0, unit([1, 0])))).toBe(false);
    expect('location' in chunkMetadata('alice', 'doc-1', { ...chunk('doc-1', 0, unit([1, 0])), location: {} })).toBe(false);
    expect(readChunkMetadata({ user_id: 'a', document_id: 'd', location: 5 })).not.toHaveProperty('location');
  });

  it('counts a deep heading path in the request size', () => {
    const plain = chunk('doc-1', 0, unit([1, 0]));
    const deep = { ...plain, location: { headingPath: Array.from({ length: 20 }, (_, i) => `Heading number ${i}`) } };
    expect(recordBytes(deep, true) - recordBytes(plain, true)).toBeGreaterThan(JSON.stringify(deep.location).length);
  });

  it('ignores records this app did not write', () => {
    expect(readChunkMetadata(null)).toBeUndefined();
    expect(readChunkMetadata({ source: 'elsewhere' })).toBeUndefined();
  });

  it('always scopes a query to the user, and to documents when filtered', () => {
    expect(queryWhere('alice')).toEqual({ user_id: 'alice' });
    expect(queryWhere('alice', {})).toEqual({ user_id: 'alice' });
    expect(queryWhere('alice', { documentIds: ['a', 'b'] })).toEqual({
      $and: [{ user_id: 'alice' }, { document_id: { $in: ['a', 'b'] } }],
    });
  });
});
