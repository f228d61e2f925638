import { checksumKind, gitBlobSha1, sha256 } from './checksums';
import type { DownloadSession, RemoteFile } from './fileDownload';
import { DownloadError, httpError, transferError, type ErrorContext } from './hubErrors';
import { hubFetch } from './hubHttp';
import { stallGuard } from './stallGuard';

/** Largest file read into memory (config.json): anything bigger is not a config. */
const MAX_SMALL_FILE = 4 * 1024 * 1024;

/** HEAD a file: its size, checksum and whether it is LFS, without downloading it. */
export async function headFile(
  url: string,
  ctx: ErrorContext,
  session: DownloadSession,
  dir: string,
): Promise<RemoteFile & { commit: string | undefined }> {
  const guard = stallGuard(session.stallTimeoutMs, session.signal);
  try {
    guard.arm();
    const hub = await hubFetch(url, { method: 'HEAD', signal: guard.signal, token: session.token, followCrossOrigin: false });
    session.reachable = true;
    await hub.res.body?.cancel().catch(() => undefined);
    const ok = hub.res.status === 200 || (hub.res.status >= 300 && hub.res.status < 400 && hub.res.headers.has('location'));
    if (!ok) throw httpError(hub.res.status, hub.res.headers, ctx);
    return { size: hub.size, etag: hub.etag, lfs: hub.lfs, commit: hub.commit };
  } catch (err) {
    throw transferError(err, session, guard, 'connect', ctx, dir);
  } finally {
    guard.stop();
  }
}

export interface SmallFile {
  bytes: Uint8Array;
  remote: RemoteFile;
  commit: string | undefined;
  sha256: string;
  verified: 'sha256' | 'git-sha1' | 'size';
}

/** GETs a small JSON file into memory and verifies it (size, checksum, JSON). */
export async function fetchSmallFile(url: string, ctx: ErrorContext, session: DownloadSession, dir: string): Promise<SmallFile> {
  const guard = stallGuard(session.stallTimeoutMs, session.signal);
  let phase: 'connect' | 'body' = 'connect';
  try {
    guard.arm();
    const hub = await hubFetch(url, { method: 'GET', signal: guard.signal, token: session.token, followCrossOrigin: true });
    session.reachable = true;
    const { res } = hub;
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw httpError(res.status, res.headers, ctx);
    }
    if (hub.size !== undefined && hub.size > MAX_SMALL_FILE) {
      await res.body?.cancel().catch(() => undefined);
      throw new DownloadError(`${ctx.file} of ${ctx.modelId} is ${hub.size} bytes: not a model config.`, false);
    }
    phase = 'body';
    const chunks: Uint8Array[] = [];
    let length = 0;
    const reader = res.body?.getReader();
    for (;;) {
      guard.arm();
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      chunks.push(next.value);
      length += next.value.byteLength;
      if (length > MAX_SMALL_FILE) {
        await reader?.cancel().catch(() => undefined);
        throw new DownloadError(`${ctx.file} of ${ctx.modelId} is larger than ${MAX_SMALL_FILE} bytes: not a model config.`, false);
      }
    }
    const bytes = Buffer.concat(chunks);
    const remote: RemoteFile = { size: hub.size, etag: hub.etag, lfs: hub.lfs };
    const fail = (what: string) =>
      new DownloadError(`${ctx.file} of ${ctx.modelId} is corrupt: ${what}. Run the download again.`, true);
    if (remote.size !== undefined && bytes.byteLength < remote.size) {
      throw new DownloadError(`The connection was lost while downloading ${ctx.file} of ${ctx.modelId}; run it again.`, true);
    }
    if (remote.size !== undefined && bytes.byteLength !== remote.size) {
      throw fail(`${bytes.byteLength} bytes received, the hub says ${remote.size}`);
    }
    const digest = sha256(bytes);
    let verified: SmallFile['verified'] = 'size';
    const kind = checksumKind(remote.etag);
    if (kind === 'git-sha1') {
      if (gitBlobSha1(bytes) !== remote.etag!.toLowerCase()) throw fail(`its git SHA-1 does not match the hub's ${remote.etag}`);
      verified = 'git-sha1';
    } else if (kind === 'sha256') {
      if (digest !== remote.etag!.toLowerCase()) throw fail(`its SHA-256 does not match the hub's ${remote.etag}`);
      verified = 'sha256';
    }
    try {
      JSON.parse(bytes.toString('utf8'));
    } catch {
      throw fail('it is not valid JSON');
    }
    return { bytes, remote: { ...remote, size: bytes.byteLength }, commit: hub.commit, sha256: digest, verified };
  } catch (err) {
    throw transferError(err, session, guard, phase, ctx, dir);
  } finally {
    guard.stop();
  }
}
