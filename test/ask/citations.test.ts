import { describe, expect, it } from 'vitest';
import { findCitations } from '../../core/ask/citations';
import type { NumberedPassage } from '../../core/ask/types';

const PASSAGES: NumberedPassage[] = [1, 2, 3, 4].map((n) => ({
  n,
  documentId: `d${n}`,
  documentName: `doc${n}.md`,
  chunkId: `c${n}`,
  text: `text ${n}`,
  ...(n === 2 ? { location: { headingPath: ['Setup'], pageStart: 3 } } : {}),
}));

/** Each marker as the text it covers, with its numbers. */
function markers(answer: string) {
  return findCitations(answer, PASSAGES).markers.map((m) => [answer.slice(m.start, m.end), m.numbers]);
}
function cited(answer: string) {
  return findCitations(answer, PASSAGES).citations.map((c) => c.n);
}

describe('findCitations', () => {
  it('reads [1], [1, 3], [1][2], [1-3] and [2–4]', () => {
    expect(markers('A [1]. B [1, 3]. C [1][2]. D [1-3]. E [2–4].')).toEqual([
      ['[1]', [1]],
      ['[1, 3]', [1, 3]],
      ['[1]', [1]],
      ['[2]', [2]],
      ['[1-3]', [1, 2, 3]],
      ['[2–4]', [2, 3, 4]],
    ]);
    expect(markers('Plants eat light[1];roots[ 2 ; 4 ].')).toEqual([
      ['[1]', [1]],
      ['[ 2 ; 4 ]', [2, 4]],
    ]);
  });

  it('returns each cited passage once, in order of first citation, with where it comes from', () => {
    const { citations } = findCitations('Roots [2]. Light [1][2]. Soil [4, 2].', PASSAGES);
    expect(citations).toEqual([
      { n: 2, documentId: 'd2', documentName: 'doc2.md', chunkId: 'c2', location: { headingPath: ['Setup'], pageStart: 3 } },
      { n: 1, documentId: 'd1', documentName: 'doc1.md', chunkId: 'c1' },
      { n: 4, documentId: 'd4', documentName: 'doc4.md', chunkId: 'c4' },
    ]);
    expect(JSON.parse(JSON.stringify(citations))).toEqual(citations);
  });

  it('ignores numbers with no such passage, keeping the rest of a marker', () => {
    expect(markers('See [0] and [9] and [3, 9] and [4-99999].')).toEqual([
      ['[3, 9]', [3]],
      ['[4-99999]', [4]],
    ]);
    expect(cited('See [7].')).toEqual([]);
  });

  it('ignores Markdown links, code, and brackets that hold no number list', () => {
    expect(markers('[the docs](https://npmjs.com) and [1](https://x.y) [see 1] [1a] [a, 1]')).toEqual([]);
    expect(markers('Use `args[1]` or\n```js\nconst x = list[2];\n```\nas said [3].')).toEqual([['[3]', [3]]]);
    expect(markers('unfinished ```\nlist[2]')).toEqual([]);
  });

  it('finds nothing in an answer without citations', () => {
    expect(findCitations('The passages do not say.', PASSAGES)).toEqual({ citations: [], markers: [] });
  });
});
