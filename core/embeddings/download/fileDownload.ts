import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { checksumKind, gitBlobSha1File, sha256File } from './checksums';
import { cancelled, connectionLost, diskError, DownloadError, httpError, transferError, type ErrorContext } from './hubErrors';
import { hubFetch, parseContentRange } from './hubHttp';
import { stallGuard } from './stallGuard';

/** What the hub said about a file before the download (HEAD). */
export interface RemoteFile {
  size: number | undefined;
  etag: string | undefined;
  lfs: boolean;
}

export type Verification = 'sha256' | 'git-sha1' | 'size';

export interface DownloadedFile {
  /** Path relative to the model folder, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
  /** The strongest check the hub made possible. */
  verified: Verification;
}

/** Shared by every file of one model download. */
export interface DownloadSession {
  token?: string;
  signal?: AbortSignal;
  stallTimeoutMs: number;
  retries: number;
  retryDelayMs: number;
  /** Set once the hub answered anything: from then on a failed connection is worth a retry. */
  reachable: boolean;
}

export interface FileJob {
  /** Path relative to the model folder. */
  file: string;
  url: string;
  target: string;
  remote: RemoteFile;
  ctx: ErrorContext;
  /** Bytes of this file on disk so far (resumed bytes included). */
  onBytes(bytes: number): void;
}

interface PartialMeta {
  etag: string | null;
  size: number | null;
}

const partialPath = (target: string) => `${target}.partial`;
const metaPath = (target: string) => `${target}.partial.json`;

function removePartial(target: string): void {
  rmSync(partialPath(target), { force: true });
  rmSync(metaPath(target), { force: true });
}

/**
 * Bytes already in `<file>.partial` that belong to the file the hub serves now: a partial left by
 * an older revision (different ETag or size) or one longer than the file is discarded.
 */
function resumableBytes(job: FileJob): number {
  const partial = partialPath(job.target);
  if (!existsSync(partial)) return 0;
  let meta: PartialMeta | undefined;
  try {
    meta = JSON.parse(readFileSync(metaPath(job.target), 'utf8')) as PartialMeta;
  } catch {
    meta = undefined;
  }
  const size = statSync(partial).size;
  const sameFile =
    meta !== undefined && (meta.etag ?? undefined) === job.remote.etag && (meta.size ?? undefined) === job.remote.size;
  if (!sameFile || (job.remote.size !== undefined && size > job.remote.size)) {
    removePartial(job.target);
    return 0;
  }
  return size;
}

/**
 * Checks a complete file against what the hub stated: size, then SHA-256 (LFS) or git blob SHA-1,
 * and for `.json` that it parses. Returns the strongest check made, or throws.
 */
async function verify(job: FileJob, path: string, size: number, sha256: string): Promise<Verification> {
  const { remote, file, ctx } = job;
  const fail = (what: string) =>
    new DownloadError(
      `${file} of ${ctx.modelId} is corrupt: ${what}. The download was deleted; run it again ` +
        `(if this repeats, a proxy or mirror is altering the file).`,
      false,
    );
  if (remote.size !== undefined && size !== remote.size) {
    throw fail(`${size} bytes received, the hub says ${remote.size}`);
  }
  let verified: Verification = 'size';
  const kind = checksumKind(remote.etag);
  if (kind === 'sha256') {
    if (sha256 !== remote.etag!.toLowerCase()) throw fail(`SHA-256 ${sha256} does not match the hub's ${remote.etag}`);
    verified = 'sha256';
  } else if (kind === 'git-sha1') {
    const sha1 = await gitBlobSha1File(path, size);
    if (sha1 !== remote.etag!.toLowerCase()) throw fail(`git SHA-1 ${sha1} does not match the hub's ${remote.etag}`);
    verified = 'git-sha1';
  }
  if (file.endsWith('.json')) {
    try {
      JSON.parse(await readFile(path, 'utf8'));
    } catch {
      throw fail('it is not valid JSON');
    }
  }
  return verified;
}

/**
 * A file already in place (an earlier run that stopped after it) is kept when the hub's checksum
 * proves it current; without a checksum it is downloaded again.
 */
export async function reuseExisting(job: FileJob): Promise<DownloadedFile | undefined> {
  if (!existsSync(job.target) || checksumKind(job.remote.etag) === undefined) return undefined;
  const size = statSync(job.target).size;
  if (job.remote.size !== undefined && size !== job.remote.size) return undefined;
  const sha256 = await sha256File(job.target);
  try {
    const verified = await verify(job, job.target, size, sha256);
    return { path: job.file, size, sha256, verified };
  } catch {
    return undefined;
  }
}

/** Downloads one file to `<target>.partial`, resuming and retrying, then verifies and renames it. */
export async function downloadFile(job: FileJob, session: DownloadSession): Promise<DownloadedFile> {
  await mkdir(dirname(job.target), { recursive: true }).catch((err: unknown) => {
    throw diskError(err, dirname(job.target));
  });
  return withRetries(() => attempt(job, session), session, job.ctx);
}

/** Runs `fn` again (with exponential back-off) while it fails with a retryable DownloadError. */
export async function withRetries<T>(fn: () => Promise<T>, session: DownloadSession, ctx: ErrorContext): Promise<T> {
  for (let attemptNo = 0; ; attemptNo++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof DownloadError) || !err.retryable || attemptNo >= session.retries) throw err;
      try {
        await delay(session.retryDelayMs * 2 ** attemptNo, undefined, { signal: session.signal });
      } catch {
        throw cancelled(ctx);
      }
    }
  }
}

async function attempt(job: FileJob, session: DownloadSession): Promise<DownloadedFile> {
  const { target } = job;
  const partial = partialPath(target);
  let offset = resumableBytes(job);
  job.onBytes(offset);
  if (offset === 0 || offset !== job.remote.size) {
    offset = await transfer(job, session, offset);
  }
  const sha256 = await sha256File(partial);
  let verified: Verification;
  try {
    verified = await verify(job, partial, offset, sha256);
  } catch (err) {
    removePartial(target);
    throw err;
  }
  try {
    await rename(partial, target);
  } catch (err) {
    throw diskError(err, dirname(target));
  }
  rmSync(metaPath(target), { force: true });
  return { path: job.file, size: offset, sha256, verified };
}

/** One GET from `offset` into the partial file; returns the partial's size when the body ended. */
async function transfer(job: FileJob, session: DownloadSession, offset: number): Promise<number> {
  const { ctx, target } = job;
  const guard = stallGuard(session.stallTimeoutMs, session.signal);
  let phase: 'connect' | 'body' = 'connect';
  let fh: FileHandle | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    guard.arm();
    const hub = await hubFetch(job.url, {
      method: 'GET',
      range: offset,
      signal: guard.signal,
      token: session.token,
      followCrossOrigin: true,
    });
    session.reachable = true;
    const { res } = hub;
    const discard = () => res.body?.cancel().catch(() => undefined);
    if (res.status !== 200 && res.status !== 206) {
      await discard();
      if (res.status === 416) {
        removePartial(target);
        throw new DownloadError(`The hub refused to resume ${job.file}; starting it over.`, true);
      }
      throw httpError(res.status, res.headers, ctx);
    }
    // The file changed since the HEAD (or since the partial was written): start it over.
    const differs = <T>(a: T | undefined, b: T | undefined) => a !== undefined && b !== undefined && a !== b;
    if (differs(hub.etag, job.remote.etag) || differs(hub.size, job.remote.size)) {
      await discard();
      removePartial(target);
      throw new DownloadError(`${job.file} of ${ctx.modelId} changed on the hub during the download; run it again.`, false);
    }
    if (res.status === 206) {
      const range = parseContentRange(res.headers.get('content-range'));
      if (!range || range.start !== offset || (range.total !== undefined && job.remote.size !== undefined && range.total !== job.remote.size)) {
        await discard();
        removePartial(target);
        throw new DownloadError(`The server answered the resume of ${job.file} with the wrong range; starting it over.`, true);
      }
    } else {
      offset = 0; // 200: the server sent the whole file (no Range support); start over.
    }
    const expected = job.remote.size;
    if (offset === 0) {
      writeFileSync(metaPath(target), JSON.stringify({ etag: job.remote.etag ?? null, size: expected ?? null }));
    }
    fh = await open(partialPath(target), offset > 0 ? 'a' : 'w');
    job.onBytes(offset);
    phase = 'body';
    if (!res.body) throw new DownloadError(`The hub sent no content for ${job.file}.`, true);
    reader = res.body.getReader();
    for (;;) {
      guard.arm();
      const { done, value } = await reader.read();
      if (done) break;
      if (expected !== undefined && offset + value.byteLength > expected) {
        await reader.cancel().catch(() => undefined);
        await fh.close();
        fh = undefined;
        removePartial(target);
        throw new DownloadError(`The hub sent more than the ${expected} bytes of ${job.file}; starting it over.`, true);
      }
      await fh.write(value);
      offset += value.byteLength;
      job.onBytes(offset);
    }
    guard.stop();
    await fh.sync();
    if (expected !== undefined && offset < expected) throw connectionLost(ctx, new Error(`body ended at ${offset} of ${expected} bytes`));
    return offset;
  } catch (err) {
    throw transferError(err, session, guard, phase, ctx, dirname(target));
  } finally {
    guard.stop();
    if (reader) await reader.cancel().catch(() => undefined);
    await fh?.close().catch(() => undefined);
  }
}
