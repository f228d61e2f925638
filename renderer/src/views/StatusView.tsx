import { useEffect, useRef } from 'react';
import type { KbStatus } from '../../../core/api';
import { ErrorNotice } from '../components/ErrorNotice';
import { LastBackupCard } from '../components/status/LastBackupCard';
import { LibraryFiguresCards } from '../components/status/LibraryFiguresCards';
import { MismatchNotice } from '../components/status/MismatchNotice';
import { ModelCard } from '../components/status/ModelCard';
import { ProviderChangeProgress } from '../components/status/ProviderChangeProgress';
import { ProviderHealthCard } from '../components/status/ProviderHealthCard';
import { SearchLatencyCard } from '../components/status/SearchLatencyCard';
import { useStatusPolling } from '../components/status/useStatusPolling';
import { useKb } from '../store';
import { STATUS_POLL_MS } from '../store/statusPolling';
import '../styles/status.css';

/**
 * The Status screen: the providers' health, what the stores hold, search latency, indexing speed,
 * storage and pool use — the specification's monitoring figures, refreshed while it is shown —
 * and the last backup.
 */
export function StatusView() {
  useStatusPolling();
  const status = useKb((s) => s.status);
  const statusError = useKb((s) => s.statusError);
  const heading = useRef<HTMLHeadingElement>(null);

  // Opened from the header: focus moves to the page, so a screen reader announces it and Tab goes on from here.
  useEffect(() => heading.current?.focus(), []);

  return (
    <div className="status-page">
      <div className="status-page-head">
        <h2 ref={heading} tabIndex={-1} id="status-heading">
          Status
        </h2>
        <p className="count" data-testid="status-refresh">
          Refreshes every {STATUS_POLL_MS / 1000} seconds
        </p>
      </div>
      {statusError && <ErrorNotice error={statusError} />}
      {status ? (
        <StatusFigures status={status} />
      ) : (
        !statusError && (
          <p className="status-empty" role="status">
            Loading the figures…
          </p>
        )
      )}
    </div>
  );
}

function StatusFigures({ status }: { status: KbStatus }) {
  const { metrics } = status;
  return (
    <>
      {status.providerChange && <ProviderChangeProgress change={status.providerChange} />}
      {status.mismatch && <MismatchNotice mismatch={status.mismatch} relational={status.relational.provider} vector={status.vector.provider} />}
      <div className="status-grid" data-testid="status-figures">
        <ProviderHealthCard role="relational" health={status.relational} pool={metrics.pool} />
        <ProviderHealthCard role="vector" health={status.vector} />
        <ModelCard embedding={status.embedding} />
        <SearchLatencyCard search={metrics.search} />
        <LibraryFiguresCards counts={status.counts} metrics={metrics} relational={status.relational.provider} vector={status.vector.provider} mismatch={!!status.mismatch} />
        {/* "5 minutes ago" is worked out at each render: the screen re-renders with every poll. */}
        <LastBackupCard last={status.lastBackup ?? null} {...(status.backup ? { current: status.backup } : {})} now={Date.now()} />
      </div>
      <p className="status-footnote">
        Latency, indexing speed and build time are measured since the app started. Data folder: <span className="status-break">{status.dataDir}</span>
      </p>
    </>
  );
}
