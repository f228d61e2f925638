import { afterAll, beforeAll } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { chromaVectorStore } from '../../core/vector/chroma/chromaStore';
import { startChroma, type ChromaService } from '../services/chroma';
import { vectorStoreContract } from './vectorStore.contract';

let chroma: ChromaService;
beforeAll(async () => {
  chroma = await startChroma();
  console.log(`[chromadb] server up in ${chroma.startMs.toFixed(0)} ms (pid ${chroma.pid})`);
});
afterAll(async () => {
  await chroma?.dispose();
});

// One collection for the whole run, so reopening sees the same data (restart, dimension checks).
const collection = `contract-${process.pid}-${Date.now()}`;

const openStore = (generation: string) =>
  chromaVectorStore(
    settingsSchema.parse({ vector: { provider: 'chromadb', chromaUrl: chroma.url, chromaCollection: collection, generation, timeoutMs: 5_000 } }).vector,
  );

vectorStoreContract('chromadb', () => ({
  open: async () => openStore(''),
  openGeneration: async (generation) => openStore(generation),
  stopBackend: () => chroma.stop(),
  startBackend: async () => {
    await chroma.start();
    console.log(`[chromadb] restarted in ${chroma.startMs.toFixed(0)} ms`);
  },
  minRecall: 0.95, // measured 0.995 (HNSW, per-user filter, 3,000 clustered vectors)
}));
