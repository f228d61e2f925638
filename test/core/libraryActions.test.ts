import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KbEvents } from '../../core/api/contract';
import { sha256 } from '../../core/ingest/fileStore';
import { startServer } from '../../core/server/httpServer';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

/** The library table's actions on the real service: several documents at once, re-index, reveal. */
describe('library actions on the real service', () => {
  const files = tempDir();
  const root = join(files.path, 'notes');
  let t: TestService;
  const docs = async () => t.service.listDocuments();
  const idOf = async (name: string) => (await docs()).find((d) => d.name === name)!.id;
  const vectorCount = async () => (await t.service.getStatus()).counts.vectors;
  const keywordHits = async (query: string) => (await t.service.search({ query, mode: 'keyword', k: 10 })).hits.map((h) => h.documentName);

  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => {
    await t.dispose();
    files.cleanup();
  });

  beforeEach(async () => {
    // Each test starts from the same four indexed files.
    const all = await docs();
    if (all.length) await t.service.deleteDocuments({ ids: all.map((d) => d.id) });
    rmSync(root, { recursive: true, force: true });
    writeFiles(root, { ...TOPICS });
    const jobs = await indexAndWait(t.service, [root]);
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
  });

  describe('deleteDocuments', () => {
    it('deletes each document with its vectors, counts unknown ids as missing, and tells the UI once', async () => {
      const vectorsBefore = await vectorCount();
      const events: KbEvents['documentsChanged'][] = [];
      const off = t.service.on('documentsChanged', (e) => events.push(e));
      const plants = await idOf('plants.md');
      const football = await idOf('football.txt');
      const r = await t.service.deleteDocuments({ ids: [plants, football, 'no-such-document'] });
      off();
      expect(r).toEqual({ deleted: 2, missing: 1 });
      expect((await docs()).map((d) => d.name).sort()).toEqual(['cooking.md', 'taxes.txt']);
      expect(events).toEqual([{ reason: 'deleted' }]);
      // Their vectors went with them (each topic is one chunk), and neither search finds them.
      expect(await vectorCount()).toBe(vectorsBefore - 2);
      expect(await keywordHits('chlorophyll sunlight')).toEqual([]);
      const meaning = await t.service.search({ query: 'football championship goals', mode: 'vector', k: 10 });
      expect(meaning.hits.map((h) => h.documentName)).not.toContain('football.txt');
    });

    it('counts a repeated id once and sends no event when nothing was deleted', async () => {
      const cooking = await idOf('cooking.md');
      expect(await t.service.deleteDocuments({ ids: [cooking, cooking] })).toEqual({ deleted: 1, missing: 0 });
      const events: unknown[] = [];
      const off = t.service.on('documentsChanged', (e) => events.push(e));
      expect(await t.service.deleteDocuments({ ids: [cooking] })).toEqual({ deleted: 0, missing: 1 });
      off();
      expect(events).toEqual([]);
    });

    it('deletes a thousand documents in one call quickly', async () => {
      const many = join(files.path, 'many');
      writeFiles(many, Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`n${i}.txt`, `Note number ${i} about topic ${i * 7}.`])));
      await indexAndWait(t.service, [many]);
      const ids = (await docs()).map((d) => d.id);
      expect(ids.length).toBe(64);
      const started = performance.now();
      const r = await t.service.deleteDocuments({ ids: [...ids, ...Array.from({ length: 936 }, (_, i) => `gone-${i}`)] });
      const ms = performance.now() - started;
      expect(r).toEqual({ deleted: 64, missing: 936 });
      expect(await docs()).toEqual([]);
      expect(await vectorCount()).toBe(0);
      expect(ms).toBeLessThan(5000);
    });
  });

  describe('reindexDocuments', () => {
    it('indexes an unchanged file again (not skipped), keeping its id and date added', async () => {
      const before = (await docs()).find((d) => d.name === 'plants.md')!;
      const accepted = await t.service.reindexDocuments({ ids: [before.id] });
      expect(accepted.jobs).toHaveLength(1);
      expect(accepted.jobs[0]).toMatchObject({ fileName: 'plants.md', state: 'queued', documentId: before.id });
      await t.service.idle();
      const job = (await t.service.listJobs()).find((j) => j.jobId === accepted.jobs[0]!.jobId)!;
      expect(job.state).toBe('done');
      const after = (await docs()).find((d) => d.name === 'plants.md')!;
      expect(after.id).toBe(before.id);
      expect(after.createdAt).toBe(before.createdAt);
      expect(after.updatedAt > before.updatedAt).toBe(true);
      expect(await keywordHits('chlorophyll')).toEqual(['plants.md']);
      expect((await docs()).length).toBe(4);
    });

    it('reads the source file when it still exists, so an edit is picked up', async () => {
      const id = await idOf('taxes.txt');
      writeFileSync(join(root, 'taxes.txt'), 'Glaciers carve deep valleys as the ice slowly moves downhill.\n');
      await t.service.reindexDocuments({ ids: [id] });
      await t.service.idle();
      expect(await keywordHits('glaciers valleys')).toEqual(['taxes.txt']);
      expect(await keywordHits('citizens deductions audits')).toEqual([]); // the old text is gone
      const doc = (await docs()).find((d) => d.id === id)!;
      expect(doc.contentHash).toBe(sha256(Buffer.from('Glaciers carve deep valleys as the ice slowly moves downhill.\n')));
    });

    it('falls back to the copy kept in the data folder when the source is gone', async () => {
      const id = await idOf('cooking.md');
      const vectorsBefore = await vectorCount();
      rmSync(join(root, 'cooking.md'));
      const accepted = await t.service.reindexDocuments({ ids: [id] });
      await t.service.idle();
      const job = (await t.service.listJobs()).find((j) => j.jobId === accepted.jobs[0]!.jobId)!;
      expect(job).toMatchObject({ state: 'done', documentId: id });
      expect(await keywordHits('flour yeast dough')).toEqual(['cooking.md']);
      expect(await vectorCount()).toBe(vectorsBefore);
    });

    it('re-indexes an upload from its kept copy', async () => {
      await t.service.ingestUpload({ name: 'ice.txt', bytes: new TextEncoder().encode('Penguins huddle together on the Antarctic ice.') });
      await t.service.idle();
      const id = await idOf('ice.txt');
      const accepted = await t.service.reindexDocuments({ ids: [id] });
      await t.service.idle();
      expect((await t.service.listJobs()).find((j) => j.jobId === accepted.jobs[0]!.jobId)?.state).toBe('done');
      expect(await keywordHits('penguins antarctic')).toEqual(['ice.txt']);
    });

    it('fails a file whose source and kept copy are both gone, saying so, and leaves the others done', async () => {
      const football = (await docs()).find((d) => d.name === 'football.txt')!;
      const plants = await idOf('plants.md');
      rmSync(join(root, 'football.txt'));
      const kept = join(t.dataDir, 'files', football.contentHash.slice(0, 2), football.contentHash);
      renameSync(kept, `${kept}.away`);
      try {
        const accepted = await t.service.reindexDocuments({ ids: [football.id, plants] });
        await t.service.idle();
        const jobs = (await t.service.listJobs()).filter((j) => j.batchId === accepted.batchId);
        const failed = jobs.find((j) => j.fileName === 'football.txt')!;
        expect(failed.state).toBe('failed');
        expect(failed.error).toMatchObject({ kind: 'NotFound' });
        expect(failed.error!.message).toMatch(/football\.txt.*no longer exists.*copy kept in the data folder is missing/);
        expect(jobs.find((j) => j.fileName === 'plants.md')?.state).toBe('done');
        // Nothing was lost: the document is still searchable from what was indexed.
        expect(await keywordHits('championship stadium')).toEqual(['football.txt']);
      } finally {
        renameSync(`${kept}.away`, kept);
      }
    });

    it('skips a document deleted while its job waited', async () => {
      const id = await idOf('plants.md');
      await t.service.pauseIngest();
      const accepted = await t.service.reindexDocuments({ ids: [id] });
      await t.service.deleteDocuments({ ids: [id] });
      await t.service.resumeIngest();
      await t.service.idle();
      const job = (await t.service.listJobs()).find((j) => j.jobId === accepted.jobs[0]!.jobId)!;
      expect(job).toMatchObject({ state: 'skipped', note: 'the document was deleted meanwhile' });
      expect((await docs()).map((d) => d.name)).not.toContain('plants.md');
    });

    it('leaves unknown ids out, and is NotFound when none is known', async () => {
      const id = await idOf('plants.md');
      const accepted = await t.service.reindexDocuments({ ids: [id, 'no-such-document'] });
      expect(accepted.jobs.map((j) => j.documentId)).toEqual([id]);
      await t.service.idle();
      await expect(t.service.reindexDocuments({ ids: ['no-such-document'] })).rejects.toMatchObject({ kind: 'NotFound' });
    });
  });

  describe('openDocument with reveal', () => {
    it('answers the source file while it exists, even edited since (that is where the file is)', async () => {
      const id = await idOf('football.txt');
      writeFileSync(join(root, 'football.txt'), 'Edited after indexing.');
      expect(await t.service.openDocument({ id, reveal: true })).toEqual({ opened: false, path: join(root, 'football.txt') });
      // Opening (not revealing) still answers the kept copy of what was indexed.
      expect((await t.service.openDocument({ id })).path).not.toBe(join(root, 'football.txt'));
    });

    it('answers the kept copy when the source moved away', async () => {
      const doc = (await docs()).find((d) => d.name === 'taxes.txt')!;
      renameSync(join(root, 'taxes.txt'), join(files.path, 'taxes-moved.txt'));
      expect(await t.service.openDocument({ id: doc.id, reveal: true })).toEqual({
        opened: false,
        path: join(t.dataDir, 'files', doc.contentHash.slice(0, 2), doc.contentHash),
      });
    });

    it('over HTTP answers the path (a browser cannot show a folder) and no URL', async () => {
      const server = await startServer({ service: t.service, staticDir: files.path, port: 0 });
      try {
        const id = await idOf('plants.md');
        const post = async (input: unknown) => {
          const res = await fetch(`http://127.0.0.1:${server.port}/api/openDocument`, {
            method: 'POST',
            headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
            body: JSON.stringify(input),
          });
          return res.json();
        };
        expect(await post({ id, reveal: true })).toEqual({ ok: true, value: { opened: false, path: join(root, 'plants.md') } });
        expect(await post({ id })).toEqual({ ok: true, value: { opened: false, url: `/api/documents/${id}/file` } });
        expect(await post({ id: 'gone', reveal: true })).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
      } finally {
        await server.close();
      }
    });
  });
});
