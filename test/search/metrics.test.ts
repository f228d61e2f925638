import { describe, expect, it } from 'vitest';
import { checkLabels, ensureCorpus, loadLabels } from '../../bench/search/corpus';
import { mrr, ndcgAt, recallAt, summarise, uniqueRanking } from '../../bench/search/metrics';

// Judgments used below: a is the page to land on (grade 2, gain 3), c is also useful (grade 1, gain 1).
// Ideal DCG = 3/log2(2) + 1/log2(3) = 3 + 0.6309298 = 3.6309298.
const judged = new Map([
  ['a', 2],
  ['c', 1],
]);
const IDEAL = 3 + 1 / Math.log2(3); // 3.63093

describe('ndcgAt', () => {
  it('scores a ranking by graded gain and log2 discount against the ideal ordering', () => {
    // DCG = 3/1 + 0/log2(3) + 1/log2(4) = 3.5
    expect(ndcgAt(['a', 'b', 'c'], judged)).toBeCloseTo(3.5 / IDEAL, 10);
    expect(ndcgAt(['a', 'b', 'c'], judged)).toBeCloseTo(0.96394, 5);
  });

  it('is 1 for the ideal ordering, and lower when the grade-1 page comes first', () => {
    expect(ndcgAt(['a', 'c'], judged)).toBeCloseTo(1, 12);
    // DCG = 1/1 + 3/log2(3) = 2.8927893
    expect(ndcgAt(['c', 'a'], judged)).toBeCloseTo(0.79671, 5);
  });

  it('counts a repeated file once, at its first position', () => {
    // [b, b, a] is [b, a]: DCG = 3/log2(3) = 1.8927893, not 3/log2(4) = 1.5
    expect(ndcgAt(['b', 'b', 'a'], judged)).toBeCloseTo(0.5213, 4);
    expect(ndcgAt(['b', 'b', 'a'], judged)).toBeCloseTo(ndcgAt(['b', 'a'], judged), 12);
    // a relevant page repeated must not earn its gain twice
    expect(ndcgAt(['a', 'a', 'c'], judged)).toBeCloseTo(1, 12);
  });

  it('handles fewer than k results: the ideal still counts every judged page', () => {
    // DCG = 1 (c at rank 1); the missing grade-2 page costs the rest
    expect(ndcgAt(['c'], judged)).toBeCloseTo(0.27541, 5);
    expect(ndcgAt([], judged)).toBe(0);
  });

  it('is 0 when no relevant page is retrieved in the top k', () => {
    expect(ndcgAt(['x', 'y', 'z'], judged)).toBe(0);
    const tenMisses = Array.from({ length: 10 }, (_, i) => `miss${i}`);
    expect(ndcgAt([...tenMisses, 'a'], judged, 10)).toBe(0);
    // at k = 11 the page at rank 11 counts: 3/log2(12) / IDEAL
    expect(ndcgAt([...tenMisses, 'a'], judged, 11)).toBeCloseTo(0.23047, 5);
  });

  it('takes the ideal from the top k judged pages only', () => {
    const three = new Map([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    expect(ndcgAt(['a', 'b'], three, 2)).toBeCloseTo(1, 12);
  });

  it('treats grade 0 and unjudged files as not relevant, and is 0 with no relevant judgments', () => {
    expect(ndcgAt(['a', 'b'], new Map([['a', 0]]))).toBe(0);
    expect(ndcgAt(['a'], new Map())).toBe(0);
  });

  it('rejects a k that is not a positive integer', () => {
    expect(() => ndcgAt(['a'], judged, 0)).toThrow(RangeError);
    expect(() => recallAt(['a'], judged, 2.5)).toThrow(RangeError);
  });
});

describe('recallAt', () => {
  it('is the share of relevant pages (grade ≥ 1) in the top k', () => {
    expect(recallAt(['a', 'b', 'c'], judged)).toBe(1);
    expect(recallAt(['c'], judged)).toBe(0.5);
    expect(recallAt(['b', 'a', 'c'], judged, 2)).toBe(0.5);
    expect(recallAt(['x'], judged)).toBe(0);
    expect(recallAt([], judged)).toBe(0);
  });

  it('counts duplicates once', () => {
    // the second a does not push c out of the top 2, and does not count twice
    expect(recallAt(['a', 'a', 'c'], judged, 2)).toBe(1);
    expect(recallAt(['c', 'c', 'c'], judged)).toBe(0.5);
  });

  it('ignores grade 0 judgments', () => {
    expect(
      recallAt(
        ['a'],
        new Map([
          ['a', 1],
          ['z', 0],
        ]),
      ),
    ).toBe(1);
    expect(recallAt(['a'], new Map())).toBe(0);
  });
});

describe('mrr', () => {
  it('is 1/rank of the first relevant page, whatever its grade', () => {
    expect(mrr(['a', 'c'], judged)).toBe(1);
    expect(mrr(['x', 'c', 'a'], judged)).toBe(0.5);
    expect(mrr(['x', 'y', 'z', 'a'], judged)).toBe(0.25);
  });

  it('has no cut-off, and is 0 when nothing relevant is retrieved', () => {
    const tenMisses = Array.from({ length: 10 }, (_, i) => `miss${i}`);
    expect(mrr([...tenMisses, 'a'], judged)).toBeCloseTo(1 / 11, 12);
    expect(mrr(['x', 'y'], judged)).toBe(0);
    expect(mrr([], judged)).toBe(0);
  });

  it('ranks after removing duplicates', () => {
    expect(mrr(['x', 'x', 'x', 'a'], judged)).toBe(0.5);
  });

  it('skips grade 0 pages', () => {
    expect(
      mrr(
        ['a', 'b'],
        new Map([
          ['a', 0],
          ['b', 1],
        ]),
      ),
    ).toBe(0.5);
  });
});

describe('uniqueRanking', () => {
  it('keeps the first occurrence of each file, in order', () => {
    expect(uniqueRanking(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });
});

describe('summarise', () => {
  it('averages overall and per kind', () => {
    const s = summarise([
      { kind: 'question', ndcg: 1, recall: 1, mrr: 1 },
      { kind: 'question', ndcg: 0.5, recall: 0.5, mrr: 0.5 },
      { kind: 'identifier', ndcg: 0.2, recall: 0, mrr: 0.25 },
    ]);
    expect(s.overall.queries).toBe(3);
    expect(s.overall.ndcg).toBeCloseTo(1.7 / 3, 12);
    expect(s.overall.recall).toBeCloseTo(0.5, 12);
    expect(s.overall.mrr).toBeCloseTo(1.75 / 3, 12);
    expect(s.byKind).toEqual({
      question: { queries: 2, ndcg: 0.75, recall: 0.75, mrr: 0.75 },
      identifier: { queries: 1, ndcg: 0.2, recall: 0, mrr: 0.25 },
    });
  });

  it('gives zeros for no queries', () => {
    expect(summarise([])).toEqual({ overall: { queries: 0, ndcg: 0, recall: 0, mrr: 0 }, byKind: {} });
  });
});

describe('labels.json', () => {
  it('is well formed: unique ids, both sources and kinds, a grade-2 page per query, short evidence', async () => {
    const labels = await loadLabels();
    expect(labels.version).toBe(1);
    expect(labels.queries.length).toBeGreaterThanOrEqual(64);
    expect(new Set(labels.queries.map((q) => q.id)).size).toBe(labels.queries.length);
    for (const source of ['npm', 'sqlite']) {
      for (const kind of ['question', 'identifier']) {
        const n = labels.queries.filter((q) => q.source === source && q.kind === kind).length;
        expect(n, `${source} ${kind}`).toBeGreaterThanOrEqual(14);
      }
    }
    for (const q of labels.queries) {
      expect(q.query.trim().length, q.id).toBeGreaterThan(0);
      expect(q.relevant.some((r) => r.grade === 2), `${q.id} has a grade-2 page`).toBe(true);
      expect(new Set(q.relevant.map((r) => r.file)).size, `${q.id} judges each file once`).toBe(q.relevant.length);
      for (const r of q.relevant) {
        expect([1, 2], `${q.id} ${r.file}`).toContain(r.grade);
        expect(r.file.startsWith(`${q.source}/`), `${q.id} ${r.file}`).toBe(true);
        expect(r.evidence.length, `${q.id} ${r.file}`).toBeLessThanOrEqual(200);
      }
    }
  });

  // Fetches the corpus into .cache/ the first time (the npm registry and Debian's archive, a few MB).
  it('names existing files and quotes its evidence verbatim from them', { timeout: 300_000 }, async () => {
    const problems = await checkLabels(await ensureCorpus(), await loadLabels());
    expect(problems).toEqual([]);
  });
});
