import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KB_EVENTS, type KbMethod } from '../api/channels';
import type { KbApi, MethodOutput, ParsedInput } from '../api/contract';
import { KbError, toErrorShape, type Result } from '../api/errors';
import { FINISHED_JOB_STATES } from '../api/types';
import { isKbMethod, parseInput } from '../api/parse';
import type { OriginalFiles } from '../service/options';
import { STATUS_BY_KIND } from './httpStatus';
import { matchOriginalFileRoute, originalFileRoute, sendOriginal } from './originals';
import { bodyLimitFor, readBody } from './requestBody';
import { readStatic } from './staticFiles';
import { replaceBytes, reviveBytes } from './wire';

export interface ServerOptions {
  service: KbApi & OriginalFiles;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Defaults to a random 32-byte token, new at every start. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const sseFrame = (event: string, payload: unknown) => `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The token rides in the first URL; never send it to another site in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/**
 * The headless mode: the same core behind HTTP on 127.0.0.1, serving the built renderer.
 * Protected like a local dev server that other sites must not abuse: a per-start token on every
 * API call, a Host check against DNS rebinding, an Origin check, and no CORS headers at all.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  const sseClients = new Set<ServerResponse>();

  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const tokenOk = (candidate: string | null | undefined) => {
    if (!candidate) return false;
    const b = Buffer.from(candidate);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const sendResult = (res: ServerResponse, result: Result<unknown>) => {
    const status = result.ok ? 200 : STATUS_BY_KIND[result.error.kind];
    send(res, status, JSON.stringify(result, replaceBytes), 'application/json; charset=utf-8');
  };
  const fail = (res: ServerResponse, err: unknown) => sendResult(res, { ok: false, error: toErrorShape(err) });

  /** Methods this adapter answers itself, around the core: a browser cannot open a path on this machine. */
  const adapterMethods: { [M in KbMethod]?: (input: ParsedInput<M>) => Promise<MethodOutput<M>> } = {
    openDocument: async (input) => {
      const found = await opts.service.openDocument(input); // NotFound for an unknown document or a lost original
      // A browser cannot show a file in its folder: the path goes back for the page to show.
      if (input.reveal) return { opened: false, ...(found.path ? { path: found.path } : {}) };
      return { opened: false, url: originalFileRoute(input.id) };
    },
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const name = url.pathname.slice('/api/'.length);
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const originalOf = matchOriginalFileRoute(url.pathname);
    if (originalOf !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      // Opened as a page in a new tab, so the token comes in the query string (or a header).
      if (!tokenOk(url.searchParams.get('token') ?? bearer)) return fail(res, new KbError('Unauthorized', 'Missing or wrong token.'));
      const { id } = parseInput('openDocument', { id: originalOf });
      return sendOriginal(res, await opts.service.originalFile(id), req.method === 'HEAD');
    }
    if (name === 'events' && req.method === 'GET') {
      if (!tokenOk(url.searchParams.get('token'))) return fail(res, new KbError('Unauthorized', 'Missing or wrong token.'));
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      // A client that (re)connects mid-batch gets the jobs still in progress, missed or not.
      const jobs = await opts.service.listJobs(undefined).catch(() => []);
      for (const job of jobs.filter((j) => !FINISHED_JOB_STATES.includes(j.state))) {
        res.write(sseFrame('ingestProgress', job));
      }
      return;
    }
    if (!tokenOk(bearer)) {
      return fail(res, new KbError('Unauthorized', 'Missing or wrong token: open the URL that `npm run serve` printed.'));
    }
    if (req.method !== 'POST' || !isKbMethod(name)) return fail(res, new KbError('NotFound', `No API method ${name}`));
    // An upload's limit follows the maximum file size as it is now.
    const maxFileSizeMb = name === 'ingestUpload' ? (await opts.service.getSettings(undefined)).ingest.maxFileSizeMb : 0;
    let raw: unknown;
    try {
      const text = await readBody(req, bodyLimitFor(name, maxFileSizeMb));
      raw = text ? JSON.parse(text, reviveBytes) : undefined;
    } catch (err) {
      return fail(res, err instanceof KbError ? err : new KbError('ValidationError', 'The request body is not valid JSON.'));
    }
    try {
      const input = parseInput(name, raw);
      const own = adapterMethods[name] as ((i: unknown) => Promise<unknown>) | undefined;
      const value = own ? await own(input) : await (opts.service[name] as (i: unknown) => Promise<unknown>)(input);
      sendResult(res, { ok: true, value });
    } catch (err) {
      fail(res, err);
    }
  };

  const server = createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) {
      return send(res, 403, 'Forbidden: unexpected Host header', 'text/plain; charset=utf-8');
    }
    const origin = req.headers.origin;
    if (origin && origin !== `http://${host}`) {
      return send(res, 403, 'Forbidden: cross-origin request', 'text/plain; charset=utf-8');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname.startsWith('/api/')) {
      void handleApi(req, res, url).catch((err) => fail(res, err));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain');
    void readStatic(opts.staticDir, url.pathname).then((file) => {
      if (file) send(res, 200, file.body, file.type);
      else send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    });
  });

  const unsubscribe = KB_EVENTS.map((event) =>
    opts.service.on(event, (payload) => {
      const frame = sseFrame(event, payload);
      for (const client of sseClients) client.write(frame);
    }),
  );
  const keepAlive = setInterval(() => sseClients.forEach((c) => c.write(': ping\n\n')), 15_000);
  keepAlive.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      clearInterval(keepAlive);
      unsubscribe.forEach((u) => u());
      sseClients.forEach((c) => c.end());
      sseClients.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
