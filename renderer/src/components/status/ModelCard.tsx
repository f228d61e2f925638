import type { EmbeddingStatus } from '../../../../core/api';

/** The embedding model in use and the size of its vectors (the vector store's dimension must match). */
export function ModelCard({ embedding }: { embedding: EmbeddingStatus }) {
  return (
    <section className="panel status-card" aria-labelledby="status-model" data-testid="status-model-card">
      <h3 id="status-model">Embedding model</h3>
      <p className="status-big status-break" data-testid="model-id">
        {embedding.modelId}
      </p>
      <p className={`status-state tone-${embedding.ready ? 'ok' : 'warn'}`}>
        <span className={`dot dot-${embedding.ready ? 'ok' : 'warn'}`} aria-hidden="true" />
        {embedding.ready ? 'Ready' : 'Not ready'}
      </p>
      <dl className="status-pairs">
        <div>
          <dt>Dimensions</dt>
          <dd data-testid="model-dimensions">{embedding.dimensions > 0 ? embedding.dimensions : '—'}</dd>
        </div>
      </dl>
      {!embedding.ready && embedding.message && <p className="status-message status-message-bad">{embedding.message}</p>}
    </section>
  );
}
