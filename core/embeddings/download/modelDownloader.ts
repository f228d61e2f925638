/**
 * Downloads a Transformers.js feature-extraction model from a Hugging Face–style hub into
 * `<destRoot>/<modelId>/`, the layout Transformers.js reads with `env.localModelPath = destRoot`,
 * so that the app then loads it with remote access off.
 *
 * - Resumable: each file goes to `<file>.partial` and continues with `Range: bytes=N-` (checked
 *   against `Content-Range`); a 200 answer starts it over. Files finished by an earlier run are
 *   kept when the hub's checksum proves them current.
 * - Verified: LFS files against the SHA-256 the hub states in `X-Linked-Etag`, git-stored files
 *   against their git blob SHA-1 (`ETag`), every file against its size, JSON files parse.
 * - Pinned: after `config.json`, every file is fetched at the commit the revision resolved to
 *   (`X-Repo-Commit`), so a push during the download cannot mix two versions.
 * - Atomic: `config.json` (what the offline model lookup looks for) is written only after every
 *   other file is in place, then `.complete.json`; a half-downloaded model is never loaded.
 */
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KbError } from '../../api/errors';
import { writeFileAtomic } from '../../util/atomicWrite';
import {
  isModelComplete,
  modelDir,
  readCompleteMarker,
  removeCompleteMarker,
  writeCompleteMarker,
  type CompleteMarker,
} from './completeMarker';
import { lockModelDir } from './downloadLock';
import { downloadFile, reuseExisting, withRetries, type DownloadedFile, type DownloadSession, type FileJob } from './fileDownload';
import { cancelled, diskError, type ErrorContext } from './hubErrors';
import { fetchSmallFile, headFile } from './hubProbe';
import { assertValidModelId, CONFIG_FILE, hubFileUrl, modelFilesFor, type ModelDtype } from './modelFiles';
import { progressThrottle, type DownloadProgress } from './progress';

export { COMPLETE_MARKER, isModelComplete, readCompleteMarker, verifyModelFiles } from './completeMarker';
export type { CompleteMarker } from './completeMarker';
export type { DownloadProgress } from './progress';
export type { DownloadedFile } from './fileDownload';

export interface DownloadOptions {
  /** The hub, e.g. `https://huggingface.co` or a mirror (settings `embedding.hubUrl`). */
  hubUrl: string;
  /** Folder that receives `<modelId>/…`: Transformers.js's `env.localModelPath`. */
  destRoot: string;
  /** Branch, tag or commit. Default `main`. */
  revision?: string;
  /** Which ONNX weights: `fp32` (what the app loads) unless told otherwise. */
  dtype?: ModelDtype;
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborting keeps the partial files: the next call resumes. */
  signal?: AbortSignal;
  /** A transfer with no bytes (or no answer) for this long fails; the partial is kept. Default 30 s. */
  stallTimeoutMs?: number;
  /** Retries of a stalled / cut / 5xx transfer within one call, resuming each time. Default 3. */
  retries?: number;
  /** First back-off between retries, doubled each time. Default 1 s. */
  retryDelayMs?: number;
  /** Minimum time between two progress reports. Default 100 ms (~10 per second). */
  progressIntervalMs?: number;
  /** Hub access token, for gated or private models (sent to the hub only, never to its CDN). */
  token?: string;
  /** Download again even if a complete copy of this revision is there. */
  force?: boolean;
}

export interface DownloadResult {
  modelId: string;
  /** `<destRoot>/<modelId>`. */
  dir: string;
  revision: string;
  commit: string | null;
  files: DownloadedFile[];
  bytesTotal: number;
  /** True when a complete copy was already there and nothing was fetched. */
  alreadyComplete: boolean;
}

const COMMIT = /^[0-9a-f]{40}$/;

function checkHubUrl(hubUrl: string): void {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new KbError('ValidationError', `"${hubUrl}" is not a hub URL like https://huggingface.co.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KbError('ValidationError', `The hub URL must start with https:// (got ${hubUrl}).`);
  }
}

export async function downloadModel(modelId: string, options: DownloadOptions): Promise<DownloadResult> {
  assertValidModelId(modelId);
  checkHubUrl(options.hubUrl);
  const revision = options.revision ?? 'main';
  const dir = modelDir(options.destRoot, modelId);

  const existing = readCompleteMarker(options.destRoot, modelId);
  if (
    !options.force &&
    existing &&
    (existing.revision === revision || existing.commit === revision) &&
    isModelComplete(options.destRoot, modelId)
  ) {
    const bytesTotal = existing.files.reduce((n, f) => n + f.size, 0);
    options.onProgress?.({ file: CONFIG_FILE, fileBytes: 0, fileTotal: 0, bytesDone: bytesTotal, bytesTotal });
    return { modelId, dir, revision, commit: existing.commit, files: existing.files, bytesTotal, alreadyComplete: true };
  }

  const ctxFor = (file: string): ErrorContext => ({ hubUrl: options.hubUrl, modelId, revision, file, modelDir: dir });
  if (options.signal?.aborted) throw cancelled(ctxFor(CONFIG_FILE));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw diskError(err, dir);
  }
  const release = lockModelDir(dir, modelId);
  try {
    return await download(modelId, options, revision, dir, ctxFor);
  } finally {
    release();
    removeEmptyDirs(options.destRoot, modelId);
  }
}

/** A download that failed before writing anything leaves no empty `<owner>/<name>/` folders behind. */
function removeEmptyDirs(destRoot: string, modelId: string): void {
  const parts = modelId.split('/');
  for (let i = parts.length; i > 0; i--) {
    try {
      rmdirSync(join(destRoot, ...parts.slice(0, i)));
    } catch {
      return; // not empty (partial files to resume from) or already gone
    }
  }
}

async function download(
  modelId: string,
  options: DownloadOptions,
  revision: string,
  dir: string,
  ctxFor: (file: string) => ErrorContext,
): Promise<DownloadResult> {
  // Files are about to change: make sure nothing loads this folder until the marker is back.
  removeCompleteMarker(options.destRoot, modelId);
  rmSync(join(dir, CONFIG_FILE), { force: true });

  const session: DownloadSession = {
    token: options.token,
    signal: options.signal,
    stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
    retries: options.retries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 1_000,
    reachable: false,
  };
  const urlFor = (rev: string, file: string) => hubFileUrl(options.hubUrl, modelId, rev, file);

  const config = await withRetries(
    () => fetchSmallFile(urlFor(revision, CONFIG_FILE), ctxFor(CONFIG_FILE), session, dir),
    session,
    ctxFor(CONFIG_FILE),
  );
  const commit = config.commit && COMMIT.test(config.commit) ? config.commit : null;
  const pinned = commit ?? revision;
  const parsed = JSON.parse(Buffer.from(config.bytes).toString('utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KbError('ModelUnavailable', `config.json of ${modelId} is not a model configuration.`);
  }
  const files = modelFilesFor(parsed as Record<string, unknown>, options.dtype).filter((f) => f !== CONFIG_FILE);

  const remotes = await Promise.all(
    files.map((file) => withRetries(() => headFile(urlFor(pinned, file), ctxFor(file), session, dir), session, ctxFor(file))),
  );

  const sizes = new Map<string, number>(files.map((f, i) => [f, remotes[i]!.size ?? 0]));
  sizes.set(CONFIG_FILE, config.bytes.byteLength);
  const onDisk = new Map<string, number>([[CONFIG_FILE, config.bytes.byteLength]]);
  const total = () => [...sizes.values()].reduce((a, b) => a + b, 0);
  const done = () => [...onDisk.values()].reduce((a, b) => a + b, 0);
  const report = progressThrottle(options.onProgress, options.progressIntervalMs ?? 100);
  report({ file: CONFIG_FILE, fileBytes: config.bytes.byteLength, fileTotal: config.bytes.byteLength, bytesDone: done(), bytesTotal: total() }, true);

  const results: DownloadedFile[] = [];
  for (const [i, file] of files.entries()) {
    if (options.signal?.aborted) throw cancelled(ctxFor(file));
    const remote = remotes[i]!;
    const job: FileJob = {
      file,
      url: urlFor(pinned, file),
      target: join(dir, ...file.split('/')),
      remote,
      ctx: ctxFor(file),
      onBytes: (bytes) => {
        onDisk.set(file, bytes);
        if (remote.size === undefined) sizes.set(file, Math.max(sizes.get(file) ?? 0, bytes));
        report({ file, fileBytes: bytes, fileTotal: sizes.get(file)!, bytesDone: done(), bytesTotal: total() });
      },
    };
    const result = (await reuseExisting(job)) ?? (await downloadFile(job, session));
    onDisk.set(file, result.size);
    sizes.set(file, result.size);
    report({ file, fileBytes: result.size, fileTotal: result.size, bytesDone: done(), bytesTotal: total() }, true);
    results.push(result);
  }

  // Last: config.json (what makes the folder look like a model), then the marker.
  try {
    writeFileAtomic(join(dir, CONFIG_FILE), config.bytes);
  } catch (err) {
    throw diskError(err, dir);
  }
  results.push({ path: CONFIG_FILE, size: config.bytes.byteLength, sha256: config.sha256, verified: config.verified });
  const marker: CompleteMarker = {
    format: 1,
    modelId,
    revision,
    commit,
    hubUrl: options.hubUrl,
    completedAt: new Date().toISOString(),
    files: results,
  };
  writeCompleteMarker(options.destRoot, marker);
  report({ file: CONFIG_FILE, fileBytes: config.bytes.byteLength, fileTotal: config.bytes.byteLength, bytesDone: done(), bytesTotal: total() }, true);
  return { modelId, dir, revision, commit, files: results, bytesTotal: total(), alreadyComplete: false };
}
