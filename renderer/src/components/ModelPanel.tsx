import { useState } from 'react';
import type { KbErrorShape, ModelChoice } from '../../../core/api';
import { visibleReindex } from '../logic/modelActivity';
import { describeModelSwitch, orderModels } from '../logic/models';
import { useKb } from '../store';
import { ErrorNotice } from './ErrorNotice';

function ModelRow({ model, documents, busy }: { model: ModelChoice; documents: number; busy: boolean }) {
  const chooseModel = useKb((s) => s.chooseModel);
  const refreshStatus = useKb((s) => s.refreshStatus);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<KbErrorShape | null>(null);
  // An Ollama model is checked with its server before the switch is accepted (a few seconds at most).
  const [switching, setSwitching] = useState(false);

  const choose = async () => {
    setSwitching(true);
    const err = await chooseModel(model.id);
    setSwitching(false);
    setConfirming(false);
    setError(err);
    void refreshStatus();
  };

  return (
    <li className="model-row" data-testid="model-row">
      <div className="model-main">
        <span className="model-name">{model.id}</span>
        <span className="muted">
          {model.dimensions}-d · {model.runtime === 'ollama' ? 'Ollama' : model.installed ? 'on this computer' : `${model.sizeMb} MB download`}
        </span>
        <span className="model-desc">{model.description}</span>
      </div>
      {model.active ? (
        <span className="model-active">In use</span>
      ) : confirming ? (
        <div className="confirm model-confirm" role="group" aria-label={`Switch to ${model.id}?`} data-testid="model-confirm">
          <span className="confirm-text">{describeModelSwitch(model, documents)}</span>
          <span className="model-confirm-buttons">
            <button type="button" className="button small primary" aria-disabled={switching} onClick={() => !switching && void choose()}>
              {switching ? (model.runtime === 'ollama' ? 'Checking Ollama…' : 'Switching…') : 'Switch'}
            </button>
            <button type="button" className="button small subtle" disabled={switching} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        </div>
      ) : (
        <button type="button" className="button small" disabled={busy} onClick={() => setConfirming(true)} aria-label={`Use ${model.id}`}>
          Use
        </button>
      )}
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </li>
  );
}

/** Which model embeds the library, and the better ones it can switch to. */
export function ModelPanel() {
  const models = useKb((s) => s.models);
  const documents = useKb((s) => s.documents.length);
  const busy = useKb((s) => s.status?.reindex?.state === 'running' || (s.modelDownload !== null && !s.modelDownload.done));
  const reindex = useKb((s) => visibleReindex(s.status?.reindex, s.dismissedReindex));
  const dismissReindexFailure = useKb((s) => s.dismissReindexFailure);
  if (!models) return null;
  return (
    <section className="panel" aria-labelledby="models-heading" data-testid="model-panel">
      <div className="panel-head">
        <h2 id="models-heading">Model</h2>
      </div>
      {reindex?.state === 'failed' && (
        <ErrorNotice error={{ kind: 'ModelUnavailable', message: reindex.message ?? `Re-indexing for ${reindex.model} failed.` }} onDismiss={dismissReindexFailure} />
      )}
      <ul className="model-list">
        {orderModels(models).map((m) => (
          <ModelRow key={m.id} model={m} documents={documents} busy={busy} />
        ))}
      </ul>
    </section>
  );
}
