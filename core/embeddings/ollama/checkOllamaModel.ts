import { KbError } from '../../api/errors';
import type { Settings } from '../../api/settings';
import { ollamaEmbedder } from './ollamaEmbedder';

/**
 * Before switching the embedding model to an Ollama one: asks the server (version and pulled
 * models, without loading the model) and refuses with `ModelUnavailable` and the way to fix it —
 * start Ollama, or `ollama pull <name>` — so a switch is never accepted only to fail later.
 */
export async function checkOllamaModel(modelId: string, settings: Settings['embedding']): Promise<void> {
  const embedder = ollamaEmbedder(modelId, settings);
  try {
    const health = await embedder.isAvailable();
    if (!health.available) {
      const why = (health.message ?? 'Ollama did not answer').replace(/\.$/, '');
      throw new KbError('ModelUnavailable', `Not switched to ${modelId}. ${why.charAt(0).toUpperCase()}${why.slice(1)}; then choose the model again.`);
    }
  } finally {
    await embedder.close();
  }
}
