/**
 * WorkerEmbedder end to end: the real embed worker (worker thread, Transformers.js,
 * onnxruntime-node) on a tiny random BERT built by scripts/build-test-models.ts.
 *
 * The worker runs behind a small wrapper written to a temp folder (no test code in core/): it
 * reports every message in and out on a BroadcastChannel, and exits the worker thread when a
 * batch holds a crash marker text, like a native crash mid-batch would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BroadcastChannel, Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KbError } from '../../core/api/errors';
import { EMBED_BATCH_CHARS, EMBED_BATCH_SIZE, WorkerEmbedder, planBatches } from '../../core/embeddings/workerEmbedder';
import { ensureTestModel, type TestModel } from '../../scripts/build-test-models';

interface LogEntry {
  dir: 'in' | 'out';
  type: string;
  id?: number;
  ids?: number[];
  first?: string;
}

const CHANNEL = `qckstrt-embed-worker-test-${process.pid}`;
const embedWorkerUrl = pathToFileURL(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../core/embeddings/embed-worker.ts'),
).href;

/**
 * `CRASH_ONCE <tag>` exits the worker the first time a batch holds it; `CRASH_ALWAYS` every time;
 * `HOLD_RESULT` blocks the worker thread for 300 ms before it answers that batch.
 */
const wrapperSource = (markerDir: string) => `
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BroadcastChannel, parentPort } from 'node:worker_threads';

const channel = new BroadcastChannel(${JSON.stringify(CHANNEL)});
channel.unref();
const port = parentPort;
const held = new Set();
const firstText = new Map();
const post = port.postMessage.bind(port);
port.postMessage = (msg, transfer) => {
  // Answered batches also go to a file: a broadcast just before the thread exits can be lost.
  if (msg.type === 'result') appendFileSync(join(${JSON.stringify(markerDir)}, 'answered.log'), firstText.get(msg.id) + '\\n');
  // HOLD_RESULT: block this thread for 300 ms before answering, as a long synchronous step would.
  // It says so first ('holding'): the batch has run and its call is still in progress.
  if (held.delete(msg.id)) {
    channel.postMessage({ dir: 'out', type: 'holding', id: msg.id });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  }
  channel.postMessage({ dir: 'out', type: msg.type, id: msg.id });
  post(msg, transfer);
};
function crashIfAsked(msg) {
  if (msg.type !== 'embed') return;
  for (const text of msg.texts) {
    const once = /^CRASH_ONCE (\\w+)/.exec(text);
    if (once) {
      const marker = join(${JSON.stringify(markerDir)}, once[1]);
      if (!existsSync(marker)) {
        writeFileSync(marker, '');
        process.exit(70);
      }
    }
    if (text.startsWith('CRASH_ALWAYS')) process.exit(71);
  }
}
// Wrap the worker's own listener rather than adding one: the port buffers messages (init)
// until the first 'message' listener is attached.
const on = port.on.bind(port);
port.on = (event, handler) =>
  on(event, event !== 'message' ? handler : (msg) => {
    channel.postMessage({ dir: 'in', type: msg.type, id: msg.id, ids: msg.ids, first: msg.texts?.[0] });
    if (msg.type === 'embed') firstText.set(msg.id, msg.texts[0]);
    crashIfAsked(msg);
    if (msg.texts?.some((t) => t.startsWith('HOLD_RESULT'))) held.add(msg.id);
    return handler(msg);
  });
await import(${JSON.stringify(embedWorkerUrl)});
`;

const WORDS = (
  'the city river music history market water people government science school garden winter ' +
  'summer mountain ocean language computer energy travel family health policy design light ' +
  'story train forest island coffee library window paper bridge museum doctor village'
).split(' ');

/** Distinct, deterministic short texts. */
function makeTexts(count: number, words = 12, salt = 0): string[] {
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: words + (i % 5) }, (_, j) => WORDS[(i * 31 + j * 7 + salt * 13 + ((i * j) % 11)) % WORDS.length]).join(' '),
  );
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? NaN))), 0);
const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('planBatches', () => {
  it('caps each batch by text count and by characters, keeping order', () => {
    const short = 'x'.repeat(100);
    const long = 'y'.repeat(EMBED_BATCH_CHARS + 1);
    expect(planBatches(Array(20).fill(short))).toEqual([
      [0, EMBED_BATCH_SIZE],
      [EMBED_BATCH_SIZE, 2 * EMBED_BATCH_SIZE],
      [2 * EMBED_BATCH_SIZE, 20],
    ]);
    // A text over the budget goes alone; texts that fit share a batch.
    expect(planBatches([short, long, short, short, long], 8, EMBED_BATCH_CHARS)).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
      [4, 5],
    ]);
    expect(planBatches(['a', 'b', 'c'], 2, Infinity)).toEqual([
      [0, 2],
      [2, 3],
    ]);
    expect(planBatches([])).toEqual([]);
  });
});

describe('WorkerEmbedder on a tiny BERT in a worker thread', () => {
  let model: TestModel;
  let embedder: WorkerEmbedder;
  let tmp: string;
  let workerPath: string;
  let channel: BroadcastChannel;
  const log: LogEntry[] = [];
  const embedsIn = () => log.filter((e) => e.dir === 'in' && e.type === 'embed');
  const outFor = (id: number | undefined) => log.filter((e) => e.dir === 'out' && e.id === id);
  /** Waits until the log shows the worker's answer to the batch starting with `first`. */
  const untilAnswered = (first: string) =>
    until(() => outFor(embedsIn().find((e) => e.first === first)?.id ?? -1).length > 0, `the answer to "${first}"`);
  /** From now on (until the test ends), the first text of every batch posted to a worker, in order; the messages go on as usual. */
  const watchPostedBatches = () => {
    const spy = vi.spyOn(Worker.prototype, 'postMessage');
    return () =>
      spy.mock.calls
        .map(([m]) => m as { type?: string; texts?: string[] })
        .filter((m) => m.type === 'embed')
        .map((m) => m.texts?.[0]);
  };
  afterEach(() => vi.restoreAllMocks());

  beforeAll(async () => {
    model = ensureTestModel('tiny-bert');
    tmp = mkdtempSync(path.join(tmpdir(), 'qckstrt-embed-worker-'));
    workerPath = path.join(tmp, 'crashable-embed-worker.ts');
    writeFileSync(workerPath, wrapperSource(tmp));
    // An ES module (it uses top-level await), as it would be inside the repo.
    writeFileSync(path.join(tmp, 'package.json'), '{ "type": "module" }\n');
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e: unknown) => log.push((e as { data: LogEntry }).data);
    embedder = new WorkerEmbedder({
      location: { modelId: model.modelId, localModelPath: model.localModelPath, source: 'folder' },
      expectedDimensions: 0,
      maxTokens: 512,
      workerPath,
    });
    await embedder.ready();
  });

  afterAll(async () => {
    await embedder?.close();
    channel?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('reports the model hidden size and returns unit vectors of that size', async () => {
    expect(embedder.dimensions).toBe(model.hiddenSize);
    expect(embedder.status().ready).toBe(true);
    const [v] = await embedder.embed(['the river runs through the city']);
    expect(v).toBeInstanceOf(Float32Array);
    expect(v?.length).toBe(model.hiddenSize);
    expect(norm(v!)).toBeCloseTo(1, 5);
  });

  it('gives the same vectors batched as one text per call, in order, across several batches', async () => {
    // Short texts and chunk-sized ones, so both limits of planBatches cut batches.
    const texts = makeTexts(41).map((t, i) => (i % 7 === 3 ? makeTexts(1, 260, i)[0]! : t));
    const before = embedsIn().length;
    const batched = await embedder.embed(texts);
    const plan = planBatches(texts);
    expect(plan.length).toBeGreaterThan(5);
    await until(() => embedsIn().length >= before + plan.length, 'the batches');
    expect(embedsIn().slice(before).map((e) => e.first)).toEqual(plan.map(([start]) => texts[start]));
    expect(batched).toHaveLength(texts.length);
    const singles: Float32Array[] = [];
    for (const t of texts) singles.push(await embedder.embedQuery(t));
    for (let i = 0; i < texts.length; i++) {
      expect(batched[i]?.length).toBe(model.hiddenSize);
      expect(Math.abs(norm(batched[i]!) - 1)).toBeLessThan(1e-5);
      expect(maxAbsDiff(batched[i]!, singles[i]!)).toBeLessThan(1e-5);
    }
    // The texts really differ, so matching every position checks the order.
    for (let i = 1; i < texts.length; i++) expect(maxAbsDiff(singles[i]!, singles[i - 1]!)).toBeGreaterThan(1e-3);
  });

  it('keeps the next batch waiting in the worker while it answers one, never more than two', async () => {
    const texts = ['HOLD_RESULT the first batch is answered slowly', ...makeTexts(3 * EMBED_BATCH_SIZE, 10, 4)];
    const plan = planBatches(texts);
    expect(plan.length).toBeGreaterThan(2);
    const posted = watchPostedBatches();
    const before = log.length;
    const running = embedder.embed(texts);
    await until(() => log.slice(before).some((e) => e.type === 'holding'), 'the first batch to be held');
    // While the worker holds its answer to the first batch, the second is already there; the third is not.
    expect(posted()).toEqual([texts[plan[0]![0]], texts[plan[1]![0]]]);
    expect(await running).toHaveLength(texts.length);
    expect(posted()).toEqual(plan.map(([start]) => texts[start]));
  });

  it('retries a batch once when the worker dies during it, and keeps the order', async () => {
    const texts = makeTexts(2 * EMBED_BATCH_SIZE + 3, 10, 1);
    const [, second, third] = planBatches(texts);
    if (!second || !third) throw new Error('expected three batches');
    texts[second[0] + 1] = 'CRASH_ONCE retry the worker dies once on this batch';
    const before = embedsIn().length;
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    // The second batch crashes the worker and is sent again, once. Two batches are in the worker
    // at a time, so the one before or after it may have been there too and is sent again as well
    // (at most once); the retries keep the order.
    // From this call's first batch on: under load the previous test's last entry can land after `before` was read.
    const mine = () => {
      const firsts = embedsIn().slice(before).map((e) => e.first);
      return firsts.slice(firsts.indexOf(texts[0]));
    };
    const times = (text: string | undefined) => mine().filter((f) => f === text).length;
    await until(() => times(texts[second[0]]) === 2 && mine().at(-1) === texts[third[0]], 'the log of the retried batch');
    const firsts = mine();
    expect(times(texts[0])).toBeLessThanOrEqual(2);
    expect(times(texts[third[0]])).toBeLessThanOrEqual(2);
    expect(firsts.lastIndexOf(texts[0])).toBeLessThan(firsts.lastIndexOf(texts[second[0]]));
    expect(firsts.lastIndexOf(texts[second[0]])).toBeLessThan(firsts.lastIndexOf(texts[third[0]]));
    for (const i of [0, second[0] - 1, second[0], second[0] + 1, third[0], texts.length - 1]) {
      expect(maxAbsDiff(vectors[i]!, await embedder.embedQuery(texts[i]!))).toBeLessThan(1e-5);
    }
  });

  it('rejects with a clear error when the worker dies twice on the same batch, then keeps working', async () => {
    const texts = [...makeTexts(3, 8, 2), 'CRASH_ALWAYS this batch kills every worker'];
    const err = await embedder.embed(texts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KbError);
    expect(err).toMatchObject({ kind: 'Internal', message: expect.stringMatching(/stopped \(exit code 71\) twice on the same batch/) });

    const after = await embedder.embed(makeTexts(3, 8, 2));
    expect(after).toHaveLength(3);
    expect(norm(after[0]!)).toBeCloseTo(1, 5);
    expect(embedder.status().ready).toBe(true);
  });

  it('cancels: batches not yet sent are dropped, the running one finishes and is discarded', async () => {
    // Long texts (truncated at 512 tokens) so each batch takes a while.
    const texts = makeTexts(48, 600, 3);
    const controller = new AbortController();
    const before = embedsIn().length;
    // Batches of this call posted to the worker (two are there at a time).
    const postedBatches = watchPostedBatches();
    const posted = () => postedBatches().filter((first) => texts.includes(first ?? '')).length;
    const running = embedder.embed(texts, { signal: controller.signal });
    await until(() => embedsIn().slice(before).some((e) => texts.includes(e.first ?? '')), 'the first batch to reach the worker');
    controller.abort();
    const postedAtAbort = posted();
    const started = performance.now();
    const err = await running.catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(100); // at once, not after the batch
    expect(err).toBeInstanceOf(KbError);
    expect(err).toMatchObject({ kind: 'Cancelled' });
    expect(postedAtAbort).toBeLessThan(planBatches(texts).length);

    // Flush: a later request is answered after anything the worker was still doing.
    const [probe] = await embedder.embed(['a probe after the cancelled call']);
    expect(probe?.length).toBe(model.hiddenSize);
    await untilAnswered('a probe after the cancelled call');
    const fromCancelled = embedsIn()
      .slice(before)
      .filter((e) => texts.includes(e.first ?? ''));
    expect(posted()).toBe(postedAtAbort); // nothing was sent after the abort
    expect(fromCancelled.length).toBeLessThanOrEqual(postedAtAbort);
    // The batch in flight at the abort ran to its end (its result discarded) or, when the cancel
    // reached the worker before it started (a loaded machine), was dropped: never an error. The
    // worker answers in order, so with the probe answered its answer, if any, is in the log.
    const last = fromCancelled[fromCancelled.length - 1];
    expect(outFor(last?.id).every((e) => e.type === 'result')).toBe(true);
  });

  it('cancels a batch queued in the worker behind another caller’s batch: the worker drops it', async () => {
    // The first caller's batch holds the worker thread for 300 ms just before it answers (as
    // tokenizing and pooling a big batch do); the second caller's batch and its cancel arrive
    // meanwhile. The worker must see the cancel before it starts the queued batch.
    const busy = ['HOLD_RESULT a batch that keeps the worker busy'];
    const queuedText = 'a request queued behind it';
    const controller = new AbortController();
    const before = log.length;
    const busyCall = embedder.embed(busy);
    await until(() => log.slice(before).some((e) => e.type === 'embed' && e.first === busy[0]), 'the busy batch');
    const queuedCall = embedder.embed([queuedText], { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20)); // the host has posted it
    controller.abort();
    await expect(queuedCall).rejects.toMatchObject({ kind: 'Cancelled' });
    expect(await busyCall).toHaveLength(1);
    await embedder.embed(['flush the queue']);
    await untilAnswered('flush the queue');

    const events = log.slice(before);
    const queuedId = events.find((e) => e.first === queuedText)?.id;
    expect(queuedId).toBeDefined(); // it reached the worker…
    expect(events.some((e) => e.type === 'cancel' && e.ids?.includes(queuedId ?? -1))).toBe(true); // …so did the cancel…
    expect(outFor(queuedId)).toHaveLength(0); // …and it was never run nor answered.
  });

  it('closes while a batch runs: the batch finishes, the model is released and the thread exits by itself', async () => {
    // Terminating a thread inside an ONNX Runtime forward pass can abort the whole process, so
    // close() asks the worker to stop and never terminates one that does.
    const closing = new WorkerEmbedder({
      location: { modelId: model.modelId, localModelPath: model.localModelPath, source: 'folder' },
      expectedDimensions: 0,
      maxTokens: 512,
      workerPath,
    });
    await closing.ready();
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    try {
      const busy = 'HOLD_RESULT a batch running when the embedder closes';
      const queued = 'a batch queued behind it';
      const before = log.length;
      const running = closing.embed([busy]).catch((e: unknown) => e);
      const waiting = closing.embed([queued]).catch((e: unknown) => e);
      // Close once the batch is under way in the worker (a close that arrives while it is still
      // queued there drops it, as it does every queued batch).
      await until(() => {
        const sent = log.slice(before).find((e) => e.type === 'embed' && e.first === busy);
        return sent !== undefined && outFor(sent.id).some((e) => e.type === 'holding');
      }, 'the running batch');
      await closing.close();
      expect(terminate).not.toHaveBeenCalled();
      await expect(running).resolves.toMatchObject({ kind: 'Cancelled' });
      await expect(waiting).resolves.toMatchObject({ kind: 'Cancelled' });
      const answered = readFileSync(path.join(tmp, 'answered.log'), 'utf8').split('\n');
      expect(answered).toContain(busy); // the running batch finished…
      expect(answered).not.toContain(queued); // …the queued one was dropped
      await expect(closing.embed(['after close'])).rejects.toMatchObject({ kind: 'Cancelled' });
    } finally {
      terminate.mockRestore();
    }
  });

  it('rejects at once when the signal is already aborted, without sending anything', async () => {
    const before = embedsIn().length;
    await expect(embedder.embed(['never sent'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'Cancelled' });
    const [v] = await embedder.embed(['sent after']);
    expect(v?.length).toBe(model.hiddenSize);
    await untilAnswered('sent after');
    expect(embedsIn().slice(before).some((e) => e.first === 'never sent')).toBe(false);
  });
});
