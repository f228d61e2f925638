import { describe, expect, it } from 'vitest';
import { partialTextNote } from './reader';

describe('partialTextNote', () => {
  it('says nothing when the whole document is shown', () => {
    expect(partialTextNote({ text: 'abc', offset: 0, totalLength: 3 })).toBeNull();
  });

  it('says which part of a long document is shown', () => {
    expect(partialTextNote({ text: 'x'.repeat(200_000), offset: 1_000, totalLength: 1_500_000 })).toBe(
      'This document is long: showing characters 1,001–201,000 of 1,500,000, around the passage. Open the original to read all of it.',
    );
    expect(partialTextNote({ text: 'x'.repeat(10), offset: 0, totalLength: 20 })).toMatch(/characters 1–10 of 20/);
  });
});
