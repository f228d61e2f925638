import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChatRequest, OllamaChat } from '../../core/ask/ollamaChat';
import type { ChatMessage } from '../../core/ask/types';
import { chatPieces, closedPort, defaultChatReply, type FakeOllama, startFakeOllama } from '../services/fakeOllama';

const MODEL = 'llama3.2';
const HOW_TO = 'Start Ollama (https://ollama.com) or set OLLAMA_HOST / Settings → Ask → Ollama URL; tried ';
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Answer only from the passages.' },
  { role: 'user', content: 'Passages:\n\n[1] plants.md\nPlants make sugar from light, water and air.\n\n[2] roots.md\nRoots take up water.\n\nQuestion: how do plants eat?' },
];

async function outcome<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('OllamaChat against a fake Ollama', () => {
  let fake: FakeOllama;
  const chat = (opts: Partial<ConstructorParameters<typeof OllamaChat>[0]> = {}) => new OllamaChat({ url: fake.url, retryDelayMs: 10, ...opts });
  const ask = (client: OllamaChat, extra: Partial<ChatRequest> = {}) => client.chat({ model: MODEL, messages: MESSAGES, ...extra });

  beforeAll(async () => {
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
  });
  afterEach(() => {
    fake.requests.length = 0;
    fake.chatStreams.length = 0;
    fake.delayMs = 0;
    fake.chatPieceDelayMs = 0;
    fake.chatChunkBytes = 0;
    fake.chatReply = defaultChatReply;
    fake.failNext(0);
    fake.resetNext(0);
  });
  afterAll(() => fake.dispose());

  it('streams the answer piece by piece, in order, and resolves with the whole text and the final counts', async () => {
    fake.chatPieceDelayMs = 40;
    const expected = defaultChatReply(MESSAGES);
    expect(expected).toBe('Plants make sugar from light, water [1]. Roots take up water [2].');
    const deltas: { text: string; at: number }[] = [];
    const start = performance.now();
    const result = await ask(chat(), {
      options: { num_ctx: 4096, temperature: 0.2 },
      onDelta: (text) => deltas.push({ text, at: performance.now() - start }),
    });
    const doneAt = performance.now() - start;

    expect(deltas.map((d) => d.text)).toEqual(chatPieces(expected));
    expect(deltas.length).toBeGreaterThan(5);
    expect(result.text).toBe(expected);
    expect(result.stats).toEqual({ doneReason: 'stop', promptEvalCount: expect.any(Number), evalCount: deltas.length });
    // Streaming, not buffered: the first piece arrived long before the last.
    expect((deltas[0] as { at: number }).at).toBeLessThan(doneAt - 150);

    expect(fake.chatRequests().map((r) => r.body)).toEqual([
      { model: MODEL, messages: MESSAGES, stream: true, options: { num_ctx: 4096, temperature: 0.2 } },
    ]);
    expect(fake.chatStreams).toEqual([expect.objectContaining({ state: 'done' })]);
  });

  it.each([1, 5, 4096])('joins lines and UTF-8 characters cut anywhere by the network (%i-byte writes)', async (bytes) => {
    const reply = 'Ça marche: l’été 🌱 日本語 [1]. Ünïcödé — fine [2].';
    fake.chatReply = () => reply;
    fake.chatChunkBytes = bytes;
    const deltas: string[] = [];
    const result = await ask(chat(), { onDelta: (t) => deltas.push(t) });
    expect(result.text).toBe(reply);
    expect(deltas).toEqual(chatPieces(reply));
    expect(result.stats.doneReason).toBe('stop');
    if (bytes === 1) expect(fake.chatStreams[0]?.writes).toBeGreaterThan(500);
  });

  it('stops when aborted: rejects with Cancelled at once, no more pieces, connection closed', async () => {
    fake.chatPieceDelayMs = 50;
    fake.chatReply = () => Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = outcome(
      ask(chat(), {
        signal: controller.signal,
        onDelta: (t) => {
          deltas.push(t);
          if (deltas.length === 2) controller.abort();
        },
      }),
    );
    const { ms, error } = await pending;
    expect(error).toMatchObject({ kind: 'Cancelled', message: 'The answer was stopped' });
    expect(ms).toBeLessThan(1000);
    await until(() => fake.chatStreams[0]?.state === 'closed by client');
    expect(fake.chatStreams[0]?.writes).toBeLessThan(10);
    await new Promise((r) => setTimeout(r, 150));
    expect(deltas).toHaveLength(2);
  });

  it('an already aborted signal sends nothing', async () => {
    await expect(ask(chat(), { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'Cancelled' });
    expect(fake.chatRequests()).toHaveLength(0);
  });

  it('no server → ProviderUnavailable at once, saying how to enable Ask and which URL was tried', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { ms, error } = await outcome(ask(chat({ url })));
    expect(error).toMatchObject({
      kind: 'ProviderUnavailable',
      message: `Ask needs a local Ollama server to write answers, and none answered. ${HOW_TO}${url}`,
    });
    expect(ms).toBeLessThan(1000);
  });

  it('a host name that does not resolve → ProviderUnavailable naming the DNS error', async () => {
    const url = 'http://no-such-host.invalid:11434';
    const { error } = await outcome(ask(chat({ url })));
    expect(error).toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringMatching(/none answered \((ENOTFOUND|EAI_AGAIN)\)\. Start Ollama/) });
    expect((error as Error).message).toContain(HOW_TO + url);
  });

  it('a model that is not pulled → ModelUnavailable with `ollama pull <name>`, not retried', async () => {
    await expect(ask(chat(), { model: 'mistral-nemo' })).rejects.toMatchObject({
      kind: 'ModelUnavailable',
      message: `The Ollama model mistral-nemo is not installed at ${fake.url}: run \`ollama pull mistral-nemo\``,
    });
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('retries a 500 or a reset once before the answer starts; a second 500 reports Ollama’s error; a 400 is not retried', async () => {
    fake.failNext(1, 500);
    expect((await ask(chat())).text).toBe(defaultChatReply(MESSAGES));
    fake.resetNext(1);
    expect((await ask(chat())).text).toBe(defaultChatReply(MESSAGES));
    expect(fake.chatRequests()).toHaveLength(4);

    fake.failNext(2, 500, 'model requires more system memory (5.6 GiB) than is available (3.1 GiB)');
    await expect(ask(chat())).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: `Ollama at ${fake.url} failed (HTTP 500): model requires more system memory (5.6 GiB) than is available (3.1 GiB)`,
    });
    fake.failNext(1, 400, 'invalid message format');
    await expect(ask(chat())).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('(HTTP 400): invalid message format') });
    expect(fake.chatRequests()).toHaveLength(7);
  });

  it('an error line in the middle of the stream → ProviderUnavailable with Ollama’s text, after the pieces before it; not retried', async () => {
    fake.failChatMidStream(3, 'an error was encountered while running the model: CUDA error');
    const deltas: string[] = [];
    await expect(ask(chat(), { onDelta: (t) => deltas.push(t) })).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: `Ollama at ${fake.url} failed while answering: an error was encountered while running the model: CUDA error`,
    });
    expect(deltas).toEqual(chatPieces(defaultChatReply(MESSAGES)).slice(0, 3));
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('a stream that stalls mid-answer → ProviderUnavailable after the idle timeout, and the connection is closed', async () => {
    fake.stallChatNext(2);
    const deltas: string[] = [];
    const { ms, error } = await outcome(ask(chat({ idleTimeoutMs: 300 }), { onDelta: (t) => deltas.push(t) }));
    expect(error).toMatchObject({
      kind: 'ProviderUnavailable',
      message: `Ollama at ${fake.url} stopped in the middle of the answer (nothing for 300 ms): check that it is still running, then try again`,
    });
    expect(deltas).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1000);
    await until(() => fake.chatStreams[0]?.state === 'closed by client');
  });

  it('a server that never starts answering → ProviderUnavailable after the connect timeout, naming the model', async () => {
    fake.delayMs = 5_000;
    const { ms, error } = await outcome(ask(chat({ connectTimeoutMs: 300 })));
    expect(error).toMatchObject({
      kind: 'ProviderUnavailable',
      message: `Ollama at ${fake.url} did not start answering within 300 ms; it may still be loading ${MODEL}: try again in a moment`,
    });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1000);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('the fake answers `stream: false` with one JSON object, as Ollama does', async () => {
    const res = await fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: MODEL, messages: MESSAGES, stream: false }) });
    expect(await res.json()).toMatchObject({ model: MODEL, message: { role: 'assistant', content: defaultChatReply(MESSAGES) }, done: true, done_reason: 'stop' });
  });
});

describe('OllamaChat against servers that are not quite Ollama', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  /** A client of a one-off HTTP server giving an answer no Ollama gives; the server stops after the test. */
  const odd = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return new OllamaChat({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  };

  it('a web page instead of NDJSON → ProviderUnavailable: not Ollama', async () => {
    const client = await odd((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>\n'));
    await expect(client.chat({ model: MODEL, messages: MESSAGES })).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: expect.stringMatching(/did not answer like Ollama: .*not a JSON object \(<html><body>Welcome to nginx!/),
    });
  });

  it('a stream that ends without its final line → ProviderUnavailable, the pieces so far delivered', async () => {
    const client = await odd((_req, res) => res.writeHead(200).end(`${JSON.stringify({ message: { role: 'assistant', content: 'Half' }, done: false })}\n`));
    const deltas: string[] = [];
    await expect(client.chat({ model: MODEL, messages: MESSAGES, onDelta: (t) => deltas.push(t) })).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: expect.stringContaining('ended the answer before it was complete'),
    });
    expect(deltas).toEqual(['Half']);
  });
});
