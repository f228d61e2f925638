import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskResponse } from '../../core/api/ask';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startFakeOllama, type FakeOllama } from '../services/fakeOllama';

/** POSTs one contract call and parses the Result. */
function post<T = AskResponse>(server: RunningServer, method: string, input: unknown): Promise<{ ok: boolean; value: T; error?: { kind: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path: `/api/${method}`, method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body)));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

describe('Ask over HTTP with the answer streamed as server-sent events', () => {
  const web = tempDir();
  const files = tempDir();
  let fake: FakeOllama;
  let t: TestService;
  let server: RunningServer;

  beforeAll(async () => {
    writeFileSync(join(web.path, 'index.html'), '<!doctype html>');
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    t = await startTestService({ OLLAMA_HOST: fake.url });
    await indexAndWait(t.service, writeFiles(files.path, TOPICS));
    server = await startServer({ service: t.service, staticDir: web.path, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await t.dispose();
    await fake.dispose();
    web.cleanup();
    files.cleanup();
  });

  it('streams the pieces for its stream id, then answers with citations', async () => {
    fake.chatPieceDelayMs = 20;
    const frames: string[] = [];
    const stream = request({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` });
    stream.on('response', (res) => res.on('data', (c: Buffer) => frames.push(c.toString())));
    stream.end();
    await new Promise((r) => setTimeout(r, 100));
    const res = await post(server, 'ask', { question: 'how do plants capture energy from sunlight', streamId: 'q1' });
    stream.destroy();
    expect(res.ok).toBe(true);
    const deltas = frames
      .join('')
      .split('\n\n')
      .filter((f) => f.startsWith('event: askDelta'))
      .map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { streamId: string; text: string });
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.every((d) => d.streamId === 'q1')).toBe(true);
    expect(deltas.map((d) => d.text).join('')).toBe(res.value.answer);
    expect(res.value.citations[0]).toMatchObject({ n: 1, documentName: 'plants.md' });
    expect(res.value.citations[0]?.charEnd).toBeGreaterThan(res.value.citations[0]?.charStart ?? Infinity);
    // Only strong and partial matches reach the model, best passages first.
    const prompt = fake.chatRequests().at(-1)?.body.messages.at(-1)?.content ?? '';
    expect(prompt).toMatch(/^Passages:\n\n\[1\] plants\.md/);
  });

  it('stops an answer on cancelAsk, and says when no Ollama or model is there', async () => {
    fake.chatPieceDelayMs = 200;
    const asking = post(server, 'ask', { question: 'how do plants capture energy', streamId: 'q2' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await post<{ cancelled: boolean }>(server, 'cancelAsk', { streamId: 'q2' })).value).toEqual({ cancelled: true });
    expect((await asking).error?.kind).toBe('Cancelled');
    expect((await post<{ cancelled: boolean }>(server, 'cancelAsk', { streamId: 'q2' })).value).toEqual({ cancelled: false });
    fake.chatPieceDelayMs = 0;
    const missing = await post(server, 'ask', { question: 'plants', model: 'mistral' });
    expect(missing.error).toMatchObject({ kind: 'ModelUnavailable' });
    expect(missing.error?.message).toContain('ollama pull mistral');
    const nothing = await post(server, 'ask', { question: 'quantum chromodynamics lattice gauge' });
    expect(nothing.value).toMatchObject({ passagesUsed: 0, citations: [] });
    expect(nothing.value.answer).toMatch(/^Nothing in your library matches/);
  });
});
