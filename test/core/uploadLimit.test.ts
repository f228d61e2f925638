import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maxFileBytes } from '../../core/ingest/sizeLimit';
import { bodyLimitFor } from '../../core/server/requestBody';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { checkUploadSize } from '../../renderer/src/logic/upload';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const MB = 1024 * 1024;

/** Every file under the data folder with its size: a kept copy of an upload would show here. */
function filesUnder(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out.set(path, statSync(path).size);
    }
  }
  return out;
}

/** Files added since `before`, or grown to at least `size` bytes (a copy written into one). */
function copiesSince(before: Map<string, number>, dir: string, size: number): string[] {
  return [...filesUnder(dir)].filter(([path, bytes]) => !before.has(path) || (bytes >= size && before.get(path)! < size)).map(([path]) => path);
}

const uploadBody = (name: string, bytes: Uint8Array) => JSON.stringify({ name, bytes: { $bytes: Buffer.from(bytes).toString('base64') } });

describe('upload size limit', () => {
  const web = tempDir();
  const sources = tempDir();
  let t: TestService;
  let server: RunningServer;
  let post: (method: string, body: BodyInit, headers?: Record<string, string>) => Promise<Response>;

  beforeAll(async () => {
    writeFileSync(join(web.path, 'index.html'), '<!doctype html><title>qckstrt</title>');
    t = await startTestService();
    server = await startServer({ service: t.service, staticDir: web.path, port: 0 });
    post = (method, body, headers = {}) =>
      fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers },
        body,
        duplex: 'half',
      } as RequestInit);
  });
  beforeEach(async () => {
    await t.service.updateSettings({ ingest: { maxFileSizeMb: 50 } });
  });
  afterAll(async () => {
    await server.close();
    await t.dispose();
    web.cleanup();
    sources.cleanup();
  });

  it('refuses a 60 MB upload over the 50 MB limit before anything is written to the data folder', async () => {
    const before = filesUnder(t.dataDir);
    const jobsBefore = (await t.service.listJobs()).length;
    const bytes = new Uint8Array(60 * MB).fill(97);
    await expect(t.service.ingestUpload({ name: 'big.txt', bytes })).rejects.toMatchObject({
      kind: 'FileTooLarge',
      message: expect.stringMatching(/^big\.txt is 60\.0 MB; the limit is 50 MB\. .*kb settings set ingest\.maxFileSizeMb 60/),
    });
    expect(copiesSince(before, t.dataDir, 60 * MB)).toEqual([]);
    expect(await t.service.listJobs()).toHaveLength(jobsBefore);
  });

  it('gives an upload the same FileTooLarge as the same file by path', async () => {
    await t.service.updateSettings({ ingest: { maxFileSizeMb: 1 } });
    const bytes = new TextEncoder().encode('word '.repeat(300_000));
    writeFileSync(join(sources.path, 'same.txt'), bytes);
    const [byPath] = await indexAndWait(t.service, [join(sources.path, 'same.txt')]);
    const upload = await t.service.ingestUpload({ name: 'same.txt', bytes }).catch((e: unknown) => e);
    expect(byPath?.error).toMatchObject({ kind: 'FileTooLarge', message: expect.stringMatching(/1\.4 MB; the limit is 1 MB/) });
    expect(upload).toMatchObject(byPath!.error!);
    // The renderer refuses it before sending, with the same words.
    expect(checkUploadSize({ name: 'same.txt', size: bytes.byteLength }, maxFileBytes(1))).toEqual(byPath!.error);
  });

  it('answers an upload over the limit sent over HTTP with a 413 and the FileTooLarge, keeping no copy', async () => {
    await t.service.updateSettings({ ingest: { maxFileSizeMb: 1 } });
    const before = filesUnder(t.dataDir);
    // Its body fits the request limit: the service itself refuses it.
    const res = await post('ingestUpload', uploadBody('over.txt', new Uint8Array(MB + 10_000).fill(97)));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { kind: 'FileTooLarge', message: expect.stringMatching(/^over\.txt is 1\.0 MB; the limit is 1 MB/) } });
    expect(copiesSince(before, t.dataDir, MB)).toEqual([]);
  });

  it('accepts over HTTP an upload exactly at the limit (the request limit leaves room for base64 and JSON)', async () => {
    await t.service.updateSettings({ ingest: { maxFileSizeMb: 1 } });
    // .bin is not indexed, so the job fails fast without parsing a megabyte.
    const res = await post('ingestUpload', uploadBody(`${'\u0001'.repeat(1020)}.bin`, new Uint8Array(MB).fill(97)));
    expect(res.status).toBe(200);
    await t.service.idle();
  });

  it('answers a request body far over the limit with a 413 the client can read, and keeps serving', async () => {
    await t.service.updateSettings({ ingest: { maxFileSizeMb: 1 } });
    const body = new Uint8Array(5 * MB).fill(0x41); // stands in for a 200 MB body at the 50 MB default
    const declared = await post('ingestUpload', body);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      ok: false,
      error: { kind: 'FileTooLarge', message: expect.stringMatching(/^The upload is about 3\.8 MB; the limit is 1 MB\. .*ingest\.maxFileSizeMb 4/) },
    });
    // Chunked: no Content-Length, so the server stops at the limit while the client still sends.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(body.subarray(0, 256 * 1024));
        c.close();
      },
    });
    const streamed = await post('ingestUpload', chunked);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ ok: false, error: { kind: 'FileTooLarge', message: expect.stringMatching(/^The upload is over 1\.\d MB; the limit is 1 MB/) } });
    expect((await post('getStatus', '{}')).status).toBe(200);
  });

  it('sizes the request limit from the setting, and past the contract cap points to adding by path', () => {
    const one = bodyLimitFor('ingestUpload', 1);
    const largest = uploadBody('\u0001'.repeat(1024), new Uint8Array(maxFileBytes(1)));
    expect(Buffer.byteLength(largest)).toBeLessThanOrEqual(one.bytes);
    expect(one.bytes).toBeLessThan(1.5 * MB);
    const capped = bodyLimitFor('ingestUpload', 4096);
    expect(capped.tooLarge(800 * MB, 'about')).toMatchObject({ kind: 'FileTooLarge', message: expect.stringMatching(/at most 512 MB\. Add the file by its path/) });
    expect(bodyLimitFor('search', 1).bytes).toBe(64 * MB);
  });
});
