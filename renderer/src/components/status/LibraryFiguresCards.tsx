import type { KbMetrics, StoreCounts } from '../../../../core/api';
import { describeCounts, describeIndexBuild, describeIngestRun, describeStorage, type RunView } from '../../logic/statusFigures';

interface Props {
  counts: StoreCounts;
  metrics: KbMetrics;
  relational: string;
  vector: string;
  /** The stores disagree wholesale (the mismatch notice explains the counts). */
  mismatch: boolean;
}

/** What each store holds, how big it is, and how fast the library was last indexed. */
export function LibraryFiguresCards({ counts, metrics, relational, vector, mismatch }: Props) {
  const c = describeCounts(counts, relational, vector, mismatch);
  const storage = describeStorage(metrics.storage, relational, vector);
  return (
    <>
      <section className="panel status-card" aria-labelledby="status-counts" data-testid="store-counts">
        <h3 id="status-counts">Library</h3>
        <dl className="status-pairs">
          {c.rows.map((r) => (
            <div key={r.testId}>
              <dt>
                {r.label}
                <span className="status-sub">in {r.store}</span>
              </dt>
              <dd data-testid={r.testId}>{r.value}</dd>
            </div>
          ))}
        </dl>
        {c.note && <p className="status-message">{c.note}</p>}
      </section>

      <section className="panel status-card" aria-labelledby="status-storage" data-testid="storage">
        <h3 id="status-storage">Storage</h3>
        <p className="status-big" data-testid="storage-total">
          {storage.total}
        </p>
        <dl className="status-pairs">
          {storage.rows.map((r) => (
            <div key={r.testId}>
              <dt>{r.label}</dt>
              <dd data-testid={r.testId} className={r.absent ? 'muted' : undefined}>
                {r.value}
              </dd>
            </div>
          ))}
        </dl>
        {storage.notes.length > 0 && (
          <ul className="status-notes" data-testid="storage-notes">
            {storage.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel status-card" aria-labelledby="status-indexing" data-testid="indexing">
        <h3 id="status-indexing">Indexing</h3>
        <RunFigure testId="last-ingest" title="Last run" run={describeIngestRun(metrics.lastIngest)} />
        <RunFigure testId="index-build" title="Index build" run={describeIndexBuild(metrics.indexBuild)} />
      </section>
    </>
  );
}

function RunFigure({ testId, title, run }: { testId: string; title: string; run: RunView }) {
  return (
    <div className="status-run" data-testid={testId}>
      <h4>{title}</h4>
      <p className={run.empty ? 'status-empty' : 'status-big'} data-testid={`${testId}-headline`}>
        {run.headline}
      </p>
      <p className="status-message">{run.detail}</p>
    </div>
  );
}
