import { useMemo } from 'react';
import type { SearchLatency } from '../../../../core/api';
import { describeSearchLatency, recentRows } from '../../logic/statusFigures';
import { LatencyChart } from './LatencyChart';

/** p50/p95/p99 over the recent searches, a chart of them and the same as a table. */
export function SearchLatencyCard({ search }: { search: SearchLatency }) {
  const v = describeSearchLatency(search);
  const rows = useMemo(() => recentRows(search.recent), [search.recent]);
  return (
    <section className="panel status-card status-card-wide" aria-labelledby="status-latency" data-testid="search-latency">
      <div className="status-card-head">
        <h3 id="status-latency">Search latency</h3>
        <p className="count" data-testid="search-count">
          {v.count}
        </p>
      </div>
      <dl className="status-percentiles">
        <div>
          <dt>
            p50 <span className="status-sub">median</span>
          </dt>
          <dd data-testid="p50">{v.p50}</dd>
        </div>
        <div>
          <dt>
            p95 <span className="status-sub">1 in 20 slower</span>
          </dt>
          <dd data-testid="p95">{v.p95}</dd>
        </div>
        <div>
          <dt>
            p99 <span className="status-sub">1 in 100 slower</span>
          </dt>
          <dd data-testid="p99">{v.p99}</dd>
        </div>
      </dl>
      {v.empty ? (
        <p className="status-empty" data-testid="no-searches">
          Search your library and the time each search takes shows here, with a chart of the latest ones.
        </p>
      ) : (
        <>
          <LatencyChart recent={search.recent} label={v.chartLabel} />
          <details className="status-table-toggle">
            <summary>Recent searches as a table</summary>
            <div className="status-table-wrap">
              <table className="status-table" data-testid="recent-searches">
                <caption className="visually-hidden">{v.chartLabel}, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Time</th>
                    <th scope="col">Mode</th>
                    <th scope="col">Took</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}>
                      <td>{r.n}</td>
                      <td>{r.at}</td>
                      <td>{r.mode}</td>
                      <td>{r.ms}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
