import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';
import { closedPort, startFakeOllama, type FakeOllama } from '../services/fakeOllama';

const data = tempDir();
const files = tempDir();

/** Runs kb in its own process without blocking this one (the fake Ollama answers from here). */
function kb(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, QCKSTRT_DATA_DIR: data.path, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('kb search options and kb ask', { timeout: 120_000 }, () => {
  let fake: FakeOllama;
  beforeAll(async () => {
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    writeFiles(files.path, {
      ...TOPICS,
      'notes/git.md': '# Git\n\nUse git push --force-with-lease to overwrite a remote branch safely.\n',
    });
    expect((await kb(['index', files.path])).code).toBe(0);
  });
  afterAll(async () => {
    await fake.dispose();
    data.cleanup();
    files.cleanup();
  });

  it('searches in each mode, with filters; text starting with "-" goes after --', async () => {
    const hybrid = JSON.parse((await kb(['search', '--json', '--', '--force-with-lease'])).out);
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.hits[0].documentName).toBe('git.md');
    expect(hybrid.hits[0].snippet.slice(...hybrid.hits[0].highlights[0])).toBe('--force-with-lease');
    const keyword = JSON.parse((await kb(['search', '--mode', 'keyword', '--json', 'championship'])).out);
    expect(keyword.hits.map((h: { documentName: string }) => h.documentName)).toEqual(['football.txt']);
    const md = JSON.parse((await kb(['search', '--type', 'md', '--k', '10', '--json', 'leaves and bread'])).out);
    expect(md.hits.length).toBeGreaterThan(0);
    expect(md.hits.every((h: { documentName: string }) => h.documentName.endsWith('.md'))).toBe(true);
    const folder = JSON.parse((await kb(['search', '--folder', join(files.path, 'notes'), '--json', 'branch'])).out);
    expect(folder.hits.map((h: { documentName: string }) => h.documentName)).toEqual(['git.md']);
    const future = JSON.parse((await kb(['search', '--since', '2999-01-01', '--json', 'branch'])).out);
    expect(future.hits).toEqual([]);
  });

  it('says what is wrong with a bad mode, type, date or a query that looks like an option (exit 2)', async () => {
    const mode = await kb(['search', '--mode', 'fuzzy', 'x']);
    expect(mode.code).toBe(2);
    expect(mode.err).toContain('--mode takes hybrid, keyword, vector');
    const type = await kb(['search', '--type', 'exe', 'x']);
    expect(type.code).toBe(2);
    expect(type.err).toContain('--type takes md, txt');
    const since = await kb(['search', '--since', 'yesterday', 'x']);
    expect(since.code).toBe(2);
    expect(since.err).toContain('--since');
    const dash = await kb(['search', '--force-with-lease']);
    expect(dash.code).toBe(2);
    expect(dash.err).toContain('kb search -- --force-with-lease');
  });

  it('answers with citations from the fake Ollama, streamed, and as --json', async () => {
    const human = await kb(['ask', 'how do plants capture energy from sunlight'], { OLLAMA_HOST: fake.url });
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/\[1\]/);
    expect(human.out).toContain('Sources:');
    expect(human.out).toMatch(/\[1\] plants\.md/);
    const json = JSON.parse((await kb(['ask', '--json', 'how do plants capture energy from sunlight'], { OLLAMA_HOST: fake.url })).out);
    expect(json.citations[0]).toMatchObject({ n: 1, documentName: 'plants.md' });
    expect(json.answer.slice(json.markers[0].start, json.markers[0].end)).toMatch(/^\[\d/);
    const [request] = fake.chatRequests();
    expect(request?.body.model).toBe('llama3.2');
  });

  it('fails fast with exit 4 and how to enable it when no Ollama answers, or the model is missing', async () => {
    const started = Date.now();
    const down = await kb(['ask', 'how do plants capture energy'], { OLLAMA_HOST: `127.0.0.1:${await closedPort()}` });
    expect(down.code).toBe(4);
    expect(down.err).toContain('Start Ollama');
    expect(Date.now() - started).toBeLessThan(30_000);
    const missing = await kb(['ask', '--model', 'mistral', 'how do plants capture energy'], { OLLAMA_HOST: fake.url });
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('ollama pull mistral');
  });
});
