/** A ranking to fuse: ids best first, and how much it counts. */
export interface WeightedRanking {
  ids: readonly string[];
  weight: number;
}

/**
 * Weighted reciprocal-rank fusion (Cormack et al. 2009): each ranking adds weight / (k + rank)
 * for every id it ranks (rank 1 is the best). Ids only one ranking knows still count. Returns ids
 * with their fused score, best first; ties keep the order in which ids were first seen.
 */
export function reciprocalRankFusion(rankings: readonly WeightedRanking[], k: number): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const { ids, weight } of rankings) {
    if (weight <= 0) continue;
    ids.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + i + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

/** Items grouped by a key, each group keeping the items' order; groups in order of first appearance. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A ranking's scores to fuse: higher is better; scores at or below `floor` count as nothing. */
export interface WeightedScores {
  scores: ReadonlyMap<string, number>;
  weight: number;
  floor: number;
}

/**
 * Weighted fusion of scores, each ranking's scaled to [0, 1] between its floor and its best score
 * for this query: BM25 has no fixed scale, and a model's cosine means little below what it gives
 * unrelated text. An id a ranking does not know gets 0 from it. Best first.
 */
export function scoreFusion(rankings: readonly WeightedScores[]): { id: string; score: number }[] {
  const fused = new Map<string, number>();
  for (const { scores, weight, floor } of rankings) {
    if (weight <= 0 || !scores.size) continue;
    const top = Math.max(...scores.values());
    for (const [id, s] of scores) {
      const scaled = top > floor ? Math.max(0, (s - floor) / (top - floor)) : 0;
      fused.set(id, (fused.get(id) ?? 0) + weight * scaled);
    }
  }
  return [...fused].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
