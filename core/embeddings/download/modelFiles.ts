import { KbError } from '../../api/errors';

/**
 * Which files Transformers.js (v4) reads for a text `feature-extraction` model, mirrored from
 * its source (`utils/model_registry/get_model_files.js`, `get_tokenizer_files.js`,
 * `utils/model-loader.js`) so that a download needs no Transformers.js import:
 *
 * - `config.json`, always;
 * - `onnx/model{suffix}.onnx` for the dtype (fp32 → no suffix), one session named `model` for
 *   encoder-only models such as BERT / MiniLM;
 * - `onnx/model{suffix}.onnx_data`, `…_data_1`, … when `transformers.js_config.use_external_data_format`
 *   asks for external weights;
 * - `tokenizer.json` and `tokenizer_config.json` (Transformers.js loads both when the latter exists;
 *   a text embedding model without them cannot embed text, so both are required here).
 *
 * `special_tokens_map.json` is not read by Transformers.js v4 and is not downloaded.
 */

/** dtype → file-name suffix, as Transformers.js's `DEFAULT_DTYPE_SUFFIX_MAPPING`. */
const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;

export type ModelDtype = keyof typeof DTYPE_SUFFIX;

/** Transformers.js refuses more external-data chunks than this (`MAX_EXTERNAL_DATA_CHUNKS`). */
const MAX_EXTERNAL_DATA_CHUNKS = 100;

export const CONFIG_FILE = 'config.json';
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

// Transformers.js's `isValidHfModelId`: only such ids are looked up under `env.localModelPath`.
const REPO_ID = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;

export function isValidModelId(id: string): boolean {
  return REPO_ID.test(id) && !id.includes('..') && !id.includes('--') && !id.endsWith('.git') && !id.endsWith('.ipynb');
}

export function assertValidModelId(id: string): void {
  if (!isValidModelId(id)) {
    throw new KbError('ValidationError', `"${id}" is not a model id like "Xenova/all-MiniLM-L6-v2".`);
  }
}

/** How many external-data chunks the config asks for (Transformers.js's `resolveExternalDataFormat`). */
function externalDataChunks(setting: unknown, fullName: string, sessionName: string): number {
  if (!setting) return 0;
  if (typeof setting === 'object') {
    const map = setting as Record<string, unknown>;
    if (Object.hasOwn(map, fullName)) return Number(map[fullName]);
    if (Object.hasOwn(map, sessionName)) return Number(map[sessionName]);
    return 0;
  }
  return Number(setting);
}

/** The ONNX files (relative paths) the model's config asks for. */
export function onnxFilesFor(config: Record<string, unknown>, dtype: ModelDtype = 'fp32'): string[] {
  const custom = (config['transformers.js_config'] ?? {}) as Record<string, unknown>;
  const fullName = `model${DTYPE_SUFFIX[dtype]}.onnx`;
  const chunks = externalDataChunks(custom.use_external_data_format, fullName, 'model');
  if (!Number.isInteger(chunks) || chunks < 0 || chunks > MAX_EXTERNAL_DATA_CHUNKS) {
    throw new KbError('ModelUnavailable', `The model's config asks for ${String(chunks)} external data files, which Transformers.js cannot load.`);
  }
  const files = [`onnx/${fullName}`];
  for (let i = 0; i < chunks; i++) files.push(`onnx/${fullName}_data${i === 0 ? '' : `_${i}`}`);
  return files;
}

/** Every file to fetch, in download order; `config.json` comes last (see modelDownloader). */
export function modelFilesFor(config: Record<string, unknown>, dtype: ModelDtype = 'fp32'): string[] {
  return [...TOKENIZER_FILES, ...onnxFilesFor(config, dtype), CONFIG_FILE];
}

/** `{hub}/{owner}/{name}/resolve/{revision}/{file}`: the hub's download URL for one file. */
export function hubFileUrl(hubUrl: string, modelId: string, revision: string, file: string): string {
  const base = hubUrl.replace(/\/+$/, '');
  const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  return `${base}/${enc(modelId)}/resolve/${encodeURIComponent(revision)}/${enc(file)}`;
}
