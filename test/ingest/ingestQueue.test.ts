import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KbError } from '../../core/api/errors';
import { settingsSchema } from '../../core/api/settings';
import { FileStore } from '../../core/ingest/fileStore';
import { IngestMeter } from '../../core/ingest/ingestMeter';
import { IngestQueue, type IngestDeps } from '../../core/ingest/ingestQueue';
import { PauseGate } from '../../core/ingest/pauseGate';
import type { ParsedDocument } from '../../core/ingest/parsers';
import { openStores } from '../../core/service/providers';
import { writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';

/** A parser that never finishes on its own: only an abort ends it, as a stuck PDF would. */
const hangingParse = (_bytes: Uint8Array, fileName: string, signal: AbortSignal) =>
  new Promise<ParsedDocument>((_resolve, reject) => {
    const stop = () => reject(new KbError('Cancelled', `Reading ${fileName} was cancelled.`));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });


/**
 * Stores with user 'u' in a new data folder and a folder for documents (`write`), and queues on
 * them (`queueWith`): 4-d vectors, each file's bytes as its text, no listeners, unless `over`
 * says otherwise. `cleanup` closes the stores and removes both folders.
 */
async function queueFixture() {
  const data = tempDir('qckstrt-queue-');
  const docs = tempDir('qckstrt-queue-docs-');
  const settings = settingsSchema.parse({});
  const stores = openStores(settings, data.path);
  await stores.relational.connect();
  await stores.relational.ensureUser('u', 'u@example.invalid');
  await stores.vector.connect(4);
  const queueWith = (over: Partial<IngestDeps> = {}) =>
    new IngestQueue({
      relational: stores.relational,
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
      ...over,
    });
  const write = (files: Record<string, string>) => writeFiles(docs.path, files);
  const cleanup = async () => {
    await stores.close();
    data.cleanup();
    docs.cleanup();
  };
  return { stores, queueWith, write, cleanup };
}

type QueueFixture = Awaited<ReturnType<typeof queueFixture>>;

const stateOf = async (f: QueueFixture, name: string) => (await f.stores.relational.listJobs('u', 10)).find((j) => j.fileName === name)?.state;

describe('IngestQueue with a parser that hangs', () => {
  let fixture: QueueFixture | undefined;
  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });

  async function makeQueue(startAfter?: () => Promise<void>) {
    const f = (fixture = await queueFixture());
    const queue = f.queueWith({ parse: hangingParse, ...(startAfter ? { startAfter } : {}) });
    return { queue, fixture: f, paths: f.write({ 'stuck.pdf': '%PDF-1.4 stuck', 'next.pdf': '%PDF-1.4 next' }) };
  }

  it('cancels the file being parsed at once, and the next one starts', async () => {
    const { queue, fixture: s, paths } = await makeQueue();
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
    expect((await s.stores.relational.unfinishedJobs()).map((j) => j.fileName)).toEqual(['next.pdf']);
  });

  it('starts no work until startAfter settles (start-up reconciliation)', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { queue, fixture: s, paths } = await makeQueue(() => held);
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
    const f = await queueFixture();
    try {
      const relational = f.stores.relational;
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
      const paths = f.write({ 'note.txt': 'A note about sourdough starters.' });
      const first = f.queueWith({ relational: dyingStore });
      await first.enqueuePaths('u', paths);
      await first.idle().catch(() => {});
      const [job] = await relational.listJobs('u', 10);
      expect(job?.state).toBe('storing');
      expect((await relational.listDocuments('u')).map((d) => d.name)).toEqual(['note.txt']);
      await first.close();

      const second = f.queueWith();
      expect(await second.resume()).toBe(1);
      await second.idle();
      expect(await relational.getJob(job!.id)).toMatchObject({ state: 'done', note: null, chunksDone: 1, chunksTotal: 1 });
      await second.close();
    } finally {
      await f.cleanup();
    }
  });
});

describe('IngestQueue reading ahead', () => {
  let fixture: QueueFixture | undefined;
  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });

  /**
   * A queue whose embedding waits while `hold` is set (released by `release()`), and whose parser
   * records each call and can be made to hang (until aborted) or fail for a file name.
   */
  async function makeQueue() {
    const f = (fixture = await queueFixture());
    const parsed: string[] = [];
    const parseSignals = new Map<string, AbortSignal>();
    const hang = new Set<string>();
    const fail = new Set<string>();
    let held: Promise<void> | undefined;
    let release = () => {};
    const control = {
      parsed,
      parseSignals,
      hang,
      fail,
      hold: () => (held = new Promise<void>((r) => (release = r))),
      release: () => {
        held = undefined;
        release();
      },
    };
    const queue = f.queueWith({
      embed: async (texts) => {
        await held;
        return texts.map(() => new Float32Array([1, 0, 0, 0]));
      },
      parse: (bytes, fileName, signal) => {
        parsed.push(fileName);
        parseSignals.set(fileName, signal);
        if (fail.has(fileName)) return Promise.reject(new KbError('UnsupportedFile', `${fileName} is damaged.`));
        if (hang.has(fileName)) return hangingParse(bytes, fileName, signal);
        return Promise.resolve({ text: new TextDecoder().decode(bytes), mimeType: 'text/plain' });
      },
    });
    return { queue, fixture: f, control, write: f.write };
  }

  it('parses the next file while the current one is embedded, each file once, and indexes all', async () => {
    const { queue, fixture: s, control, write } = await makeQueue();
    const paths = write({ 'a.txt': 'Alpha text about rivers.', 'b.txt': 'Beta text about mountains.', 'c.txt': 'Gamma text about deserts.' });
    control.hold();
    await queue.enqueuePaths('u', paths);
    await expect.poll(() => stateOf(s, 'a.txt')).toBe('embedding');
    // b is parsed while a waits for its embedding; c only once b's turn comes.
    await expect.poll(() => control.parsed).toEqual(['a.txt', 'b.txt']);
    expect(await stateOf(s, 'b.txt')).toBe('queued');
    control.release();
    await queue.idle();
    expect(control.parsed).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect((await s.stores.relational.listDocuments('u')).map((d) => d.name).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect((await s.stores.relational.listJobs('u', 10)).map((j) => j.state)).toEqual(['done', 'done', 'done']);
    await queue.close();
  });

  it('does not parse ahead a file that is unchanged since it was indexed', async () => {
    const { queue, fixture: s, control, write } = await makeQueue();
    const [a, b] = write({ 'a.txt': 'Alpha text about rivers.', 'b.txt': 'Beta text about mountains.' });
    await queue.enqueuePaths('u', [a!, b!]);
    await queue.idle();
    const [c] = write({ 'c.txt': 'Gamma text about deserts.' });
    control.parsed.length = 0;
    await queue.enqueuePaths('u', [c!, a!, b!]);
    await queue.idle();
    expect(control.parsed).toEqual(['c.txt']);
    const states = (await s.stores.relational.listJobs('u', 10)).map((j) => `${j.fileName} ${j.state}`);
    expect(states.filter((j) => j.endsWith('skipped')).sort()).toEqual(['a.txt skipped', 'b.txt skipped']);
    await queue.close();
  });

  it('cancelling a file being read ahead stops its parse; nothing of it is indexed', async () => {
    const { queue, fixture: s, control, write } = await makeQueue();
    control.hang.add('b.txt');
    const paths = write({ 'a.txt': 'Alpha text about rivers.', 'b.txt': 'Beta text about mountains.', 'c.txt': 'Gamma text about deserts.' });
    control.hold();
    const accepted = await queue.enqueuePaths('u', paths);
    await expect.poll(() => control.parsed).toContain('b.txt');
    const b = accepted.jobs.find((j) => j.fileName === 'b.txt')!;
    expect(await queue.cancel({ jobId: b.jobId })).toBe(1);
    expect(control.parseSignals.get('b.txt')?.aborted).toBe(true);
    control.release();
    await queue.idle();
    expect((await s.stores.relational.listDocuments('u')).map((d) => d.name).sort()).toEqual(['a.txt', 'c.txt']);
    expect(await stateOf(s, 'b.txt')).toBe('cancelled');
    await queue.close();
  });

  it('a file that fails while read ahead fails in its turn with its own reason, parsed once', async () => {
    const { queue, fixture: s, control, write } = await makeQueue();
    control.fail.add('b.txt');
    const paths = write({ 'a.txt': 'Alpha text about rivers.', 'b.txt': 'Beta text about mountains.', 'c.txt': 'Gamma text about deserts.' });
    control.hold();
    await queue.enqueuePaths('u', paths);
    await expect.poll(() => control.parsed).toContain('b.txt');
    expect(await stateOf(s, 'b.txt')).toBe('queued');
    control.release();
    await queue.idle();
    const b = (await s.stores.relational.listJobs('u', 10)).find((j) => j.fileName === 'b.txt');
    expect(b).toMatchObject({ state: 'failed', errorKind: 'UnsupportedFile', errorMessage: 'b.txt is damaged.' });
    expect(control.parsed.filter((n) => n === 'b.txt')).toHaveLength(1);
    expect(await stateOf(s, 'c.txt')).toBe('done');
    await queue.close();
  });

  it('closing while a file is read ahead stops it and leaves its job to resume', async () => {
    const { queue, fixture: s, control, write } = await makeQueue();
    control.hang.add('b.txt');
    const paths = write({ 'a.txt': 'Alpha text about rivers.', 'b.txt': 'Beta text about mountains.' });
    control.hold();
    await queue.enqueuePaths('u', paths);
    await expect.poll(() => control.parsed).toContain('b.txt');
    const closed = queue.close();
    expect(control.parseSignals.get('b.txt')?.aborted).toBe(true);
    control.release();
    await closed;
    expect((await s.stores.relational.unfinishedJobs()).map((j) => j.fileName).sort()).toEqual(['a.txt', 'b.txt']);
  });
});
