import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';

const data = tempDir();
const files = tempDir();

function kb(...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QCKSTRT_DATA_DIR: data.path },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

// Each command is a fresh process that loads the model: give the file room on a busy machine.
describe('kb CLI', { timeout: 120_000 }, () => {
  afterAll(() => {
    data.cleanup();
    files.cleanup();
  });

  it('prints usage and exits 2 on a bad command or option', () => {
    expect(kb().code).toBe(2);
    expect(kb('frobnicate').err).toContain('Unknown command');
    expect(kb('search', 'x', '--k', 'many').code).toBe(2);
    const help = kb('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('index <paths…>');
  });

  it('indexes, lists, searches and deletes, with --json for scripts', () => {
    writeFiles(files.path, TOPICS);
    const index = kb('index', files.path, '--json');
    expect(index.code).toBe(0);
    const indexed = JSON.parse(index.out);
    expect(indexed.jobs).toHaveLength(4);
    expect(indexed.jobs.every((j: { state: string }) => j.state === 'done')).toBe(true);

    const search = kb('search', 'who won the championship game', '--k', '2', '--json');
    expect(search.code).toBe(0);
    const hits = JSON.parse(search.out).hits;
    expect(hits).toHaveLength(2);
    expect(hits[0].documentName).toBe('football.txt');

    const human = kb('search', 'photosynthesis in leaves');
    expect(human.out).toMatch(/^1\. plants\.md — Photosynthesis {2}\(\d+% · (strong|partial|weak) match\)/);

    const docs = JSON.parse(kb('docs', '--json').out);
    expect(docs.map((d: { name: string }) => d.name).sort()).toEqual(Object.keys(TOPICS).sort());
    const plant = docs.find((d: { name: string }) => d.name === 'plants.md');
    expect(kb('delete', plant.id, '--json').out).toContain('"deleted":true');
    expect(JSON.parse(kb('docs', '--json').out)).toHaveLength(3);
  });

  it('exits 3 for an unknown document and 1 when some files fail', () => {
    const missing = kb('delete', 'no-such-id', '--json');
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.out)).toEqual({ error: { kind: 'NotFound', message: 'No document with id no-such-id' } });
    const partial = kb('index', join(files.path, 'taxes.txt'), join(files.path, 'missing.md'));
    expect(partial.code).toBe(1);
    expect(partial.out).toContain('missing.md — failed: Cannot read');
    expect(partial.out).toMatch(/1 unchanged.*1 failed/);
  });

  it('reports provider and model health in status --json', () => {
    const status = kb('status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({
      dataDir: data.path,
      relational: { provider: 'sqlite', available: true },
      vector: { provider: 'embedded', available: true },
      embedding: { modelId: 'qckstrt/glove-sg-100d', ready: true },
      documents: 3,
    });
  });
});
