import { describe, expect, it } from 'vitest';
import { VectorMatrix } from '../../core/vector/vectorMatrix';

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * (b[i] as number);
    na += x * x;
    nb += (b[i] as number) ** 2;
  });
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
};

describe('VectorMatrix', () => {
  // 13: not a multiple of the kernel's eight lanes (the rest of each row is padding); 384: a MiniLM vector.
  it.each([13, 384])('finds exactly what a brute-force cosine ranking finds, per user, through sets, replacements and deletes (%i dimensions)', (dims) => {
    const rnd = random(7);
    const matrix = new VectorMatrix(dims, 4); // grows several times
    const truth = new Map<number, { user: string; v: Float32Array }>();
    const vec = () => Float32Array.from({ length: dims }, rnd);
    for (let step = 0; step < 3000; step++) {
      const rowid = Math.floor((rnd() + 0.5) * 1500);
      if (rnd() < -0.3) {
        matrix.delete(rowid);
        truth.delete(rowid);
      } else {
        const user = rnd() < 0 ? 'alice' : 'bob';
        const v = vec();
        matrix.set(rowid, user, v);
        truth.set(rowid, { user, v });
      }
    }
    expect(matrix.count).toBe(truth.size);
    for (let q = 0; q < 20; q++) {
      const query = vec();
      for (const user of ['alice', 'bob']) {
        const expected = [...truth]
          .filter(([, t]) => t.user === user)
          .map(([rowid, t]) => ({ rowid, score: cosine(query, t.v) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 25);
        const got = matrix.top(query, user, 25);
        expect(got.map((h) => h.rowid)).toEqual(expected.map((h) => h.rowid));
        got.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 5));
      }
    }
    expect(matrix.top(vec(), 'carol', 10)).toEqual([]);
  });

  it('ranks only the given rows with topAmong, skipping rows it does not hold', () => {
    const m = new VectorMatrix(2);
    m.set(1, 'a', new Float32Array([1, 0]));
    m.set(2, 'a', new Float32Array([0, 1]));
    m.set(3, 'a', new Float32Array([1, 1]));
    const hits = m.topAmong(new Float32Array([1, 0.1]), [2, 3, 99], 5);
    expect(hits.map((h) => h.rowid)).toEqual([3, 2]);
    expect(m.topAmong(new Float32Array([1, 0]), [1, 2, 3], 0)).toEqual([]);
  });

  it('keeps rows packed when one in the middle is deleted', () => {
    const m = new VectorMatrix(2);
    m.set(10, 'a', new Float32Array([1, 0]));
    m.set(20, 'a', new Float32Array([0, 1]));
    m.set(30, 'b', new Float32Array([1, 1]));
    m.delete(10);
    m.delete(10); // twice: nothing happens
    expect(m.count).toBe(2);
    expect(m.has(10)).toBe(false);
    expect(m.top(new Float32Array([0, 1]), 'a', 5).map((h) => h.rowid)).toEqual([20]);
    expect(m.top(new Float32Array([1, 1]), 'b', 5)).toEqual([{ rowid: 30, score: expect.closeTo(1, 6) }]);
  });

  it('gives a zero vector similarity 0 and refuses a vector of another dimension', () => {
    const m = new VectorMatrix(3);
    m.set(1, 'a', new Float32Array(3));
    expect(m.top(new Float32Array([1, 0, 0]), 'a', 1)).toEqual([{ rowid: 1, score: 0 }]);
    expect(() => m.set(2, 'a', new Float32Array(2))).toThrow(/2-dimensional vector in a 3-dimensional/);
  });
});
