import { join } from 'node:path';
import { KbError } from '../api/errors';
import type { Settings } from '../api/settings';
import type { ModelDownloadProgress } from '../api/types';
import { dimensionsFromEnv } from '../config/envSettings';
import { downloadModel } from '../embeddings/download/modelDownloader';
import { locateModel } from '../embeddings/modelLocation';
import { ollamaEmbedder } from '../embeddings/ollama/ollamaEmbedder';
import { findModel, OLLAMA_PREFIX } from '../embeddings/registry';
import type { EmbeddingProvider } from '../embeddings/types';
import { WorkerEmbedder } from '../embeddings/workerEmbedder';

export interface EmbedderContext {
  resourcesDir: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  workerPath?: string;
  onDownloadProgress?: (p: ModelDownloadProgress) => void;
}

/** Builds the embedding provider for the settings; throws `ModelUnavailable` if it cannot be found. */
export function createEmbedder(settings: Settings['embedding'], ctx: EmbedderContext): EmbeddingProvider {
  const info = findModel(settings.model);
  const pinned = dimensionsFromEnv(ctx.env);
  if (pinned !== undefined && info && pinned !== info.dimensions) {
    throw new KbError(
      'DimensionMismatch',
      `VECTOR_DB_DIMENSIONS is ${pinned} but the model ${info.id} makes ${info.dimensions}-dimensional vectors. Unset it or choose a ${pinned}-dimensional model.`,
    );
  }
  if (settings.model.startsWith(OLLAMA_PREFIX)) return ollamaEmbedder(settings.model, settings);

  const cache = join(ctx.dataDir, 'models');
  const location = locateModel(settings.model, { resourcesDir: ctx.resourcesDir, dataDir: ctx.dataDir }, settings.allowDownload);
  const report = ctx.onDownloadProgress;
  return new WorkerEmbedder({
    location,
    expectedDimensions: info?.dimensions ?? pinned ?? 0,
    maxTokens: info?.maxTokens ?? 512,
    ...(ctx.workerPath ? { workerPath: ctx.workerPath } : {}),
    ...(location.source === 'download'
      ? {
          fetchModel: async () => {
            await downloadModel(settings.model, {
              hubUrl: settings.hubUrl,
              destRoot: cache,
              onProgress: (p) => report?.({ modelId: settings.model, file: p.file, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, done: false }),
            });
            report?.({ modelId: settings.model, file: '', bytesDone: 1, bytesTotal: 1, done: true });
          },
        }
      : {}),
  });
}
