import { describe, expect, it } from 'vitest';
import { decodeLocation, encodeLocation, withLocation } from '../../core/vector/chunkLocation';

describe('chunk location codec (shared by the vector stores)', () => {
  it('round-trips every field, headings in order', () => {
    const location = { headingPath: ['Ünïcode "title"', 'a/b', ''], pageStart: 1, pageEnd: 12 };
    expect(decodeLocation(encodeLocation(location))).toEqual(location);
    // jsonb hands over an already-parsed object.
    expect(decodeLocation(JSON.parse(encodeLocation(location)!))).toEqual(location);
  });

  it('stores nothing for no location, and reads nothing back as undefined (never {})', () => {
    expect(encodeLocation(undefined)).toBeNull();
    expect(encodeLocation({})).toBeNull();
    expect(encodeLocation({ headingPath: undefined, pageStart: undefined })).toBeNull();
    for (const stored of [null, undefined, '', '{}', 'null', '[]', 'not json', '{"other":1}', 42]) {
      expect(decodeLocation(stored)).toBeUndefined();
    }
  });

  it('keeps the fields it can read and drops those of the wrong type', () => {
    expect(decodeLocation('{"headingPath":["A",2],"pageStart":3,"pageEnd":"4"}')).toEqual({ pageStart: 3 });
    expect(decodeLocation({ headingPath: 'A', pageEnd: 9, extra: true })).toEqual({ pageEnd: 9 });
    // NaN becomes null in JSON; it must not come back as a page.
    expect(decodeLocation(encodeLocation({ headingPath: ['A'], pageStart: Number.NaN }))).toEqual({ headingPath: ['A'] });
  });

  it('adds the key only when there is a location', () => {
    expect(withLocation({ id: 'x' }, null)).toStrictEqual({ id: 'x' });
    expect(withLocation({ id: 'x' }, '{"pageStart":2}')).toStrictEqual({ id: 'x', location: { pageStart: 2 } });
  });
});
