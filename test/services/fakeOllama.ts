import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatMessage } from '../../core/ask/types';

/**
 * A local stand-in for an Ollama server (none can be installed here): node:http on 127.0.0.1 on a
 * random port, speaking the parts of Ollama's API the app uses, with Ollama's shapes and error
 * bodies (docs/api.md and server/routes.go in ollama/ollama):
 *
 * - `POST /api/embed` `{ model, input, truncate? }` → `{ model, embeddings }`, one vector per
 *   input, derived from a hash of the model and text (deterministic, NOT unit length, so a client
 *   that forgets to normalise shows it); an unknown model → 404
 *   `{"error":"model \"x\" not found, try pulling it first"}`.
 * - `GET /api/version` → `{ version }`; `GET /api/tags` → `{ models: [{ name, model, … }] }`;
 *   `POST /api/show` → `model_info` with `<arch>.context_length`, `parameters` with `num_ctx`.
 * - `POST /api/chat` `{ model, messages, stream?, options? }` → `chatReply(messages)`, streamed as
 *   NDJSON one word per line and a final `done` line with counts (or one JSON object when
 *   `stream: false`); an unknown model → the same 404 as embed. Mid-stream failures arrive as an
 *   `{"error": …}` line after a 200, as Ollama sends them.
 * - Anything else → 404 `404 page not found` as text, as Ollama's router answers.
 */
export interface FakeOllama {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order: method, path and parsed JSON body. */
  readonly requests: RecordedRequest[];
  /** Requests to `/api/embed` only. */
  embedRequests(): (RecordedRequest & { body: EmbedBody })[];
  /** Length of the vectors returned from now on. */
  dimensions: number;
  /** Wait this long before answering each request (the client may time out first). */
  delayMs: number;
  /** Next embed answer has vectors of differing lengths. */
  raggedNext: boolean;
  /** The next `count` requests answer HTTP `status` with Ollama's error body. */
  failNext(count: number, status?: number, message?: string): void;
  /** The next `count` requests have their connection destroyed without an answer. */
  resetNext(count: number): void;
  /** Requests to `/api/chat` only. */
  chatRequests(): (RecordedRequest & { body: ChatBody })[];
  /** What `/api/chat` answers; default `defaultChatReply`. */
  chatReply: (messages: ChatMessage[]) => string;
  /** Pause between two writes of a chat stream (0: a timer tick, about 1 ms). */
  chatPieceDelayMs: number;
  /** 0: one write per NDJSON line; n > 0: the stream's bytes in writes of n bytes, cutting lines and UTF-8 characters. */
  chatChunkBytes: number;
  /** The next chat stream sends `afterPieces` pieces of the answer, then an `{"error": message}` line, and ends. */
  failChatMidStream(afterPieces: number, message?: string): void;
  /** The next chat stream sends `afterPieces` pieces of the answer, then nothing, and keeps the connection open. */
  stallChatNext(afterPieces: number): void;
  /** One entry per streamed chat answer, in order. */
  readonly chatStreams: ChatStreamRecord[];
  dispose(): Promise<void>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface EmbedBody {
  model: string;
  input: string | string[];
  truncate?: boolean;
}

export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  options?: Record<string, unknown>;
}

export interface ChatStreamRecord {
  /** Lines planned for this stream (answer pieces, then the final or error line). */
  lines: number;
  /** Writes that reached the socket. */
  writes: number;
  state: 'streaming' | 'done' | 'stalled' | 'closed by client';
}

export interface FakeOllamaOptions {
  /** Pulled models, as `/api/tags` lists them; default `['nomic-embed-text:latest']`. */
  models?: string[];
  /** Default 768 (nomic-embed-text). */
  dimensions?: number;
  version?: string;
  /** Reported as `<arch>.context_length` by `/api/show`; default 2048 (Ollama's nomic-embed-text). */
  contextLength?: number;
  /** Behave like an Ollama older than `/api/embed`: that path answers the router's 404 page. */
  withoutEmbed?: boolean;
}

/** The fake's vector for a text before normalisation: values in [-2.5, 2.5). */
export function fakeVector(model: string, text: string, dimensions: number): number[] {
  let seed = createHash('sha256').update(`${model}\0${text}`).digest().readUInt32LE(0) || 1;
  const out: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    // xorshift32: cheap, deterministic, spread over the whole range
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    out.push((seed / 0x1_0000_0000) * 5 - 2.5);
  }
  return out;
}

/** The default chat answer: the first words of passages [1] and [2] of the last message, cited. */
export function defaultChatReply(messages: ChatMessage[]): string {
  const prompt = messages.at(-1)?.content ?? '';
  const passages = [...prompt.matchAll(/^\[(\d+)\][^\n]*\n([^\n]+)/gm)].slice(0, 2);
  if (passages.length === 0) return 'The passages do not say.';
  return passages.map(([, n, text]) => `${firstWords(text ?? '')} [${n}].`).join(' ');
}

function firstWords(text: string): string {
  return text.split(/\s+/).filter(Boolean).slice(0, 6).join(' ').replace(/[.!?,;:]+$/, '');
}

/** An answer in the pieces Ollama would stream it in: about one word each, joining back to the whole. */
export function chatPieces(reply: string): string[] {
  return reply.match(/\s*\S+|\s+$/g) ?? [];
}

function withTag(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return (last.includes(':') ? name : `${name}:latest`).toLowerCase();
}

export async function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const models = (opts.models ?? ['nomic-embed-text:latest']).map(withTag);
  const known = (name: unknown) => typeof name === 'string' && models.includes(withTag(name));
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let failures: { count: number; status: number; message: string } = { count: 0, status: 500, message: '' };
  let resets = 0;
  let chatTrouble: { afterPieces: number; then: 'error' | 'stall'; message: string } | undefined;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8' });
    res.end(text);
  };

  /** Writes an NDJSON stream, one line per write or in `chatChunkBytes` slices, `chatPieceDelayMs` apart. */
  const stream = (res: ServerResponse, lines: string[], end: 'end' | 'stall') => {
    const record: ChatStreamRecord = { lines: lines.length, writes: 0, state: 'streaming' };
    fake.chatStreams.push(record);
    const size = fake.chatChunkBytes;
    const whole = Buffer.from(lines.join(''), 'utf8');
    const writes =
      size > 0 ? Array.from({ length: Math.ceil(whole.length / size) }, (_, i) => whole.subarray(i * size, (i + 1) * size)) : lines.map((l) => Buffer.from(l, 'utf8'));
    res.on('close', () => {
      if (record.state === 'streaming' || record.state === 'stalled') record.state = 'closed by client';
    });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const next = () => {
      if (res.destroyed) return;
      const chunk = writes[record.writes];
      if (chunk !== undefined) {
        res.write(chunk);
        record.writes++;
      }
      if (record.writes === writes.length) {
        if (end === 'stall') {
          record.state = 'stalled';
        } else {
          record.state = 'done';
          res.end();
        }
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        next();
      }, fake.chatPieceDelayMs);
      timers.add(timer);
    };
    next();
  };

  const chat = (res: ServerResponse, b: Record<string, unknown>) => {
    if (!known(b.model)) return send(res, 404, { error: `model "${String(b.model)}" not found, try pulling it first` });
    const messages = (Array.isArray(b.messages) ? b.messages : []) as ChatMessage[];
    const reply = fake.chatReply(messages);
    const pieces = chatPieces(reply);
    const base = { model: b.model, created_at: new Date().toISOString() };
    const final = {
      ...base,
      message: { role: 'assistant', content: b.stream === false ? reply : '' },
      done_reason: 'stop',
      done: true,
      total_duration: 1_000_000,
      load_duration: 1_000,
      prompt_eval_count: Math.ceil(messages.reduce((n, m) => n + String(m?.content ?? '').length, 0) / 4),
      prompt_eval_duration: 1_000,
      eval_count: pieces.length,
      eval_duration: 1_000,
    };
    if (b.stream === false) return send(res, 200, final);
    const line = (o: unknown) => `${JSON.stringify(o)}\n`;
    const pieceLines = pieces.map((content) => line({ ...base, message: { role: 'assistant', content }, done: false }));
    const trouble = chatTrouble;
    chatTrouble = undefined;
    if (!trouble) return stream(res, [...pieceLines, line(final)], 'end');
    const sent = pieceLines.slice(0, trouble.afterPieces);
    if (trouble.then === 'stall') return stream(res, sent, 'stall');
    return stream(res, [...sent, line({ error: trouble.message })], 'end');
  };

  const answer = (req: IncomingMessage, res: ServerResponse, path: string, body: unknown) => {
    const b = (body ?? {}) as Record<string, unknown>;
    if (req.method === 'GET' && path === '/api/version') return send(res, 200, { version: opts.version ?? '0.12.6' });
    if (req.method === 'GET' && path === '/api/tags') {
      return send(res, 200, {
        models: models.map((name) => ({
          name,
          model: name,
          modified_at: '2025-01-01T00:00:00Z',
          size: 274_302_450,
          digest: createHash('sha256').update(name).digest('hex'),
          details: { format: 'gguf', family: 'nomic-bert', parameter_size: '137M', quantization_level: 'F16' },
        })),
      });
    }
    if (req.method === 'POST' && path === '/api/show') {
      if (!known(b.model)) return send(res, 404, { error: `model '${String(b.model)}' not found` });
      return send(res, 200, {
        parameters: 'num_ctx                        8192',
        details: { format: 'gguf', family: 'nomic-bert', parameter_size: '137M', quantization_level: 'F16' },
        model_info: {
          'general.architecture': 'nomic-bert',
          'nomic-bert.context_length': opts.contextLength ?? 2048,
          'nomic-bert.embedding_length': fake.dimensions,
        },
        capabilities: ['embedding'],
      });
    }
    if (req.method === 'POST' && path === '/api/embed' && !opts.withoutEmbed) {
      if (!known(b.model)) return send(res, 404, { error: `model "${String(b.model)}" not found, try pulling it first` });
      const input = typeof b.input === 'string' ? (b.input ? [b.input] : []) : b.input;
      if (!Array.isArray(input) || !input.every((t) => typeof t === 'string')) return send(res, 400, { error: 'invalid input type' });
      const model = withTag(b.model as string);
      const embeddings = input.map((t, i) => {
        const dims = fake.raggedNext && i === input.length - 1 ? fake.dimensions - 1 : fake.dimensions;
        return fakeVector(model, t, dims);
      });
      fake.raggedNext = false;
      return send(res, 200, { model: b.model, embeddings, total_duration: 1, load_duration: 1, prompt_eval_count: input.length });
    }
    if (req.method === 'POST' && path === '/api/chat') return chat(res, b);
    return send(res, 404, '404 page not found');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ method: req.method ?? '', path, body });
      if (resets > 0) {
        resets--;
        req.socket.destroy();
        return;
      }
      const respond = () => {
        if (failures.count > 0) {
          failures.count--;
          return send(res, failures.status, { error: failures.message });
        }
        answer(req, res, path, body);
      };
      if (fake.delayMs <= 0) return respond();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) respond();
      }, fake.delayMs);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const fake: FakeOllama = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    embedRequests: () => requests.filter((r) => r.path === '/api/embed') as (RecordedRequest & { body: EmbedBody })[],
    dimensions: opts.dimensions ?? 768,
    delayMs: 0,
    raggedNext: false,
    failNext(count, status = 500, message = 'llama runner process has terminated: exit status 2') {
      failures = { count, status, message };
    },
    resetNext(count) {
      resets = count;
    },
    chatRequests: () => requests.filter((r) => r.path === '/api/chat') as (RecordedRequest & { body: ChatBody })[],
    chatReply: defaultChatReply,
    chatPieceDelayMs: 0,
    chatChunkBytes: 0,
    failChatMidStream(afterPieces, message = 'an error was encountered while running the model: unexpected EOF') {
      chatTrouble = { afterPieces, then: 'error', message };
    },
    stallChatNext(afterPieces) {
      chatTrouble = { afterPieces, then: 'stall', message: '' };
    },
    chatStreams: [],
    async dispose() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
