import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';
import { freePort } from '../services/freePort';
import { startPgvector, type PgvectorService } from '../services/pgvectorServer';

/** Runs the CLI in a fresh process on `dataDir`, with `input` piped on stdin (not a terminal). */
function cli(dataDir: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, RELATIONAL_DB_PASSWORD: '', QCKSTRT_DATA_DIR: dataDir, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr, all: `${res.stdout}\n${res.stderr}` };
}

const json = (r: { out: string }) => JSON.parse(r.out);

// Each command is a fresh process (most start the service and load the model): room for a busy machine.
describe('kb settings and kb test-connection', { timeout: 300_000 }, () => {
  const data = tempDir();
  const kb = (...args: string[]) => cli(data.path, args);
  afterAll(() => data.cleanup());

  it('shows the settings and the profile they match; --json has the public shape', () => {
    const human = kb('settings');
    expect(human.code).toBe(0);
    expect(human.out.split('\n')[0]).toBe('profile: Embedded (embedded)');
    expect(human.out).toContain('relational.provider = sqlite');
    expect(human.out).toContain('relational.postgres.password = (not set)');
    expect(human.out).toContain('ingest.exclude = ["**/.*","**/node_modules","**/__pycache__"]');

    const res = json(kb('settings', '--json'));
    expect(res.profile).toBe('embedded');
    expect(res.settings.relational.postgres).toMatchObject({ host: 'localhost', port: 5432, passwordSet: false });
    expect(res.settings.relational.postgres).not.toHaveProperty('password');
    expect(res.settings.vector.provider).toBe('embedded');
  });

  it('sets values by the schema’s types, and names the path and the rule when one is invalid (exit 5)', () => {
    const port = kb('settings', 'set', 'relational.postgres.port', '5433');
    expect(port.code).toBe(0);
    expect(port.out).toContain('relational.postgres.port = 5433');
    expect(kb('settings', 'set', 'relational.postgres.ssl', 'yes').out).toContain('relational.postgres.ssl = true');
    const list = kb('settings', 'set', 'ingest.exclude', '["**/.*","**/build"]', '--json');
    expect(list.code).toBe(0);
    expect(json(list)).toMatchObject({ saved: true, settings: { ingest: { exclude: ['**/.*', '**/build'] } } });

    // Every rule is covered in settingPath.test.ts; here, that the CLI reports them with exit 5.
    const cases: [string[], RegExp][] = [
      [['relational.postgres.port', '70000'], /relational\.postgres\.port: Too big: expected number to be <=65535/],
      [['relational.postgres.prot', '1'], /Unknown setting "relational\.postgres\.prot"\. relational\.postgres has: host, port,/],
    ];
    for (const [args, message] of cases) {
      const res = kb('settings', 'set', ...args);
      expect(res.code, args.join(' ')).toBe(5);
      expect(res.err).toMatch(message);
    }
    const asJson = kb('settings', 'set', 'relational.postgres.port', '0', '--json');
    expect(asJson.code).toBe(5);
    expect(json(asJson).error).toMatchObject({ kind: 'ValidationError', message: expect.stringContaining('relational.postgres.port') });

    const after = json(kb('settings', '--json')).settings;
    expect(after.relational.postgres).toMatchObject({ port: 5433, ssl: true });
    expect(after.ingest.exclude).toEqual(['**/.*', '**/build']);
  });

  it('takes the password from a pipe, the environment or a prompt, never from the command line, and never prints it', () => {
    const secret = 'pipe-Secret-7f3a';
    const piped = cli(data.path, ['settings', 'set', 'relational.postgres.password', '-'], { input: `${secret}\n` });
    expect(piped.code).toBe(0);
    expect(piped.out).toContain('relational.postgres.password: set');
    const shown = [piped, kb('settings'), kb('settings', '--json'), kb('test-connection', '--json')];
    for (const r of shown) expect(r.all).not.toContain(secret);
    expect(json(kb('settings', '--json')).settings.relational.postgres.passwordSet).toBe(true);
    // Only in the owner-only secrets file, never in settings.json.
    expect(readFileSync(join(data.path, 'settings.json'), 'utf8')).not.toContain(secret);
    expect(statSync(join(data.path, 'secrets.json')).mode & 0o777).toBe(0o600);

    const onCommandLine = kb('settings', 'set', 'relational.postgres.password', 'hunter2-Secret');
    expect(onCommandLine.code).toBe(5);
    expect(onCommandLine.err).toMatch(/pass - and type it/);
    expect(onCommandLine.all).not.toContain('hunter2-Secret');

    const cleared = kb('settings', 'set', 'relational.postgres.password', 'null');
    expect(cleared.out).toContain('relational.postgres.password: not set');
    const none = kb('settings', 'set', 'relational.postgres.password', '-');
    expect(none.code).toBe(5);
    expect(none.err).toMatch(/No password given/);
    const fromEnv = cli(data.path, ['settings', 'set', 'relational.postgres.password', '-'], { env: { RELATIONAL_DB_PASSWORD: 'env-Secret-91' } });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.all).not.toContain('env-Secret-91');
    expect(kb('settings', 'set', 'relational.postgres.password', 'null').code).toBe(0);
  });

  it('tests the configured connections: health, latency and message; exit 4 when the servers cannot be reached', async () => {
    const ok = kb('test-connection', '--json');
    expect(ok.code).toBe(0);
    const res = json(ok);
    expect(res.relational).toMatchObject({ provider: 'sqlite', available: true, message: expect.stringContaining('kb.sqlite') });
    expect(res.vector).toMatchObject({ provider: 'embedded', available: true, message: expect.stringMatching(/^sqlite-vec/) });
    expect(typeof res.relational.latencyMs).toBe('number');
    expect(kb('test-connection').out).toMatch(/^relational sqlite: available \(\d+\.\d ms\)/);

    // Servers configured by the environment, nothing listening on their ports.
    const [pgPort, chromaPort] = [await freePort(), await freePort()];
    const env = {
      RELATIONAL_DB_PROVIDER: 'postgres',
      RELATIONAL_DB_HOST: '127.0.0.1',
      RELATIONAL_DB_PORT: String(pgPort),
      VECTOR_DB_PROVIDER: 'chromadb',
      VECTOR_DB_CHROMA_URL: `http://127.0.0.1:${chromaPort}`,
    };
    const down = cli(data.path, ['test-connection', '--json'], { env });
    expect(down.code).toBe(4);
    const unreachable = json(down);
    expect(unreachable.relational).toMatchObject({ provider: 'postgres', available: false, message: expect.stringContaining(String(pgPort)) });
    expect(unreachable.vector).toMatchObject({ provider: 'chromadb', available: false, message: expect.stringContaining(String(chromaPort)) });
    const human = cli(data.path, ['test-connection'], { env });
    expect(human.code).toBe(4);
    expect(human.out).toMatch(/relational postgres: UNAVAILABLE/);
    expect(human.out).toMatch(/vector {5}chromadb: UNAVAILABLE/);
  });

  it('refuses an unknown profile, listing the profiles', () => {
    const res = kb('settings', 'profile', 'mongo');
    expect(res.code).toBe(5);
    expect(res.err).toMatch(/Unknown profile "mongo"\. Profiles: embedded \(Embedded\), local-stack/);
    const badUrl = kb('settings', 'profile', 'consolidated', '--url', 'mysql://x');
    expect(badUrl.code).toBe(5);
    expect(badUrl.err).toMatch(/--url: A connection string starts with postgres:\/\//);
  });
});

describe('kb settings profile with a plan, on a real PostgreSQL with pgvector', { timeout: 600_000 }, () => {
  let pg: PgvectorService;
  const data = tempDir();
  const files = tempDir();
  const secret = 'url-Secret-5c1e';
  const kb = (...args: string[]) => cli(data.path, args);
  beforeAll(async () => {
    pg = await startPgvector();
  }, 240_000);
  afterAll(async () => {
    await pg?.dispose();
    data.cleanup();
    files.cleanup();
  });

  it('shows the plan and refuses without --yes off a terminal, then copies the library and reports its figures', () => {
    writeFiles(files.path, TOPICS);
    expect(kb('index', files.path, '--json').code).toBe(0);
    const url = `postgres://postgres:${secret}@127.0.0.1:${pg.port}/${pg.database}`;
    const outputs: string[] = [];

    const refused = kb('settings', 'profile', 'consolidated', '--url', url);
    outputs.push(refused.all);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('Consolidated: One PostgreSQL server holds rows and vectors');
    expect(refused.out).toMatch(/relational sqlite \(SQLite in the data folder\) → postgres \(PostgreSQL postgres@127\.0\.0\.1:\d+\/qckstrt\)/);
    expect(refused.out).toMatch(/vector {5}embedded \(sqlite-vec in the data folder\) → pgvector/);
    expect(refused.out).toMatch(/now {8}4 documents, \d+ chunks, \d+ vectors, \d+ keyword entries/);
    expect(refused.out).toMatch(/test {7}relational postgres: available/);
    expect(refused.out).toMatch(/ways {7}copy \(chosen\)/);
    expect(refused.err).toMatch(/run the same command with --yes/);
    expect(json(kb('settings', '--json')).profile).toBe('embedded');

    const badStrategy = kb('settings', 'profile', 'consolidated', '--url', url, '--yes', '--strategy', 'teleport');
    outputs.push(badStrategy.all);
    expect(badStrategy.code, badStrategy.err).toBe(5);
    expect(badStrategy.err).toMatch(/--strategy takes copy, reindex, switch; got "teleport"/);

    const applied = kb('settings', 'profile', 'consolidated', '--url', url, '--yes', '--json');
    outputs.push(applied.all);
    expect(applied.code, applied.err).toBe(0);
    const res = json(applied);
    expect(res).toMatchObject({ applied: true, plan: { changesStores: true, source: { documents: 4 }, strategies: expect.arrayContaining(['copy']) } });
    expect(res.status).toMatchObject({ strategy: 'copy', state: 'done', to: { relational: 'postgres', vector: 'pgvector' } });

    const settings = kb('settings', '--json');
    outputs.push(settings.all);
    expect(json(settings)).toMatchObject({ profile: 'consolidated', settings: { relational: { provider: 'postgres', postgres: { port: pg.port, passwordSet: true } } } });

    const status = kb('status', '--json');
    outputs.push(status.all);
    const s = json(status);
    expect(s.relational).toMatchObject({ provider: 'postgres', available: true });
    expect(s.counts).toMatchObject({ documents: 4 });
    expect(s.counts.vectors).toBe(s.counts.chunks);
    expect(s.metrics.pool).toMatchObject({ max: 10 });
    expect(s.metrics.pool.total).toBeGreaterThanOrEqual(1);
    expect(s.metrics.storage.relationalBytes).toBeGreaterThan(0);
    expect(s.metrics.storage.vectorBytes).toBeGreaterThan(0);
    expect(s.metrics.search).toMatchObject({ count: 0, recent: [] });

    const human = kb('status');
    outputs.push(human.all);
    expect(human.out).toMatch(/^library {4}4 documents, \d+ chunks; \d+ vectors, \d+ keyword entries$/m);
    expect(human.out).toMatch(/^storage {4}relational \d+(\.\d)? (KB|MB) · vectors \d+(\.\d)? (KB|MB) · originals \d+ B$/m);
    expect(human.out).toMatch(/^pool {7}\d+ of 10 PostgreSQL connections open \(\d+ idle, 0 waiting\)$/m);

    const tested = kb('test-connection');
    outputs.push(tested.all);
    expect(tested.code).toBe(0);
    expect(tested.out).toMatch(/vector {5}pgvector: available \(\d+\.\d ms\) — pgvector/);

    const search = kb('search', 'who won the championship game', '--k', '1', '--json');
    expect(json(search).hits[0].documentName).toBe('football.txt');
    for (const o of outputs) expect(o).not.toContain(secret);
  });
});
