import { describe, expect, it } from 'vitest';
import { formatHeadingPath, formatLocation, formatPages } from './location';

describe('formatPages', () => {
  it.each([
    [3, undefined, 'p. 3'],
    [3, 3, 'p. 3'],
    [3, 4, 'pp. 3–4'],
    [undefined, 7, 'p. 7'],
    [5, 2, 'p. 5'],
    [0, 2, 'p. 2'],
    [1.5, undefined, null],
    [undefined, undefined, null],
  ])('%s–%s → %s', (start, end, text) => expect(formatPages(start, end)).toBe(text));
});

describe('formatHeadingPath', () => {
  it('joins headings outermost first, tidying blanks', () => {
    expect(formatHeadingPath(['Guide', '  Setup ', '', 'Install\n steps'])).toBe('Guide › Setup › Install steps');
    expect(formatHeadingPath([])).toBeNull();
    expect(formatHeadingPath(['  '])).toBeNull();
    expect(formatHeadingPath(undefined)).toBeNull();
  });
});

describe('formatLocation', () => {
  it('puts headings and pages together, or whichever is known', () => {
    expect(formatLocation({ headingPath: ['Guide', 'Setup'], pageStart: 3, pageEnd: 4 })).toBe('Guide › Setup · pp. 3–4');
    expect(formatLocation({ pageStart: 3 })).toBe('p. 3');
    expect(formatLocation({ headingPath: ['Intro'] })).toBe('Intro');
    expect(formatLocation({})).toBeNull();
    expect(formatLocation(undefined)).toBeNull();
  });
});
