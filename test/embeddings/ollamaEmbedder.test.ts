import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { OllamaEmbedder, ollamaEmbedder } from '../../core/embeddings/ollama/ollamaEmbedder';
import { closedPort, type FakeOllama, fakeVector, startFakeOllama } from '../services/fakeOllama';

const NOMIC = 'ollama/nomic-embed-text';
const DOC = 'search_document: ';
const QUERY = 'search_query: ';

function settings(url: string, timeoutMs = 10_000) {
  return settingsSchema.parse({ embedding: { model: NOMIC, ollamaUrl: url, timeoutMs } }).embedding;
}

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** The fake's vector for a text, normalised the way the client must. */
function expected(text: string, dims = 768): number[] {
  const raw = fakeVector('nomic-embed-text:latest', text, dims);
  const n = Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
  return raw.map((x) => x / n);
}

async function elapsed<T>(p: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  try {
    await p;
    return { ms: performance.now() - start, error: undefined };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

describe('OllamaEmbedder against a fake Ollama', () => {
  let fake: FakeOllama;
  const open: OllamaEmbedder[] = [];
  const make = (modelId = NOMIC, timeoutMs?: number, url?: string) => {
    const e = ollamaEmbedder(modelId, settings(url ?? fake.url, timeoutMs));
    open.push(e);
    return e;
  };

  beforeAll(async () => {
    fake = await startFakeOllama({ models: ['nomic-embed-text:latest', 'mxbai-embed-large:latest'] });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((e) => e.close()));
    fake.requests.length = 0;
    fake.delayMs = 0;
    fake.dimensions = 768;
    fake.failNext(0);
    fake.resetNext(0);
  });
  afterAll(() => fake.dispose());

  it('learns the dimension and context length at ready(), from the registry until then', async () => {
    const e = make();
    expect([e.dimensions, e.maxTokens]).toEqual([768, 8192]);
    expect(e.status()).toMatchObject({ modelId: NOMIC, ready: false, source: fake.url });
    await e.ready();
    // Ollama's nomic-embed-text is trained to 2048 tokens; its own num_ctx 8192 does not lift that.
    expect([e.dimensions, e.maxTokens]).toEqual([768, 2048]);
    expect(e.status()).toMatchObject({ ready: true, dimensions: 768, message: undefined });
    expect(fake.embedRequests()).toHaveLength(1);
    await e.ready();
    expect(fake.embedRequests()).toHaveLength(1); // checked once

    // A model the registry does not list: dimension unknown (0) until the server says.
    fake.dimensions = 1024;
    const other = make('ollama/mxbai-embed-large');
    expect(other.dimensions).toBe(0);
    await other.ready();
    expect(other.dimensions).toBe(1024);
  });

  it('embeds 100 texts in 4 ordered batches of at most 32, unit length, in input order', async () => {
    const e = make();
    await e.ready();
    fake.requests.length = 0;
    const texts = Array.from({ length: 100 }, (_, i) => `chunk number ${i}`);
    const vectors = await e.embed(texts);

    const batches = fake.embedRequests().map((r) => r.body);
    expect(batches.map((b) => b.input.length)).toEqual([32, 32, 32, 4]);
    expect(batches.flatMap((b) => b.input)).toEqual(texts.map((t) => DOC + t));
    expect(batches.every((b) => b.model === 'nomic-embed-text' && b.truncate === true)).toBe(true);

    expect(vectors).toHaveLength(100);
    for (const [i, v] of vectors.entries()) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(768);
      expect(norm(v)).toBeCloseTo(1, 5);
      expect(v[0]).toBeCloseTo(expected(DOC + texts[i])[0] as number, 5);
      expect(v[767]).toBeCloseTo(expected(DOC + texts[i])[767] as number, 5);
    }
  });

  it('bounds a batch by characters too', async () => {
    const e = make();
    await e.ready();
    fake.requests.length = 0;
    await e.embed(Array.from({ length: 10 }, (_, i) => `${i}`.repeat(10_000)));
    // ~10k characters each (+ prefix) under a 32k budget: three per request.
    expect(fake.embedRequests().map((r) => r.body.input.length)).toEqual([3, 3, 3, 1]);
  });

  it('embeds a query with the query prefix, and nothing for no texts', async () => {
    const e = make();
    const q = await e.embedQuery('what do plants eat');
    expect(norm(q)).toBeCloseTo(1, 5);
    expect(q[5]).toBeCloseTo(expected(QUERY + 'what do plants eat')[5] as number, 5);
    expect(fake.embedRequests().at(-1)?.body.input).toEqual([QUERY + 'what do plants eat']);
    const before = fake.requests.length;
    expect(await e.embed([])).toEqual([]);
    expect(fake.requests.length).toBe(before);
  });

  it('a model that is not pulled → ModelUnavailable with the pull command', async () => {
    const e = make('ollama/all-minilm');
    await expect(e.ready()).rejects.toMatchObject({
      kind: 'ModelUnavailable',
      message: expect.stringContaining('`ollama pull all-minilm`'),
    });
    expect(e.status()).toMatchObject({ ready: false, message: expect.stringContaining('ollama pull all-minilm') });
    expect(fake.embedRequests()).toHaveLength(1); // a 404 is not retried
    await expect(e.embed(['x'])).rejects.toMatchObject({ kind: 'ModelUnavailable' });
  });

  it('a server that is down → ProviderUnavailable quickly, naming the URL and `ollama serve`', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const e = make(NOMIC, 10_000, url);
    const { ms, error } = await elapsed(e.ready());
    expect(error).toMatchObject({
      kind: 'ProviderUnavailable',
      message: `Ollama is not running at ${url}: start it with \`ollama serve\``,
    });
    expect(ms).toBeLessThan(1000);
    expect(e.status().message).toContain('ollama serve');
  });

  it('a server that does not answer → ProviderUnavailable naming the timeout, within timeout + margin', async () => {
    fake.delayMs = 5_000;
    const e = make(NOMIC, 300);
    const { ms, error } = await elapsed(e.ready());
    expect(error).toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('did not answer within 300 ms') });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(300 + 700);
    expect(fake.embedRequests()).toHaveLength(1); // a timeout is not retried
  });

  it('retries a 500 once and succeeds; a second 500 reports Ollama’s error', async () => {
    const e = make();
    fake.failNext(1, 500);
    await e.ready();
    expect(fake.embedRequests()).toHaveLength(2);
    expect(e.status().ready).toBe(true);

    fake.failNext(2, 500, 'llama runner process has terminated: signal: killed');
    await expect(e.embed(['a'])).rejects.toMatchObject({
      kind: 'ProviderUnavailable',
      message: `Ollama at ${fake.url} failed (HTTP 500): llama runner process has terminated: signal: killed`,
    });
    expect(fake.embedRequests()).toHaveLength(4);
  });

  it('retries a reset connection once; does not retry a 400', async () => {
    const e = make();
    fake.resetNext(1);
    await e.ready();
    expect(fake.embedRequests()).toHaveLength(2);

    fake.failNext(1, 400, 'invalid input type');
    await expect(e.embed(['a'])).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('HTTP 400): invalid input type') });
    expect(fake.embedRequests()).toHaveLength(3);
  });

  it('vectors of an unexpected or inconsistent length → DimensionMismatch naming both numbers', async () => {
    const e = make();
    await e.ready();
    fake.dimensions = 512;
    await expect(e.embed(['a', 'b'])).rejects.toMatchObject({
      kind: 'DimensionMismatch',
      message: expect.stringMatching(/512-dimensional.*768 dimensions/),
    });
    fake.dimensions = 768;
    fake.raggedNext = true;
    await expect(e.embed(['a', 'b'])).rejects.toMatchObject({ kind: 'DimensionMismatch', message: expect.stringMatching(/767-dimensional.*768/) });
    // The server is fine again: so is the embedder.
    expect(await e.embed(['a', 'b'])).toHaveLength(2);
  });

  it('isAvailable: up with the model, up without it, and down', async () => {
    expect(await make().isAvailable()).toMatchObject({
      provider: 'ollama',
      available: true,
      message: `Ollama 0.12.6 at ${fake.url}: nomic-embed-text`,
      latencyMs: expect.any(Number),
    });
    expect(fake.embedRequests()).toHaveLength(0); // a health check does not load the model

    expect(await make('ollama/all-minilm').isAvailable()).toMatchObject({
      available: false,
      message: expect.stringContaining('all-minilm is not installed: run `ollama pull all-minilm`'),
    });

    const down = await make(NOMIC, 10_000, `http://127.0.0.1:${await closedPort()}`).isAvailable();
    expect(down).toMatchObject({ provider: 'ollama', available: false, message: expect.stringContaining('start it with `ollama serve`') });
    expect(down.latencyMs).toBeLessThan(1000);
  });

  it('close() aborts requests in flight and refuses new ones', async () => {
    fake.delayMs = 5_000;
    const e = make();
    const pending = elapsed(e.ready());
    await new Promise((r) => setTimeout(r, 50));
    await e.close();
    const { ms, error } = await pending;
    expect(error).toMatchObject({ kind: 'Cancelled' });
    expect(ms).toBeLessThan(1000);
    await expect(e.embed(['a'])).rejects.toMatchObject({ kind: 'Cancelled' });
  });

  it('a failed ready() is tried again next time (the user started Ollama)', async () => {
    fake.failNext(2, 503, 'server busy');
    const e = make();
    await expect(e.ready()).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('HTTP 503): server busy') });
    await e.ready();
    expect(e.status()).toMatchObject({ ready: true, message: undefined });
  });
});

describe('OllamaEmbedder against servers that are not quite Ollama', () => {
  it('an Ollama without /api/embed → ProviderUnavailable asking for a current version', async () => {
    const old = await startFakeOllama({ withoutEmbed: true });
    try {
      const e = ollamaEmbedder(NOMIC, settings(old.url));
      await expect(e.ready()).rejects.toMatchObject({
        kind: 'ProviderUnavailable',
        message: expect.stringContaining('has no /api/embed (HTTP 404: 404 page not found)'),
      });
      await e.close();
    } finally {
      await old.dispose();
    }
  });

  it('rejects a model id without the ollama/ prefix', () => {
    expect(() => ollamaEmbedder('Xenova/all-MiniLM-L6-v2', settings('http://127.0.0.1:1'))).toThrow(
      expect.objectContaining({ kind: 'ValidationError' }),
    );
  });
});
