import { describe, expect, it } from 'vitest';
import { markRanges, rangesWithin, splitAtFocus } from './marks';

const marked = (segments: { text: string; marked: boolean }[]) => segments.filter((s) => s.marked).map((s) => s.text);
const joined = (segments: { text: string }[]) => segments.map((s) => s.text).join('');

describe('markRanges', () => {
  it('marks each range and keeps every character, in order', () => {
    const text = 'Renew the token, then retry the sync.';
    const segments = markRanges(text, [
      [6, 15],
      [22, 27],
    ]);
    expect(segments).toEqual([
      { text: 'Renew ', marked: false },
      { text: 'the token', marked: true },
      { text: ', then ', marked: false },
      { text: 'retry', marked: true },
      { text: ' the sync.', marked: false },
    ]);
    expect(joined(segments)).toBe(text);
  });

  it('sorts, merges overlapping and touching ranges, clips to the text and drops empty or broken ones', () => {
    const text = 'abcdefghij';
    const segments = markRanges(text, [
      [8, 40],
      [1, 3],
      [2, 4],
      [4, 5],
      [6, 6],
      [-5, 0],
      [Number.NaN, 2],
      [7, 6],
    ]);
    expect(marked(segments)).toEqual(['bcde', 'ij']);
    expect(joined(segments)).toBe(text);
  });

  it('gives one plain segment without ranges, and none for empty text', () => {
    expect(markRanges('plain', [])).toEqual([{ text: 'plain', marked: false }]);
    expect(markRanges('', [[0, 3]])).toEqual([]);
  });

  it('treats text that looks like HTML as text', () => {
    expect(markRanges('<b>x</b>', [[3, 4]])).toEqual([
      { text: '<b>', marked: false },
      { text: 'x', marked: true },
      { text: '</b>', marked: false },
    ]);
  });
});

describe('rangesWithin', () => {
  it('cuts ranges to a slice and shifts them to its start', () => {
    expect(
      rangesWithin(
        [
          [0, 2],
          [4, 8],
          [9, 12],
          [20, 22],
        ],
        5,
        10,
      ),
    ).toEqual([
      [0, 3],
      [4, 5],
    ]);
  });
});

describe('splitAtFocus', () => {
  const text = 'Intro line.\nThe passage with QX-4471 inside.\nOutro QX-4471.';
  const start = text.indexOf('The');
  const end = text.indexOf('\nOutro');
  const words: [number, number][] = [...text.matchAll(/QX-4471/g)].map((m) => [m.index, m.index + 7]);

  it('puts the passage apart, with the marks of each part', () => {
    const parts = splitAtFocus(text, [start, end], words);
    expect(joined(parts.before)).toBe('Intro line.\n');
    expect(joined(parts.passage)).toBe('The passage with QX-4471 inside.');
    expect(marked(parts.passage)).toEqual(['QX-4471']);
    expect(marked(parts.after)).toEqual(['QX-4471']);
    expect(joined([...parts.before, ...parts.passage, ...parts.after])).toBe(text);
  });

  it('marks a word that straddles the passage edge in both parts', () => {
    const parts = splitAtFocus('abcdef', [2, 4], [[1, 3]]);
    expect(marked(parts.before)).toEqual(['b']);
    expect(marked(parts.passage)).toEqual(['c']);
  });

  it('clips a focus beyond the text, and puts everything before without one', () => {
    expect(joined(splitAtFocus('short', [3, 99], []).passage)).toBe('rt');
    expect(splitAtFocus('short', undefined, [[0, 2]])).toEqual({
      before: [
        { text: 'sh', marked: true },
        { text: 'ort', marked: false },
      ],
      passage: [],
      after: [],
    });
  });
});
