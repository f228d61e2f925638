import { useState } from 'react';
import type { KbErrorShape, ModelChoice } from '../../../core/api';
import { describeModelSwitch, orderModels } from '../logic/models';
import { useKb } from '../store';
import { ErrorNotice } from './ErrorNotice';

function ModelRow({ model, documents, busy }: { model: ModelChoice; documents: number; busy: boolean }) {
  const chooseModel = useKb((s) => s.chooseModel);
  const refreshStatus = useKb((s) => s.refreshStatus);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<KbErrorShape | null>(null);

  const choose = async () => {
    setConfirming(false);
    const err = await chooseModel(model.id);
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
        <div className="confirm" role="group" aria-label={`Switch to ${model.id}?`}>
          <span className="confirm-text">{describeModelSwitch(model, documents)}</span>
          <button type="button" className="button small primary" onClick={() => void choose()}>
            Switch
          </button>
          <button type="button" className="button small subtle" onClick={() => setConfirming(false)}>
            Cancel
          </button>
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
  if (!models) return null;
  return (
    <section className="panel" aria-labelledby="models-heading" data-testid="model-panel">
      <div className="panel-head">
        <h2 id="models-heading">Model</h2>
      </div>
      <ul className="model-list">
        {orderModels(models).map((m) => (
          <ModelRow key={m.id} model={m} documents={documents} busy={busy} />
        ))}
      </ul>
    </section>
  );
}
