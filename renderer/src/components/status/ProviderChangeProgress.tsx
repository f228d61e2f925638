import type { ProviderChangeStatus } from '../../../../core/api';
import { describeProviderChange } from '../../logic/statusFigures';

/** A provider change in progress (or just ended): phase, documents moved, and that the old stores still serve. */
export function ProviderChangeProgress({ change }: { change: ProviderChangeStatus }) {
  const v = describeProviderChange(change);
  return (
    <section className={`panel status-change tone-border-${v.tone}`} aria-labelledby="status-change-title" data-testid="provider-change" data-state={change.state}>
      <div className="status-card-head">
        <h3 id="status-change-title">{v.title}</h3>
        <span className="count">{v.phase}</span>
      </div>
      {v.running && (
        <progress
          className="status-progress"
          aria-labelledby="status-change-title"
          aria-valuetext={v.percent === null ? v.phase : `${v.percent}%`}
          {...(v.percent === null ? {} : { value: v.percent, max: 100 })}
        />
      )}
      <p className={`status-message ${v.tone === 'bad' ? 'status-message-bad' : ''}`}>{v.detail}</p>
    </section>
  );
}
