/**
 * End-to-end search latency through the real service, per mode: every query in every mode,
 * modes interleaved query by query so that outside load slows them alike, the query embedding
 * cache emptied before each search. Repeated in rounds: `pooled` percentiles are over every
 * search, `median` the median over rounds of each round's percentile (the figure a noisy
 * machine reports best).
 */
import type { SearchMode } from '../../core/api/search';
import type { KbServiceImpl } from '../../core/service';
import { median, percentile } from './stats';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface ModeLatency extends Percentiles {
  median: Percentiles;
  rounds: Percentiles[];
  searches: number;
}

const of = (times: number[]): Percentiles => ({ p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) });

export async function searchLatency(
  service: Pick<KbServiceImpl, 'search' | 'forgetQueryEmbeddings'>,
  queries: string[],
  opts: { rounds?: number; modes: readonly SearchMode[] },
): Promise<Record<SearchMode, ModeLatency>> {
  const rounds = opts.rounds ?? 2;
  const all = new Map<SearchMode, number[]>(opts.modes.map((m) => [m, []]));
  const perRound = new Map<SearchMode, Percentiles[]>(opts.modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    const times = new Map<SearchMode, number[]>(opts.modes.map((m) => [m, []]));
    for (const query of queries) {
      for (const mode of opts.modes) {
        service.forgetQueryEmbeddings();
        const started = performance.now();
        await service.search({ query, k: 10, mode });
        times.get(mode)?.push(performance.now() - started);
      }
    }
    for (const mode of opts.modes) {
      const t = times.get(mode) ?? [];
      all.get(mode)?.push(...t);
      perRound.get(mode)?.push(of(t));
    }
  }
  const out = {} as Record<SearchMode, ModeLatency>;
  for (const mode of opts.modes) {
    const rs = perRound.get(mode) ?? [];
    out[mode] = {
      ...of(all.get(mode) ?? []),
      median: { p50: median(rs.map((x) => x.p50)), p95: median(rs.map((x) => x.p95)), p99: median(rs.map((x) => x.p99)) },
      rounds: rs,
      searches: all.get(mode)?.length ?? 0,
    };
  }
  return out;
}
