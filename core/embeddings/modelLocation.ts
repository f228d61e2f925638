import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { KbError } from '../api/errors';

export interface ModelLocation {
  /** The Transformers.js model id, relative to `localModelPath`. */
  modelId: string;
  /** Folder that contains the model id's folder; Transformers.js's `env.localModelPath`. */
  localModelPath: string;
  /** Where it was found, for the status line. */
  source: 'bundled' | 'user cache' | 'folder' | 'download';
}

const hasModel = (root: string, id: string) => existsSync(join(root, id, 'config.json'));

/**
 * Offline-first resolution: a folder the user chose, the models shipped in `resources/models`,
 * then the user's cache in app data; a hub download only when the user allowed it.
 */
export function locateModel(
  model: string,
  dirs: { resourcesDir: string; dataDir: string },
  allowDownload: boolean,
): ModelLocation {
  if (isAbsolute(model)) {
    if (!existsSync(join(model, 'config.json'))) {
      throw new KbError('ModelUnavailable', `No model in ${model}: the folder needs config.json, tokenizer.json and onnx/model.onnx.`);
    }
    return { modelId: basename(model), localModelPath: dirname(model), source: 'folder' };
  }
  const bundled = join(dirs.resourcesDir, 'models');
  if (hasModel(bundled, model)) return { modelId: model, localModelPath: bundled, source: 'bundled' };
  const cache = join(dirs.dataDir, 'models');
  if (hasModel(cache, model)) return { modelId: model, localModelPath: cache, source: 'user cache' };
  if (allowDownload) return { modelId: model, localModelPath: cache, source: 'download' };
  throw new KbError(
    'ModelUnavailable',
    `The embedding model ${model} is not on this computer. Allow downloads in Settings, or put the model folder in ${join(cache, model)}.`,
  );
}

/** Whether a registry model's files are on this computer (shipped, or in the user's cache). */
export function isModelOnDisk(model: string, dirs: { resourcesDir: string; dataDir: string }): boolean {
  return hasModel(join(dirs.resourcesDir, 'models'), model) || hasModel(join(dirs.dataDir, 'models'), model);
}
