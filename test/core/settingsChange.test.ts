import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeSettings, type ChangeIo } from '../../core/cli/providerChangeCommand';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

/** The CLI's apply path in-process, with a terminal's yes/no answered by the test. */
describe('a settings change that moves a store is planned, confirmed and applied', { timeout: 120_000 }, () => {
  const files = tempDir();
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
    await indexAndWait(t.service, writeFiles(files.path, TOPICS));
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    files.cleanup();
  });

  const terminal = (answer: boolean) => {
    const io = { lines: [] as string[], asked: [] as string[], progress: [] as string[] };
    const adapter: ChangeIo = {
      out: (l) => io.lines.push(l),
      err: (l) => io.lines.push(l),
      progress: (l) => io.progress.push(l),
      confirm: async (q) => {
        io.asked.push(q);
        return answer;
      },
    };
    return { io, adapter };
  };

  it('changes nothing when the answer is no', async () => {
    const { io, adapter } = terminal(false);
    const outcome = await changeSettings(t.service, { vector: { generation: 'b2' } }, { json: false, yes: false }, adapter);
    expect(outcome).toMatchObject({ kind: 'not-applied', code: 0 });
    expect(io.asked).toEqual(['Apply this change (copy)?']);
    expect(io.lines.join('\n')).toMatch(/vector {5}embedded \(sqlite-vec in the data folder\) → embedded \(sqlite-vec in the data folder \(index b2\)\)/);
    expect((await t.service.getSettings()).vector.generation).toBe('');
  });

  it('applies the chosen strategy with a progress line when the answer is yes, and the library comes along', async () => {
    const { io, adapter } = terminal(true);
    const outcome = await changeSettings(t.service, { vector: { generation: 'b2' } }, { json: false, yes: false, strategy: 'reindex' }, adapter);
    expect(io.asked).toEqual(['Apply this change (reindex)?']);
    expect(outcome).toMatchObject({ kind: 'applied', status: { strategy: 'reindex', state: 'done' } });
    expect(io.progress.some((l) => l.startsWith('reindex: '))).toBe(true);
    expect((await t.service.getSettings()).vector.generation).toBe('b2');
    const status = await t.service.getStatus();
    expect(status.counts).toMatchObject({ documents: 4, vectors: status.counts.chunks });
    const res = await t.service.search({ query: 'who won the championship game', k: 1 });
    expect(res.hits[0]?.documentName).toBe('football.txt');
  });

  it('saves a change that moves no store without a plan or a question', async () => {
    const { io, adapter } = terminal(false);
    const outcome = await changeSettings(t.service, { vector: { timeoutMs: 20_000 }, ingest: { chunkOverlap: 100 } }, { json: false, yes: false }, adapter);
    expect(outcome).toMatchObject({ kind: 'saved', settings: { vector: { timeoutMs: 20_000 }, ingest: { chunkOverlap: 100 } } });
    expect(io.asked).toEqual([]);
    expect(io.lines).toEqual([]);
  });

  it('refuses a strategy the plan does not offer', async () => {
    const { adapter } = terminal(true);
    await expect(changeSettings(t.service, { vector: { generation: 'c3' } }, { json: false, yes: true, strategy: 'switch' }, adapter)).rejects.toMatchObject({
      kind: 'ValidationError',
      message: expect.stringMatching(/--strategy switch is not possible for this change; it can be applied with: copy/),
    });
  });
});

describe('a provider change that environment variables would undo', { timeout: 60_000 }, () => {
  it('is blocked in the plan, naming the variables, and nothing is saved', async () => {
    const pinned = await startTestService({ VECTOR_DB_PROVIDER: 'embedded', RELATIONAL_DB_PORT: '5433' });
    try {
      const plan = await pinned.service.planProviderChange({ vector: { generation: 'b2' } });
      expect(plan.blockers).toEqual([]);
      const moved = await pinned.service.planProviderChange({ vector: { provider: 'pgvector' }, relational: { provider: 'postgres' } });
      expect(moved.strategies).toEqual([]);
      expect(moved.blockers.join(' ')).toContain('The environment sets RELATIONAL_DB_PORT, VECTOR_DB_PROVIDER, which win over Settings');
      await expect(pinned.service.applyProviderChange({ patch: { vector: { provider: 'chromadb' } }, strategy: 'copy' })).rejects.toThrow(/VECTOR_DB_PROVIDER/);
      expect((await pinned.service.getSettings()).vector.provider).toBe('embedded');
    } finally {
      await pinned.dispose();
    }
  });
});
