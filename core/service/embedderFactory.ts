import { join } from 'node:path';
import { KbError } from '../api/errors';
import type { Settings } from '../api/settings';
import { dimensionsFromEnv } from '../config/envSettings';
import { locateModel } from '../embeddings/modelLocation';
import { findModel } from '../embeddings/registry';
import type { EmbeddingProvider } from '../embeddings/types';
import { WorkerEmbedder } from '../embeddings/workerEmbedder';

export interface EmbedderContext {
  resourcesDir: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  workerPath?: string;
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
  const location = locateModel(settings.model, { resourcesDir: ctx.resourcesDir, dataDir: ctx.dataDir }, settings.allowDownload);
  return new WorkerEmbedder({
    location,
    cacheDir: join(ctx.dataDir, 'models'),
    allowDownload: settings.allowDownload,
    expectedDimensions: info?.dimensions ?? pinned ?? 0,
    maxTokens: info?.maxTokens ?? 512,
    ...(ctx.workerPath ? { workerPath: ctx.workerPath } : {}),
  });
}
