import { describe, expect, it } from 'vitest';
import { parseKeywordQuery } from '../../core/search/keywordQuery';
import { correctSpelling, editDistance } from '../../core/search/spelling';

const library = (counts: Record<string, number>) => ({
  frequencies: async (words: string[]) => words.map((w) => counts[w] ?? 0),
  vocabulary: async (initial: string, min: number, max: number) =>
    Object.keys(counts).filter((w) => w.startsWith(initial) && w.length >= min && w.length <= max),
});

describe('spelling', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('sourdugh', 'sourdough', 2)).toBe(1);
    expect(editDistance('starer', 'starter', 2)).toBe(1);
    expect(editDistance('recieve', 'receive', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
  });

  it('corrects words the library does not have to its most frequent close word', async () => {
    const source = library({ sourdough: 3, starter: 5, stater: 1, bread: 9 });
    const q = 'Sourdugh starer for bread';
    expect(await correctSpelling(q, parseKeywordQuery(q), source)).toEqual({
      changes: [
        { from: 'sourdugh', to: 'sourdough' },
        { from: 'starer', to: 'starter' },
      ],
      text: 'sourdough starter for bread',
    });
  });

  it('leaves known words, short words, identifiers and phrases alone', async () => {
    const source = library({ bread: 9, breed: 2, force: 1 });
    for (const q of ['bread', 'brd', '--forse-with-lease', '"breaad"', 'zzzzzz']) {
      expect(await correctSpelling(q, parseKeywordQuery(q), source), q).toBeUndefined();
    }
  });
});
