import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SearchMode, SearchResponse } from '../../core/api/search';
import type { SearchTuning } from '../../core/search/searchTuning';
import type { KbServiceImpl } from '../../core/service';
import type { Library } from './library';
import { mrr, ndcgAt, recallAt } from './metrics';

export interface LabelledQuery {
  id: string;
  source: string;
  kind: string;
  query: string;
  relevant: { file: string; grade: number; evidence: string }[];
}

export function loadLabels(): LabelledQuery[] {
  const file = fileURLToPath(new URL('./labels.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { queries: LabelledQuery[] }).queries;
}

export interface QueryOutcome {
  id: string;
  kind: string;
  source: string;
  ndcg: number;
  recall: number;
  mrr: number;
  ms: number;
  weak: boolean;
  /** The calibrated score of the first result. */
  topScore: number;
  ranked: string[];
}

/** Runs every labelled query in one mode and scores the ranked documents against the judgments. */
export async function evaluate(
  service: KbServiceImpl,
  library: Library,
  labels: LabelledQuery[],
  mode: SearchMode,
  tuning?: Partial<SearchTuning>,
): Promise<QueryOutcome[]> {
  const out: QueryOutcome[] = [];
  for (const q of labels) {
    const res: SearchResponse = await service.search({ query: q.query, k: 10, mode }, tuning);
    const ranked = res.hits.map((h) => library.pathOf.get(h.documentId) ?? `(copy) ${h.documentName}`);
    const relevant = new Map(q.relevant.map((r) => [r.file, r.grade]));
    out.push({
      id: q.id,
      kind: q.kind,
      source: q.source,
      ndcg: ndcgAt(ranked, relevant, 10),
      recall: recallAt(ranked, relevant, 10),
      mrr: mrr(ranked, relevant),
      ms: res.tookMs,
      weak: res.weak,
      topScore: res.hits[0]?.score ?? 0,
      ranked,
    });
  }
  return out;
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export { percentile } from '../shared/stats';

/** Mean nDCG@10, recall@10 and MRR over some outcomes. */
export function scores(outcomes: QueryOutcome[]) {
  return { n: outcomes.length, ndcg: mean(outcomes.map((o) => o.ndcg)), recall: mean(outcomes.map((o) => o.recall)), mrr: mean(outcomes.map((o) => o.mrr)) };
}
