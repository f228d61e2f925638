import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText } from '../../core/ingest/decodeText';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('headless HTTP server', () => {
  const web = tempDir();
  let t: TestService;
  let server: RunningServer;
  let api: (method: string, input?: unknown, headers?: Record<string, string>) => Promise<Reply>;

  beforeAll(async () => {
    writeFileSync(join(web.path, 'index.html'), '<!doctype html><title>qckstrt</title>');
    t = await startTestService();
    server = await startServer({ service: t.service, staticDir: web.path, port: 0 });
    api = (method, input = {}, headers = {}) =>
      call(server.port, `/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(input),
      });
  });
  afterAll(async () => {
    await server.close();
    await t.dispose();
    web.cleanup();
  });

  it('binds to 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{40,}$`));
  });

  it('serves the UI with a strict CSP and no CORS headers', async () => {
    const res = await call(server.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>qckstrt</title>');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect((await call(server.port, '/../package.json')).status).toBe(404);
    expect((await call(server.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding) and a cross-origin request', async () => {
    expect((await call(server.port, '/', { headers: { host: 'evil.example:80' } })).status).toBe(403);
    expect((await api('getStatus', {}, { host: `attacker.test:${server.port}` })).status).toBe(403);
    expect((await api('getStatus', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('getStatus', {}, { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    expect((await call(server.port, '/', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('requires the token on every API call, including the event stream', async () => {
    const noToken = await call(server.port, '/api/getStatus', { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    expect(JSON.parse(noToken.body)).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
    expect((await api('getStatus', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call(server.port, '/api/events?token=wrong')).status).toBe(401);
  });

  it('answers with the contract Result shape and maps error kinds to statuses', async () => {
    const ok = await api('getStatus');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { relational: { provider: 'sqlite' } } });
    const bad = await api('search', { query: '' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { kind: 'ValidationError', message: expect.stringContaining('query') } });
    expect((await api('search', { query: 'x', k: 'ten' })).status).toBe(400);
    expect((await api('dropDatabase')).status).toBe(404);
    const notJson = await call(server.port, '/api/getStatus', { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: '{' });
    expect(JSON.parse(notJson.body).error.kind).toBe('ValidationError');
    const missing = await api('deleteDocument', { id: 'nope' });
    expect(missing.status).toBe(404);
  });

  it('refuses malformed input with a specific error and writes nothing outside the data folder', async () => {
    const huge = await api('search', { query: 'x'.repeat(1_000_000) });
    expect(huge.status).toBe(400);
    expect(JSON.parse(huge.body).error).toMatchObject({ kind: 'ValidationError', message: expect.stringContaining('query') });
    expect((await api('listDocuments', { evil: true })).status).toBe(400);
    expect((await api('updateSettings', { relational: { provider: 'mysql' } })).status).toBe(400);
    expect((await api('__proto__')).status).toBe(404);
    expect((await api('constructor')).status).toBe(404);
    // A name that climbs out of the data folder is only a name: nothing is written by it.
    const bytes = { $bytes: Buffer.from('escaped text about sunflowers').toString('base64') };
    const up = await api('ingestUpload', { name: '../../escape.txt', bytes });
    const parent = dirname(t.dataDir);
    if (up.status === 200) {
      await t.service.idle();
      const doc = (await t.service.listDocuments()).find((d) => d.name.includes('escape'));
      expect(doc?.name ?? '').not.toContain('/');
    } else {
      expect(JSON.parse(up.body).error.kind).toBe('ValidationError');
    }
    expect(existsSync(join(parent, 'escape.txt'))).toBe(false);
    expect(existsSync(join(dirname(parent), 'escape.txt'))).toBe(false);
  });

  it('takes uploads as $bytes and streams progress over server-sent events', async () => {
    const events: string[] = [];
    const stream = request({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` });
    const done = new Promise<void>((resolve) => {
      stream.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          events.push(chunk);
          if (events.join('').includes('"state":"done"')) resolve();
        });
      });
    });
    stream.end();
    await new Promise((r) => setTimeout(r, 100));
    const bytes = Buffer.from('Glaciers carve valleys as the ice slowly moves downhill.').toString('base64');
    const res = await api('ingestUpload', { name: 'ice.txt', bytes: { $bytes: bytes } });
    expect(res.status).toBe(200);
    await done;
    stream.destroy();
    expect(events.join('')).toMatch(/event: ingestProgress\ndata: \{.*"fileName":"ice.txt"/);
    const search = JSON.parse((await api('search', { query: 'frozen ice moving in mountains', k: 1 })).body);
    expect(search.value.hits[0].documentName).toBe('ice.txt');
  });
});

describe('headless HTTP server: opening a document\'s original', () => {
  const web = tempDir();
  let t: TestService;
  let server: RunningServer;
  let id: string;
  const NAME = 'Café "menu" (1).html';
  const HTML = '<!doctype html><h1>Menu du café</h1><script>document.title = localStorage.getItem("x")</script>\n';

  const get = (path: string, headers: Record<string, string> = {}) => call(server.port, path, { headers });

  beforeAll(async () => {
    writeFileSync(join(web.path, 'index.html'), '<!doctype html>');
    t = await startTestService();
    server = await startServer({ service: t.service, staticDir: web.path, port: 0 });
    await t.service.ingestUpload({ name: NAME, bytes: new TextEncoder().encode(HTML) });
    await t.service.idle();
    id = (await t.service.listDocuments())[0]!.id;
  });
  afterAll(async () => {
    await server.close();
    await t.dispose();
    web.cleanup();
  });

  it('openDocument answers a relative URL to the file route, never a path', async () => {
    const res = await call(server.port, '/api/openDocument', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ id, page: 2 }),
    });
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { opened: false, url: `/api/documents/${id}/file` } });
    const missing = await call(server.port, '/api/openDocument', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ id: 'nope' }),
    });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
  });

  it('streams the original\'s bytes with its type, an inline name, nosniff and a CSP sandbox', async () => {
    const res = await get(`/api/documents/${id}/file?token=${server.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toBe(HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(HTML)));
    expect(res.headers['content-disposition']).toBe("inline; filename*=UTF-8''Caf%C3%A9%20%22menu%22%20%281%29.html");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Sandboxed: the HTML runs (if at all) in an opaque origin, not as the app with its token.
    expect(res.headers['content-security-policy']).toBe('sandbox');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const head = await call(server.port, `/api/documents/${id}/file?token=${server.token}`, { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', String(Buffer.byteLength(HTML))]);
    // The header form of the token works too.
    expect((await get(`/api/documents/${id}/file`, { authorization: `Bearer ${server.token}` })).body).toBe(HTML);
  });

  it('requires the token, like every other API route', async () => {
    for (const path of [`/api/documents/${id}/file`, `/api/documents/${id}/file?token=wrong`, `/api/documents/${id}/file?token=`]) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(res.body).not.toContain('Menu du café');
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { kind: 'Unauthorized' } });
    }
    expect((await get(`/api/documents/${id}/file?token=${server.token}`, { host: `evil.test:${server.port}` })).status).toBe(403);
  });

  it('tells the browser the charset of a text original, so “quotes” never show as â€œ', async () => {
    const cases: { name: string; bytes: Uint8Array; charset: string; text: string }[] = [
      { name: 'quotes.txt', bytes: new TextEncoder().encode('She said “bonjour” — café ✓\n'), charset: 'utf-8', text: 'She said “bonjour” — café ✓\n' },
      // An old Windows file: é is the single byte 0xE9, curly quotes 0x93/0x94.
      { name: 'legacy.txt', bytes: Uint8Array.from([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x0a]), charset: 'windows-1252', text: '“café”\n' },
      { name: 'wide.md', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Naïve “notes”\n', 'utf16le')]), charset: 'utf-16le', text: '# Naïve “notes”\n' },
    ];
    for (const c of cases) {
      await t.service.ingestUpload({ name: c.name, bytes: c.bytes });
    }
    await t.service.idle();
    const docs = await t.service.listDocuments();
    for (const c of cases) {
      const doc = docs.find((d) => d.name === c.name);
      expect(doc, c.name).toBeDefined();
      const res = await new Promise<{ type: string; body: Buffer }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: `/api/documents/${doc!.id}/file?token=${server.token}` }, (r) => {
          const parts: Buffer[] = [];
          r.on('data', (p: Buffer) => parts.push(p));
          r.on('end', () => resolve({ type: String(r.headers['content-type']), body: Buffer.concat(parts) }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(res.type, c.name).toBe(`${doc!.mimeType}; charset=${c.charset}`);
      // The bytes are the original's, unchanged (a browser decodes them with the charset sent;
      // Node's own windows-1252 decoder is ISO-8859-1, so the app's decoder reads them here).
      expect(Buffer.compare(res.body, Buffer.from(c.bytes)), c.name).toBe(0);
      expect(decodeText(res.body, c.name), c.name).toBe(c.text);
    }
  });

  it('is 404 for an unknown document and refuses an id the contract would not accept', async () => {
    const unknown = await get(`/api/documents/nope/file?token=${server.token}`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
    expect((await get(`/api/documents/${'x'.repeat(201)}/file?token=${server.token}`)).status).toBe(400);
  });
});

describe('headless HTTP server event stream', () => {
  it('replays the unfinished jobs to a client that connects mid-batch', async () => {
    const job = (jobId: string, state: string) => ({ jobId, batchId: 'b', fileName: `${jobId}.md`, state, chunksDone: 0, chunksTotal: 0, updatedAt: '' });
    const fake = {
      listJobs: async () => [job('running', 'embedding'), job('finished', 'done')],
      on: () => () => {},
    } as unknown as Parameters<typeof startServer>[0]['service'];
    const web = tempDir();
    const server = await startServer({ service: fake, staticDir: web.path, port: 0 });
    const body = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` }, (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
          if (text.includes('running')) resolve(text);
        });
      });
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve('');
      }, 3000);
    });
    await server.close();
    web.cleanup();
    expect(body).toContain('"jobId":"running"');
    expect(body).not.toContain('"jobId":"finished"');
  });
});
