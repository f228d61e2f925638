import type { PublicSettings } from '../../../core/api';

/**
 * The default settings as the core sends them (`getSettings`), for renderer tests, which may not
 * import the core's schemas. settingsForm.test.ts checks this equals the schema's defaults.
 */
export function publicSettings(patch: (s: PublicSettings) => void = () => {}): PublicSettings {
  const s: PublicSettings = {
    relational: {
      provider: 'sqlite',
      postgres: {
        host: 'localhost',
        port: 5432,
        database: 'qckstrt',
        username: 'postgres',
        ssl: false,
        sslRejectUnauthorized: true,
        poolMax: 10,
        poolMin: 2,
        idleTimeoutMs: 30000,
        connectTimeoutMs: 5000,
        passwordSet: false,
      },
      aurora: { secretArn: '', resourceArn: '', database: 'qckstrt', region: 'us-east-1', endpoint: '' },
      generation: '',
    },
    vector: {
      provider: 'embedded',
      chromaUrl: 'http://localhost:8001',
      chromaCollection: 'qckstrt-embeddings',
      timeoutMs: 10000,
      generation: '',
      pgvector: { hnswM: 16, hnswEfConstruction: 64, efSearch: 100 },
    },
    embedding: { model: 'qckstrt/glove-sg-100d', allowDownload: false, hubUrl: 'https://huggingface.co', ollamaUrl: 'http://localhost:11434', timeoutMs: 60000 },
    search: {},
    ask: { ollamaUrl: 'http://localhost:11434', model: 'llama3.2', contextTokens: 4096, documents: 5 },
    backup: { schedule: 'off', keep: 7, includeOriginals: true },
    ingest: { chunkSize: 1200, chunkOverlap: 150, maxFileSizeMb: 50, exclude: ['**/.*', '**/node_modules', '**/__pycache__'], followExternalLinks: false, watchedFolders: [] },
  };
  patch(s);
  return s;
}
