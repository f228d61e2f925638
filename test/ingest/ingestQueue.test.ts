import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KbError } from '../../core/api/errors';
import { settingsSchema } from '../../core/api/settings';
import { FileStore } from '../../core/ingest/fileStore';
import { IngestMeter } from '../../core/ingest/ingestMeter';
import { IngestQueue } from '../../core/ingest/ingestQueue';
import { PauseGate } from '../../core/ingest/pauseGate';
import type { ParsedDocument } from '../../core/ingest/parsers';
import { openStores, type Stores } from '../../core/service/providers';
import { writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';

/** A parser that never finishes on its own: only an abort ends it, as a stuck PDF would. */
const hangingParse = (_bytes: Uint8Array, fileName: string, signal: AbortSignal) =>
  new Promise<ParsedDocument>((_resolve, reject) => {
    const stop = () => reject(new KbError('Cancelled', `Reading ${fileName} was cancelled.`));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });

describe('IngestQueue with a parser that hangs', () => {
  let stores: Stores | undefined;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await stores?.close();
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  async function makeQueue(startAfter?: () => Promise<void>) {
    const data = tempDir('qckstrt-queue-');
    const docs = tempDir('qckstrt-queue-docs-');
    dirs.push(data, docs);
    const settings = settingsSchema.parse({});
    stores = openStores(settings, data.path);
    await stores.relational.connect();
    await stores.relational.ensureUser('u', 'u@example.invalid');
    await stores.vector.connect(4);
    const s = stores;
    const queue = new IngestQueue({
      relational: s.relational,
      vector: s.vector,
      transaction: (fn) => s.transaction(fn),
      tokenBudget: async () => undefined,
      embed: async (texts) => texts.map(() => new Float32Array([1, 0, 0, 0])),
      parse: hangingParse,
      files: new FileStore(join(data.path, 'files')),
      ingestSettings: () => settings.ingest,
      gate: new PauseGate(),
      ...(startAfter ? { startAfter } : {}),
      meter: new IngestMeter(),
      onProgress: () => {},
      onStats: () => {},
      onDocumentsChanged: () => {},
    });
    return { queue, stores: s, paths: writeFiles(docs.path, { 'stuck.pdf': '%PDF-1.4 stuck', 'next.pdf': '%PDF-1.4 next' }) };
  }

  const stateOf = async (s: Stores, name: string) => (await s.relational.listJobs('u', 10)).find((j) => j.fileName === name)?.state;

  it('cancels the file being parsed at once, and the next one starts', async () => {
    const { queue, stores: s, paths } = await makeQueue();
    const accepted = await queue.enqueuePaths('u', paths);
    await expect.poll(() => stateOf(s, 'next.pdf')).toBe('queued');
    await expect.poll(() => stateOf(s, 'stuck.pdf')).toBe('parsing');
    const stuck = accepted.jobs.find((j) => j.fileName === 'stuck.pdf')!;
    expect(await queue.cancel({ jobId: stuck.jobId })).toBe(1);
    await expect.poll(() => stateOf(s, 'stuck.pdf')).toBe('cancelled');
    await expect.poll(() => stateOf(s, 'next.pdf')).toBe('parsing');
    await queue.close();
    // Closing stopped the second parse too, leaving its job to resume at the next start.
    expect(await stateOf(s, 'next.pdf')).toBe('parsing');
    expect((await s.relational.unfinishedJobs()).map((j) => j.fileName)).toEqual(['next.pdf']);
  });

  it('starts no work until startAfter settles (start-up reconciliation)', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { queue, stores: s, paths } = await makeQueue(() => held);
    await queue.enqueuePaths('u', paths);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stateOf(s, 'stuck.pdf')).toBe('queued');
    release();
    await expect.poll(() => stateOf(s, 'stuck.pdf')).toBe('parsing');
    await queue.close();
  });
});

describe('IngestQueue after a stop between storing a document and marking its job done', () => {
  it('marks the job done, not "unchanged", when its own earlier attempt stored the document', async () => {
    const data = tempDir('qckstrt-queue-');
    const docs = tempDir('qckstrt-queue-docs-');
    const settings = settingsSchema.parse({});
    const stores = openStores(settings, data.path);
    try {
      await stores.relational.connect();
      await stores.relational.ensureUser('u', 'u@example.invalid');
      await stores.vector.connect(4);
      const relational = stores.relational;
      // The process "dies" right after the document is stored: from the moment the job would be
      // marked done, nothing more reaches the database.
      let dead = false;
      const dyingStore = new Proxy(relational, {
        get(target, prop, receiver) {
          if (prop === 'updateJob') {
            return async (id: string, update: { state?: string }) => {
              if (dead || update.state === 'done') {
                dead = true;
                throw new KbError('Cancelled', 'the app stopped');
              }
              return target.updateJob(id, update as never);
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const queueOn = (relationalStore: typeof relational) =>
        new IngestQueue({
          relational: relationalStore,
          vector: stores.vector,
          transaction: (fn) => stores.transaction(fn),
          tokenBudget: async () => undefined,
          embed: async (texts) => texts.map(() => new Float32Array([1, 0, 0, 0])),
          parse: async (bytes) => ({ text: new TextDecoder().decode(bytes), mimeType: 'text/plain' }),
          files: new FileStore(join(data.path, 'files')),
          ingestSettings: () => settings.ingest,
          gate: new PauseGate(),
          meter: new IngestMeter(),
          onProgress: () => {},
          onStats: () => {},
          onDocumentsChanged: () => {},
        });
      const paths = writeFiles(docs.path, { 'note.txt': 'A note about sourdough starters.' });
      const first = queueOn(dyingStore);
      await first.enqueuePaths('u', paths);
      await first.idle().catch(() => {});
      const [job] = await relational.listJobs('u', 10);
      expect(job?.state).toBe('storing');
      expect((await relational.listDocuments('u')).map((d) => d.name)).toEqual(['note.txt']);
      await first.close();

      const second = queueOn(relational);
      expect(await second.resume()).toBe(1);
      await second.idle();
      expect(await relational.getJob(job!.id)).toMatchObject({ state: 'done', note: null, chunksDone: 1, chunksTotal: 1 });
      await second.close();
    } finally {
      await stores.close();
      data.cleanup();
      docs.cleanup();
    }
  });
});
