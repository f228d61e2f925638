import { formatLatency } from '../../logic/settingsForm';
import { useKb } from '../../store';
import type { ProviderSide } from '../../store/settingsSlice';

/** "Test connection" for one side: the draft's values, checked before anything is saved. */
export function ConnectionTestButton({ side, what, disabled }: { side: ProviderSide; what: string; disabled: boolean }) {
  const test = useKb((s) => s.connectionTests[side]);
  const run = useKb((s) => s.testProviderConnection);
  const resultId = `settings-test-${side}`;
  return (
    <div className="settings-test">
      <button
        type="button"
        className="button"
        data-testid={`test-${side}`}
        aria-describedby={resultId}
        disabled={disabled || test?.state === 'testing'}
        onClick={() => void run(side)}
      >
        Test connection
        <span className="visually-hidden"> to the {what}</span>
      </button>
      <div id={resultId} className="settings-test-result" role="status" data-testid={`test-result-${side}`}>
        {test?.state === 'testing' && <span className="muted">Testing…</span>}
        {test?.state === 'done' && (
          <>
            <span className={`settings-health ${test.health.available ? 'is-ok' : 'is-bad'}`} data-testid="test-health">
              <span className={`dot ${test.health.available ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
              {test.health.available ? 'Available' : 'Unavailable'}
            </span>
            <span className="settings-latency" data-testid="test-latency">
              {formatLatency(test.health.latencyMs)}
            </span>
            {test.health.message && (
              <span className="settings-test-message" data-testid="test-message">
                {test.health.message}
              </span>
            )}
          </>
        )}
        {test?.state === 'error' && (
          <span className="settings-health is-bad" data-testid="test-health">
            <span className="dot dot-bad" aria-hidden="true" />
            Could not test: {test.error.message}
          </span>
        )}
      </div>
    </div>
  );
}
