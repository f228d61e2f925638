import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChromaVectorStore } from '../../core/vector/chroma/chromaStore';

/** What the fake does with a request that is not "create the collection". */
type Mode = 'hang' | 'stall-body' | 'gateway-down' | 'answer';

// The server's real answer to get-or-create (captured from chromadb 1.0.0), so `connect()` works.
const collectionJson = (dimensions: number) =>
  JSON.stringify({
    id: '4ffc73eb-743c-4cf8-9432-47f514662d27',
    name: 'fake-collection',
    configuration_json: { hnsw: { space: 'cosine', ef_construction: 100, ef_search: 100, max_neighbors: 16 }, spann: null, embedding_function: null },
    metadata: { dimensions },
    dimension: null,
    tenant: 'default_tenant',
    database: 'default_database',
    log_position: 0,
    version: 0,
  });

interface Fake {
  url: string;
  mode: Mode;
  close(): Promise<void>;
}

const fakes: Fake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** A fake Chroma on 127.0.0.1 that answers collection creation and then misbehaves as told. */
async function fakeChroma(mode: Mode): Promise<Fake> {
  const fake = { mode } as Fake;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const creating = req.method === 'POST' && req.url?.endsWith('/collections');
    if (creating || fake.mode === 'answer') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(creating ? collectionJson(3) : '{"nanosecond heartbeat": 1}');
    } else if (fake.mode === 'stall-body') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"ids": [['); // …and never the rest
    } else if (fake.mode === 'gateway-down') {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
    }
    // 'hang': accept, read, never answer.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  fakes.push(fake);
  return fake;
}

const TIMEOUT = 400;
const MARGIN = 1_500;
const store = (url: string, timeoutMs = TIMEOUT) => new ChromaVectorStore({ url, collection: 'fake-collection', timeoutMs });

async function timed<T>(p: Promise<T>): Promise<{ ms: number; err: unknown }> {
  const t0 = performance.now();
  try {
    await p;
    return { ms: performance.now() - t0, err: undefined };
  } catch (err) {
    return { ms: performance.now() - t0, err };
  }
}

describe('ChromaVectorStore timeouts', () => {
  it('gives up on a server that accepts and never answers, within timeoutMs', async () => {
    const fake = await fakeChroma('hang');
    const s = store(fake.url);
    await s.connect(3); // the fake answers collection creation, and nothing else
    const ops: (() => Promise<unknown>)[] = [
      () => s.query(new Float32Array([1, 0, 0]), 'alice', 5),
      () => s.upsert('alice', 'doc', [{ id: 'doc:0', chunkIndex: 0, embedding: new Float32Array([1, 0, 0]), content: 'x', charStart: 0, charEnd: 1 }]),
      () => s.count('alice'),
    ];
    for (const op of ops) {
      const r = await timed(op());
      expect(r.err).toMatchObject({ kind: 'ProviderUnavailable', message: `The ChromaDB server at ${fake.url} did not answer within ${TIMEOUT} ms.` });
      expect(r.ms).toBeGreaterThanOrEqual(TIMEOUT - 50);
      expect(r.ms).toBeLessThan(TIMEOUT + MARGIN);
    }
  });

  it('gives up on connect itself when the server hangs from the start', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    try {
      const r = await timed(store(url).connect(3));
      expect(r.err).toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining(url) });
      expect(r.ms).toBeLessThan(TIMEOUT + MARGIN);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('gives up when the answer stops halfway through its body', async () => {
    const fake = await fakeChroma('answer');
    const s = store(fake.url);
    await s.connect(3);
    fake.mode = 'stall-body';
    const r = await timed(s.query(new Float32Array([1, 0, 0]), 'alice', 5));
    expect(r.err).toMatchObject({ kind: 'ProviderUnavailable' });
    expect(r.ms).toBeLessThan(TIMEOUT + MARGIN);
  });

  it('reports unavailable from isAvailable() instead of hanging', async () => {
    const fake = await fakeChroma('hang');
    const health = await store(fake.url).isAvailable();
    expect(health).toMatchObject({ provider: 'chromadb', available: false, message: expect.stringContaining(fake.url) });
    expect(health.latencyMs).toBeLessThan(TIMEOUT + MARGIN);
  });

  it('fails at once, not after the timeout, when nothing listens (connection refused)', async () => {
    const fake = await fakeChroma('answer');
    const url = fake.url;
    await fake.close();
    const r = await timed(store(url, 10_000).connect(3));
    expect(r.err).toMatchObject({ kind: 'ProviderUnavailable', message: `The ChromaDB server at ${url} is not reachable (is it running?).` });
    expect(r.ms).toBeLessThan(1_000);
    const health = await store(url, 10_000).isAvailable();
    expect(health.available).toBe(false);
    expect(health.latencyMs).toBeLessThan(1_000);
  });

  it('treats a gateway answering 503 for the server as unavailable', async () => {
    const fake = await fakeChroma('answer');
    const s = store(fake.url);
    await s.connect(3);
    fake.mode = 'gateway-down';
    await expect(s.query(new Float32Array([1, 0, 0]), 'alice', 5)).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
  });
});
