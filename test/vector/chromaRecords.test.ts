import { describe, expect, it } from 'vitest';
import { chunkMetadata, queryWhere, readChunkMetadata } from '../../core/vector/chroma/chromaRecords';
import { chunk, unit } from '../contract/vectorFixtures';

describe('Chroma record mapping', () => {
  it('stores owner, document and position in metadata and reads them back', () => {
    const m = chunkMetadata('alice', 'doc-1', chunk('doc-1', 2, unit([1, 0])));
    expect(m).toEqual({ user_id: 'alice', document_id: 'doc-1', chunk_index: 2, char_start: 200, char_end: 200 + 'doc-1 chunk 2'.length });
    expect(readChunkMetadata({ ...m })).toEqual(m);
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
