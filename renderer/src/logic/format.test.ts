import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDate, formatDuration, formatScore } from './format';

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
  it('shows a score as a clamped percentage', () => {
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

describe('formatDuration', () => {
  it.each([
    [12.4, '12 ms'],
    [999, '999 ms'],
    [1400, '1.4 s'],
    [-1, '—'],
  ])('%s → %s', (ms, s) => expect(formatDuration(ms)).toBe(s));
});
