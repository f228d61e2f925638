import { describe, expect, it } from 'vitest';
import { SEARCH_MODE_OPTIONS, matchLabel, modeLabel, noResultsHint, resultsSummary, scoreBreakdown, splitWeak } from './searchResults';

describe('modes and matches', () => {
  it('names the modes in the order of the toggle', () => {
    expect(SEARCH_MODE_OPTIONS.map((o) => [o.mode, o.label])).toEqual([
      ['hybrid', 'Hybrid'],
      ['keyword', 'Keyword'],
      ['vector', 'Meaning'],
    ]);
    expect(modeLabel('vector')).toBe('Meaning');
  });

  it('labels the calibrated match', () => {
    expect(matchLabel('strong')).toBe('Strong match');
    expect(matchLabel('partial')).toBe('Partial match');
    expect(matchLabel('weak')).toBe('Weak match');
  });
});

describe('scoreBreakdown', () => {
  it('gives each ranking’s own score, leaving out the ones that did not score', () => {
    expect(scoreBreakdown({ keyword: 2.71693, vector: 0.250454, fused: 0.0246 })).toBe('Keyword (BM25) 2.72 · Meaning (cosine) 0.250');
    expect(scoreBreakdown({ vector: -0.12, fused: 0.007 })).toBe('Meaning (cosine) -0.120');
    expect(scoreBreakdown({ fused: 0 })).toBe('No ranking scored it');
  });
});

describe('resultsSummary / noResultsHint', () => {
  it('counts documents, names the mode, says when filtered, and the time', () => {
    expect(resultsSummary({ count: 3, query: 'refunds', mode: 'hybrid', tookMs: 12.3, filtered: false })).toBe('3 documents for “refunds” · Hybrid · 12 ms');
    expect(resultsSummary({ count: 1, query: 'x', mode: 'vector', tookMs: 1500, filtered: true })).toBe('1 document for “x” · Meaning · filtered · 1.5 s');
  });

  it('points at the filters first, then at the mode', () => {
    expect(noResultsHint('keyword', true)).toMatch(/clear the filters/i);
    expect(noResultsHint('keyword', false)).toMatch(/switch to Hybrid/);
    expect(noResultsHint('hybrid', false)).toMatch(/other words/);
  });
});

describe('splitWeak', () => {
  it('folds weak matches under good ones, and shows them when nothing is better', () => {
    const hits = [{ match: 'strong', id: 1 }, { match: 'weak', id: 2 }, { match: 'partial', id: 3 }, { match: 'weak', id: 4 }];
    expect(splitWeak(hits)).toEqual({ shown: [hits[0], hits[2]], folded: [hits[1], hits[3]] });
    const weak = [{ match: 'weak' }, { match: 'weak' }];
    expect(splitWeak(weak)).toEqual({ shown: weak, folded: [] });
    expect(resultsSummary({ count: 2, weak: 3, query: 'q', mode: 'hybrid', tookMs: 5, filtered: false })).toBe('2 documents (+ 3 weak) for “q” · Hybrid · 5 ms');
    // Nothing good: the closest three, the rest folded; the summary says they are weak.
    const ten = Array.from({ length: 10 }, (_, i) => ({ match: 'weak', id: i }));
    expect(splitWeak(ten)).toEqual({ shown: ten.slice(0, 3), folded: ten.slice(3) });
    expect(resultsSummary({ count: 0, weak: 10, query: 'q', mode: 'hybrid', tookMs: 5, filtered: false })).toBe('10 weak matches for “q” · Hybrid · 5 ms');
  });
});
