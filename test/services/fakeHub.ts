/**
 * A local stand-in for the Hugging Face hub, serving model folders the way the hub does, for
 * download tests (the real hub is not reachable here). Two servers on 127.0.0.1, random ports:
 *
 * - the hub: `GET|HEAD /{owner}/{name}/resolve/{revision}/{file}`. `revision` is `main` or the
 *   fake commit. Every answer has `X-Repo-Commit`. Small (git) files answer 200 with
 *   `ETag: "<git blob sha1>"` (gzip'd when the client accepts gzip and asks for no range, as a
 *   CDN-fronted server may). LFS files (`.onnx`, `.onnx_data`) answer `302` to the CDN with
 *   `X-Linked-Etag: "<sha256>"`, `X-Linked-Size` and an `ETag` that is *not* the content hash.
 *   Errors carry `X-Error-Code` (`RepoNotFound` with 401 for unknown repos, as the hub does for
 *   anonymous callers; `EntryNotFound` 404; `RevisionNotFound` 404; `GatedRepo` on request).
 * - the CDN: `GET|HEAD /blobs/<sha256>?expires=…` with its own unrelated `ETag`.
 *
 * Both honour `Range: bytes=N-` / `bytes=N-M` (206 + `Content-Range`, 416 past the end). Faults can
 * be injected per file; every request is recorded.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The repo's bundled GloVe model, a small real Transformers.js model to serve in tests. */
export const GLOVE_FOLDER = fileURLToPath(new URL('../../resources/models/qckstrt/glove-sg-100d', import.meta.url));
/** The id it is served under. */
export const FAKE_MODEL_ID = 'test-org/glove';

export interface FakeHubFault {
  /** Repo-relative file (`onnx/model.onnx`), or `*` for every file of every repo. */
  file: string;
  /** Answer this status from the hub (HEAD and GET), with `X-Error-Code` if given. */
  status?: number;
  errorCode?: 'GatedRepo' | 'RepoNotFound' | 'EntryNotFound' | 'RevisionNotFound';
  /** Send this many body bytes, then destroy the connection. */
  cutAfterBytes?: number;
  /** Send this many body bytes, then nothing more (the connection stays open). */
  stallAfterBytes?: number;
  /** Flip the bits of the file's byte at this offset in what is sent. */
  corruptByteAt?: number;
  /** Ignore Range headers: always answer 200 with the whole file. */
  ignoreRange?: boolean;
  /** Send the body at about this rate. */
  bytesPerSecond?: number;
  /** How many matching requests it applies to (body faults count GETs only). Default: all. */
  times?: number;
}

export interface RecordedRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  /** The repo file the request was for (CDN requests included). */
  file: string | undefined;
  range: string | undefined;
  authorization: boolean;
  acceptEncoding: string | undefined;
  status: number;
  /** Body bytes written (for faults: before the cut or the stall). */
  bytesSent: number;
}

export interface FakeHub {
  /** The hub's base URL, e.g. `http://127.0.0.1:41234` (use as `hubUrl`). */
  readonly url: string;
  readonly cdnUrl: string;
  /** The fake commit `main` resolves to. */
  readonly commit: string;
  readonly requests: RecordedRequest[];
  addFault(fault: FakeHubFault): void;
  clearFaults(): void;
  /** The bytes served for `file` of `modelId`. */
  content(modelId: string, file: string): Buffer;
  sha256(modelId: string, file: string): string;
  /** Repo-relative paths of every file served for `modelId`. */
  files(modelId: string): string[];
  dispose(): Promise<void>;
}

export interface FakeHubOptions {
  /** Model id (`owner/name`) → local folder served as that repo. */
  models: Record<string, string>;
  /** Which files are LFS (redirected to the CDN, `X-Linked-Etag`). Default `.onnx` / `.onnx_data*`. */
  isLfs?: (file: string) => boolean;
}

interface RepoFile {
  content: Buffer;
  sha256: string;
  gitSha1: string;
  lfs: boolean;
}

const COMMIT = 'c0ffee0000000000000000000000000000000001';
const defaultIsLfs = (file: string) => /\.onnx(_data(_\d+)?)?$/.test(file);

function walk(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(root, path) : [relative(root, path).split(sep).join('/')];
  });
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const isLfs = options.isLfs ?? defaultIsLfs;
  const repos = new Map<string, Map<string, RepoFile>>();
  const blobs = new Map<string, { modelId: string; file: string; entry: RepoFile }>();
  for (const [modelId, folder] of Object.entries(options.models)) {
    const files = new Map<string, RepoFile>();
    for (const file of walk(folder)) {
      const content = readFileSync(join(folder, ...file.split('/')));
      const entry: RepoFile = {
        content,
        sha256: createHash('sha256').update(content).digest('hex'),
        gitSha1: createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'),
        lfs: isLfs(file),
      };
      files.set(file, entry);
      if (entry.lfs) blobs.set(entry.sha256, { modelId, file, entry });
    }
    repos.set(modelId, files);
  }

  const faults: { fault: FakeHubFault; left: number }[] = [];
  const requests: RecordedRequest[] = [];

  /** The first fault for `file` that matches `want` and has uses left; `consume` spends one use. */
  function faultFor(file: string, want: (f: FakeHubFault) => boolean, consume: boolean): FakeHubFault | undefined {
    const hit = faults.find((f) => f.left > 0 && (f.fault.file === file || f.fault.file === '*') && want(f.fault));
    if (hit && consume) hit.left--;
    return hit?.fault;
  }

  function record(server: 'hub' | 'cdn', req: IncomingMessage, file: string | undefined): RecordedRequest {
    const entry: RecordedRequest = {
      server,
      method: req.method ?? 'GET',
      path: req.url ?? '',
      file,
      range: req.headers.range,
      authorization: req.headers.authorization !== undefined,
      acceptEncoding: req.headers['accept-encoding'],
      status: 0,
      bytesSent: 0,
    };
    requests.push(entry);
    return entry;
  }

  function fail(res: ServerResponse, rec: RecordedRequest, status: number, code?: string, message?: string): void {
    rec.status = status;
    const body = JSON.stringify({ error: message ?? code ?? 'error' });
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
    if (code) headers['X-Error-Code'] = code;
    if (message) headers['X-Error-Message'] = message;
    res.writeHead(status, headers);
    res.end(body);
  }

  /** Sends (a range of) a file with Range support and the body faults. */
  function sendBody(
    req: IncomingMessage,
    res: ServerResponse,
    rec: RecordedRequest,
    file: string,
    entry: RepoFile,
    headers: Record<string, string | number>,
  ): void {
    const isGet = req.method === 'GET';
    const bodyFault = isGet
      ? faultFor(file, (f) => f.cutAfterBytes !== undefined || f.stallAfterBytes !== undefined || f.corruptByteAt !== undefined || f.bytesPerSecond !== undefined, true)
      : undefined;
    const ignoreRange = faultFor(file, (f) => f.ignoreRange === true, isGet) !== undefined;
    const size = entry.content.length;
    const range = ignoreRange ? undefined : parseRange(req.headers.range, size);
    if (range === 'invalid') {
      rec.status = 416;
      res.writeHead(416, { 'Content-Range': `bytes */${size}` });
      res.end();
      return;
    }
    let start = 0;
    let end = size - 1;
    let status = 200;
    const out: Record<string, string | number> = { ...headers, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
    if (range) {
      ({ start, end } = range);
      status = 206;
      out['Content-Range'] = `bytes ${start}-${end}/${size}`;
    }
    let body = entry.content.subarray(start, end + 1);
    const gzip = !entry.lfs && !range && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip) {
      body = gzipSync(body);
      out['Content-Encoding'] = 'gzip';
    }
    out['Content-Length'] = body.length;
    if (bodyFault?.corruptByteAt !== undefined && !gzip) {
      const at = bodyFault.corruptByteAt - start;
      if (at >= 0 && at < body.length) {
        body = Buffer.from(body);
        body[at] = body[at]! ^ 0xff;
      }
    }
    rec.status = status;
    res.writeHead(status, out);
    if (!isGet) {
      res.end();
      return;
    }
    let limit = body.length;
    if (bodyFault?.cutAfterBytes !== undefined) limit = Math.min(limit, Math.max(0, bodyFault.cutAfterBytes - start));
    if (bodyFault?.stallAfterBytes !== undefined) limit = Math.min(limit, Math.max(0, bodyFault.stallAfterBytes - start));
    const finish = () => {
      if (limit === body.length) res.end();
      // FIN after the bytes (not RST, which could drop bytes still in flight): deterministic sizes.
      else if (bodyFault?.cutAfterBytes !== undefined) res.socket?.end();
      // A stall: leave the response open; dispose() closes it.
    };
    const rate = bodyFault?.bytesPerSecond;
    if (!rate) {
      rec.bytesSent = limit;
      res.write(body.subarray(0, limit), finish);
      return;
    }
    const slice = Math.max(1, Math.floor(rate / 20));
    let sent = 0;
    const tick = () => {
      if (res.destroyed) return;
      const n = Math.min(slice, limit - sent);
      res.write(body.subarray(sent, sent + n), () => {
        sent += n;
        rec.bytesSent = sent;
        if (sent >= limit) finish();
        else setTimeout(tick, 50);
      });
    };
    tick();
  }

  let cdnUrl = '';

  const hub = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const rawFile = m ? decodeURIComponent(m[3]!) : undefined;
    const rec = record('hub', req, rawFile);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return fail(res, rec, 404, undefined, 'Not found');
    const modelId = decodeURIComponent(m[1]!);
    const revision = decodeURIComponent(m[2]!);
    const file = rawFile!;
    const statusFault = faultFor(file, (f) => f.status !== undefined, true);
    if (statusFault) return fail(res, rec, statusFault.status!, statusFault.errorCode);
    const repo = repos.get(modelId);
    if (!repo) return fail(res, rec, 401, 'RepoNotFound', 'Repository not found');
    if (revision !== 'main' && revision !== COMMIT) return fail(res, rec, 404, 'RevisionNotFound', 'Invalid rev id');
    const entry = repo.get(file);
    if (!entry) return fail(res, rec, 404, 'EntryNotFound', 'Entry not found');
    const common = { 'X-Repo-Commit': COMMIT };
    if (entry.lfs) {
      const location = `${cdnUrl}/blobs/${entry.sha256}?expires=3600&signature=fake`;
      const body = `Found. Redirecting to ${location}`;
      rec.status = 302;
      res.writeHead(302, {
        ...common,
        Location: location,
        'X-Linked-Etag': `"${entry.sha256}"`,
        'X-Linked-Size': entry.content.length,
        // The pointer file's git hash, not the content's: clients must prefer X-Linked-Etag.
        ETag: `"${createHash('sha1').update(`pointer ${entry.sha256}`).digest('hex')}"`,
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    sendBody(req, res, rec, file, entry, { ...common, ETag: `"${entry.gitSha1}"` });
  });

  const cdn = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cdn');
    const m = /^\/blobs\/([0-9a-f]{64})$/.exec(url.pathname);
    const blob = m ? blobs.get(m[1]!) : undefined;
    const rec = record('cdn', req, blob?.file);
    if (!blob || !url.searchParams.has('signature')) return fail(res, rec, 403, undefined, 'AccessDenied');
    // A CDN's ETag is its own (here an MD5), unrelated to the hub's SHA-256.
    const etag = createHash('md5').update(blob.entry.content).digest('hex');
    sendBody(req, res, rec, blob.file, blob.entry, { ETag: `"${etag}"` });
  });

  const url = await listen(hub);
  cdnUrl = await listen(cdn);

  return {
    url,
    cdnUrl,
    commit: COMMIT,
    requests,
    addFault: (fault) => faults.push({ fault, left: fault.times ?? Infinity }),
    clearFaults: () => void faults.splice(0),
    content: (modelId, file) => repos.get(modelId)!.get(file)!.content,
    sha256: (modelId, file) => repos.get(modelId)!.get(file)!.sha256,
    files: (modelId) => [...repos.get(modelId)!.keys()],
    dispose: async () => {
      for (const server of [hub, cdn]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
