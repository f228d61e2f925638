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
