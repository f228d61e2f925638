import { describe, expect, it, vi } from 'vitest';
import { createHttpClient } from './httpClient';

function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return respond(String(url), init ?? {});
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  listeners = new Map<string, ((e: { data: string }) => void)[]>();
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, l: (e: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), l]);
  }
  close() {
    this.closed = true;
  }
  fire(name: string, data: string) {
    for (const l of this.listeners.get(name) ?? []) l({ data });
  }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('createHttpClient calls', () => {
  it('POSTs JSON with the bearer token and returns the Result', async () => {
    const { fetch, calls } = fakeFetch(() => json({ ok: true, value: { query: 'q', hits: [], tookMs: 3, model: 'm' } }));
    const kb = createHttpClient({ token: 'tok', baseUrl: 'http://h', fetch });
    const r = await kb.search({ query: 'q' });
    expect(r).toEqual({ ok: true, value: { query: 'q', hits: [], tookMs: 3, model: 'm' } });
    expect(calls[0]?.url).toBe('http://h/api/search');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.headers).toEqual({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ query: 'q' });
  });

  it('sends {} for a method without input and $bytes for uploads', async () => {
    const { fetch, calls } = fakeFetch(() => json({ ok: true, value: [] }));
    const kb = createHttpClient({ token: 't', fetch });
    await kb.listDocuments();
    await kb.ingestUpload({ name: 'a.txt', bytes: new TextEncoder().encode('hi') });
    expect(calls[0]?.url).toBe('/api/listDocuments');
    expect(calls[0]?.init.body).toBe('{}');
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({ name: 'a.txt', bytes: { $bytes: 'aGk=' } });
  });

  it('calls the queue and watch methods by name', async () => {
    const { fetch, calls } = fakeFetch(() => json({ ok: true, value: { cancelled: 1 } }));
    const kb = createHttpClient({ token: 't', fetch });
    await kb.cancelIngest({ jobId: 'j1' });
    await kb.cancelIngest();
    await kb.pauseIngest();
    await kb.resumeIngest();
    await kb.listWatchedFolders();
    await kb.unwatchFolder({ path: '/n' });
    expect(calls.map((c) => [c.url, JSON.parse(String(c.init.body))])).toEqual([
      ['/api/cancelIngest', { jobId: 'j1' }],
      ['/api/cancelIngest', {}],
      ['/api/pauseIngest', {}],
      ['/api/resumeIngest', {}],
      ['/api/listWatchedFolders', {}],
      ['/api/unwatchFolder', { path: '/n' }],
    ]);
  });

  it('passes an error Result from a 4xx through', async () => {
    const { fetch } = fakeFetch(() => json({ ok: false, error: { kind: 'Unauthorized', message: 'bad token' } }, 401));
    const r = await createHttpClient({ token: 'x', fetch }).getStatus();
    expect(r).toEqual({ ok: false, error: { kind: 'Unauthorized', message: 'bad token' } });
  });

  it('maps a network failure and a non-JSON body to ProviderUnavailable', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const r1 = await createHttpClient({ token: 't', fetch: down.fetch }).getStatus();
    expect(r1).toEqual({ ok: false, error: { kind: 'ProviderUnavailable', message: 'The qckstrt server is not reachable: Failed to fetch' } });
    const html = fakeFetch(() => new Response('<h1>502</h1>', { status: 502, statusText: 'Bad Gateway' }));
    const r2 = await createHttpClient({ token: 't', fetch: html.fetch }).getStatus();
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.error.kind).toBe('ProviderUnavailable');
  });
});

describe('createHttpClient events', () => {
  it('opens one shared EventSource lazily, dispatches named events, closes after the last unsubscribe', () => {
    FakeEventSource.instances = [];
    const kb = createHttpClient({
      token: 'a b',
      baseUrl: 'http://h',
      fetch: fakeFetch(() => json({ ok: true, value: null })).fetch,
      createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
    });
    expect(FakeEventSource.instances).toHaveLength(0);
    const progress: unknown[] = [];
    const changed: unknown[] = [];
    const stats: unknown[] = [];
    const off1 = kb.on('ingestProgress', (p) => progress.push(p));
    const off2 = kb.on('documentsChanged', (p) => changed.push(p));
    const off3 = kb.on('ingestStats', (p) => stats.push(p));
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('http://h/api/events?token=a%20b');

    es.fire('ingestProgress', '{"jobId":"j1","state":"embedding"}');
    es.fire('documentsChanged', '{"reason":"indexed"}');
    es.fire('ingestProgress', 'not json');
    es.fire('ingestStats', '{"paused":true,"filesDone":1}');
    expect(progress).toEqual([{ jobId: 'j1', state: 'embedding' }]);
    expect(changed).toEqual([{ reason: 'indexed' }]);
    expect(stats).toEqual([{ paused: true, filesDone: 1 }]);
    off3();

    off1();
    off1(); // idempotent
    expect(es.closed).toBe(false);
    off2();
    expect(es.closed).toBe(true);
    kb.on('documentsChanged', () => {});
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('keeps dispatching when one listener throws', () => {
    FakeEventSource.instances = [];
    const kb = createHttpClient({
      token: 't',
      createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
    });
    const seen: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    kb.on('documentsChanged', () => {
      throw new Error('boom');
    });
    kb.on('documentsChanged', (p) => seen.push(p));
    FakeEventSource.instances[0]!.fire('documentsChanged', '{"reason":"deleted"}');
    expect(seen).toEqual([{ reason: 'deleted' }]);
    spy.mockRestore();
  });
});
