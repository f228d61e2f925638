import type { PoolUse, ProviderHealth } from '../../../../core/api';
import { describeHealth, describePool, noPoolNote } from '../../logic/statusFigures';

interface Props {
  role: 'relational' | 'vector';
  health: ProviderHealth;
  /** The relational store's connection pool (PostgreSQL only). */
  pool?: PoolUse;
}

/** One store: which provider, whether it answers, how fast, and the server's words when it does not. */
export function ProviderHealthCard({ role, health, pool }: Props) {
  const h = describeHealth(role, health);
  const id = `status-health-${role}`;
  return (
    <section className="panel status-card" aria-labelledby={id} data-testid={`health-${role}`} data-available={health.available}>
      <h3 id={id}>{h.role}</h3>
      <p className="status-big" data-testid="provider-name">
        {h.name}
      </p>
      {h.detail && <p className="status-sub">{h.detail}</p>}
      <p className={`status-state tone-${h.tone}`}>
        <span className={`dot dot-${h.tone}`} aria-hidden="true" />
        <span data-testid="provider-state">{h.state}</span>
      </p>
      <dl className="status-pairs">
        <div>
          <dt>Health check</dt>
          <dd data-testid="provider-latency">{h.latency}</dd>
        </div>
        {role === 'relational' && <PoolFigure provider={health.provider} pool={pool} />}
      </dl>
      {h.message && (
        <p className={`status-message ${health.available ? '' : 'status-message-bad'}`} data-testid="provider-message">
          {h.message}
        </p>
      )}
    </section>
  );
}

function PoolFigure({ provider, pool }: { provider: string; pool?: PoolUse }) {
  if (!pool) {
    return (
      <div className="status-pair-stacked">
        <dt>Connection pool</dt>
        <dd className="muted" data-testid="pool">
          {noPoolNote(provider)}
        </dd>
      </div>
    );
  }
  const p = describePool(pool);
  return (
    <div className="status-pair-stacked">
      <dt>Connection pool</dt>
      <dd data-testid="pool" title={p.sentence}>
        {p.open}
        <span className={`status-sub status-inline tone-${p.tone}`}>
          {p.idle} · {p.waiting}
        </span>
      </dd>
    </div>
  );
}
