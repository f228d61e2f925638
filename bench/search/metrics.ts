/**
 * Ranking metrics for the search evaluation (bench/search/README.md). Pure functions over one
 * query's ranked list of corpus-relative file paths and its judgments (file → grade: 2 = the page
 * to land on, 1 = also useful; files not in the map, or with grade ≤ 0, are not relevant).
 *
 * A file that appears more than once in `ranked` counts once, at its first position: later
 * copies are dropped and the files after them move up.
 */

export type Judgments = ReadonlyMap<string, number>;

export interface QueryScore {
  kind: string;
  ndcg: number;
  recall: number;
  mrr: number;
}

export interface MeanScores {
  queries: number;
  ndcg: number;
  recall: number;
  mrr: number;
}

export interface Summary {
  overall: MeanScores;
  byKind: Record<string, MeanScores>;
}

/** `ranked` without repeats, each file at its first position. */
export function uniqueRanking(ranked: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const file of ranked) {
    if (seen.has(file)) continue;
    seen.add(file);
    out.push(file);
  }
  return out;
}

const gradeOf = (relevant: Judgments, file: string): number => Math.max(0, relevant.get(file) ?? 0);
const gain = (grade: number): number => 2 ** grade - 1;
/** Discount of the result at 1-based rank r. */
const discount = (rank: number): number => Math.log2(rank + 1);

function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, g, i) => sum + gain(g) / discount(i + 1), 0);
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

/**
 * Normalised discounted cumulative gain at k: Σ (2^grade − 1) / log2(rank + 1) over the top k,
 * divided by the same sum for the ideal ordering of every judged relevant file (its top k).
 * 0 when nothing is judged relevant.
 */
export function ndcgAt(ranked: readonly string[], relevant: Judgments, k = 10): number {
  checkK(k);
  const ideal = [...relevant.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  const idealDcg = dcg(ideal);
  if (idealDcg === 0) return 0;
  const got = uniqueRanking(ranked)
    .slice(0, k)
    .map((f) => gradeOf(relevant, f));
  return dcg(got) / idealDcg;
}

/** Share of the relevant files (grade ≥ 1) that appear in the top k. 0 when nothing is relevant. */
export function recallAt(ranked: readonly string[], relevant: Judgments, k = 10): number {
  checkK(k);
  const total = [...relevant.values()].filter((g) => g > 0).length;
  if (total === 0) return 0;
  const found = uniqueRanking(ranked)
    .slice(0, k)
    .filter((f) => gradeOf(relevant, f) > 0).length;
  return found / total;
}

/** Reciprocal rank of the first relevant file (grade ≥ 1) anywhere in the list; 0 if there is none. */
export function mrr(ranked: readonly string[], relevant: Judgments): number {
  const at = uniqueRanking(ranked).findIndex((f) => gradeOf(relevant, f) > 0);
  return at < 0 ? 0 : 1 / (at + 1);
}

function mean(scores: readonly QueryScore[]): MeanScores {
  const n = scores.length;
  const avg = (pick: (s: QueryScore) => number) => (n === 0 ? 0 : scores.reduce((sum, s) => sum + pick(s), 0) / n);
  return { queries: n, ndcg: avg((s) => s.ndcg), recall: avg((s) => s.recall), mrr: avg((s) => s.mrr) };
}

/** Means over all queries and per kind (kinds in order of first appearance). */
export function summarise(perQuery: readonly QueryScore[]): Summary {
  const kinds = [...new Set(perQuery.map((q) => q.kind))];
  const byKind: Record<string, MeanScores> = {};
  for (const kind of kinds) byKind[kind] = mean(perQuery.filter((q) => q.kind === kind));
  return { overall: mean(perQuery), byKind };
}
