import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDate, formatScore, highlightTerms } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [50 * 1024 * 1024, '50 MB'],
    [3.25 * 1024 ** 3, '3.3 GB'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (n, s) => expect(formatBytes(n)).toBe(s));
});

describe('formatScore', () => {
  it('shows cosine similarity as a clamped percentage', () => {
    expect(formatScore(0.7349)).toBe('73%');
    expect(formatScore(1)).toBe('100%');
    expect(formatScore(-0.2)).toBe('0%');
    expect(formatScore(Number.NaN)).toBe('—');
  });
});

describe('formatDate / formatCount', () => {
  it('formats a date in a given locale and zone', () => {
    expect(formatDate('2025-03-04T15:06:00Z', 'en-GB', 'UTC')).toBe('4 Mar 2025, 15:06');
    expect(formatDate('not a date')).toBe('—');
  });
  it('pluralises', () => {
    expect(formatCount(1, 'chunk', 'chunks')).toBe('1 chunk');
    expect(formatCount(1200, 'chunk', 'chunks')).toBe('1,200 chunks');
  });
});

describe('highlightTerms', () => {
  it('marks whole words that start with a query word, case-insensitively, and keeps all text', () => {
    const text = 'Refunds are processed weekly. A refund takes days; nonrefundable items excluded.';
    const segs = highlightTerms(text, 'how does a REFUND take');
    expect(segs.filter((s) => s.match).map((s) => s.text)).toEqual(['Refunds', 'refund', 'takes']);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });
  it('ignores short words, stop words and regex characters', () => {
    expect(highlightTerms('a (b) c', 'a (b)')).toEqual([{ text: 'a (b) c', match: false }]);
    expect(highlightTerms('what does this do', 'what does this')).toEqual([{ text: 'what does this do', match: false }]);
    expect(highlightTerms('cost: $5 (approx.)', 'approx.*')).toEqual([
      { text: 'cost: $5 (', match: false },
      { text: 'approx', match: true },
      { text: '.)', match: false },
    ]);
    expect(highlightTerms('', 'query')).toEqual([]);
  });
  it('matches words in other scripts', () => {
    expect(highlightTerms('Über Rückerstattungen', 'rückerstattung').filter((s) => s.match).map((s) => s.text)).toEqual([
      'Rückerstattungen',
    ]);
  });
});
