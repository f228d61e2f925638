/**
 * ParseWorker end to end: the real parse worker (worker thread, real parsers) and the zip bomb
 * check on zips that lie about their sizes.
 *
 * Hangs and crashes are produced by a small wrapper written to a temp folder (no test code in
 * core/): it runs the real worker but hangs or exits on marker file names, as a parser stuck in a
 * loop or a native crash would. Running out of memory is real: a CSV parsed under a small heap.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KbError } from '../../core/api/errors';
import { PARSE_DEFAULTS, ParseWorker } from '../../core/ingest/parseWorker';
import { parseDocument } from '../../core/ingest/parsers';
import { checkZip, ZIP_LIMITS } from '../../core/ingest/parsers/zipGuard';
import { makeDocx, makePdf } from '../helpers/documents';
import { tempDir } from '../helpers/tempDir';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * Rewrites the uncompressed size that `entryName`'s local header (offset 22) and central directory
 * record (offset 24) declare. Returns how many records were patched.
 */
function patchDeclaredSize(zip: Uint8Array, entryName: string, size: number): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const name = utf8(entryName);
  const records = [
    { signature: 0x04034b50, nameLengthAt: 26, nameAt: 30, sizeAt: 22 }, // local file header
    { signature: 0x02014b50, nameLengthAt: 28, nameAt: 46, sizeAt: 24 }, // central directory
  ];
  let patched = 0;
  for (let i = 0; i + 46 < zip.length; i++) {
    for (const r of records) {
      if (view.getUint32(i, true) !== r.signature) continue;
      const nameLength = view.getUint16(i + r.nameLengthAt, true);
      const found = zip.subarray(i + r.nameAt, i + r.nameAt + nameLength);
      if (nameLength === name.length && found.every((b, j) => b === name[j])) {
        view.setUint32(i + r.sizeAt, size, true);
        patched += 1;
      }
    }
  }
  return patched;
}

async function errorOf(promise: Promise<unknown>): Promise<KbError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KbError);
  return err as KbError;
}

const PARSE_WORKER_URL = pathToFileURL(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../core/ingest/parse-worker.ts'),
).href;

/**
 * The real parse worker, except that `hang.txt` loops forever, `crash.txt` exits the thread and
 * `thread.txt` reads as the worker thread's id.
 */
const wrapperSource = `
import { parentPort, threadId } from 'node:worker_threads';
const port = parentPort;
// Wrap the worker's own listener: the port buffers messages until the first listener is attached.
const on = port.on.bind(port);
port.on = (event, handler) =>
  on(event, event !== 'message' ? handler : (msg) => {
    if (msg.fileName === 'hang.txt') for (;;) {}
    if (msg.fileName === 'crash.txt') process.exit(70);
    if (msg.fileName === 'thread.txt') {
      port.postMessage({ type: 'parsed', id: msg.id, doc: { text: String(threadId), mimeType: 'text/plain' } });
      return;
    }
    if (msg.fileName === 'throw.txt') {
      setImmediate(() => { throw new Error('boom in the parser'); });
      return;
    }
    return handler(msg);
  });
await import(${JSON.stringify(PARSE_WORKER_URL)});
`;

const workers: ParseWorker[] = [];
const newWorker = (...args: ConstructorParameters<typeof ParseWorker>): ParseWorker => {
  const w = new ParseWorker(...args);
  workers.push(w);
  return w;
};
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

describe('ParseWorker', () => {
  const tmp = tempDir('qckstrt-parse-worker-');
  let wrapperPath: string;

  beforeAll(() => {
    wrapperPath = path.join(tmp.path, 'misbehaving-parse-worker.ts');
    writeFileSync(wrapperPath, wrapperSource);
    writeFileSync(path.join(tmp.path, 'package.json'), '{ "type": "module" }\n');
  });
  afterAll(() => tmp.cleanup());

  it('parses text, Markdown, PDF and DOCX exactly as parseDocument does, with one worker for all', async () => {
    const pw = newWorker();
    const samples: [string, Uint8Array][] = [
      ['notes.txt', utf8('plain words, café')],
      ['guide.md', utf8('# Title\n\nSome text.\n\n## Part two\nMore.')],
      ['two-pages.pdf', makePdf([['Hello from page one', 'Second line'], ['Greetings from page two']])],
      ['letter.docx', await makeDocx(['First paragraph.', 'Second paragraph.'])],
    ];
    for (const [name, bytes] of samples) {
      const expected = await parseDocument(bytes, name);
      expect(await pw.parse(bytes, name), name).toEqual(expected);
    }
    const pdf = await pw.parse(samples[2]![1], 'two-pages.pdf');
    expect(pdf.pages).toHaveLength(2);
  });

  it('brings a KbError back with its kind and message', async () => {
    const pw = newWorker();
    const cases: [string, Uint8Array][] = [
      ['bad.pdf', utf8('%PDF-1.4\nthis is not really a pdf')],
      ['photo.jpg', utf8('hi')],
      ['broken.json', utf8('{"a": 1,')],
    ];
    for (const [name, bytes] of cases) {
      const direct = await errorOf(parseDocument(bytes, name));
      const viaWorker = await errorOf(pw.parse(bytes, name));
      expect({ kind: viaWorker.kind, message: viaWorker.message }).toEqual({ kind: direct.kind, message: direct.message });
    }
  });

  it('moves the bytes to the worker when asked to, and otherwise leaves them usable', async () => {
    const pw = newWorker();
    const moved = utf8('moved, not copied');
    const parsed = pw.parse(moved, 'a.txt', { transfer: true });
    expect(moved.byteLength).toBe(0); // detached: the buffer now belongs to the worker
    expect((await parsed).text).toBe('moved, not copied');

    const kept = utf8('copied by default');
    expect((await pw.parse(kept, 'b.txt')).text).toBe('copied by default');
    expect(new TextDecoder().decode(kept)).toBe('copied by default');

    // A view on part of a larger buffer cannot be moved without taking the rest: it is copied.
    const whole = utf8('xxhello partyy');
    const view = whole.subarray(2, 13);
    expect((await pw.parse(view, 'c.txt', { transfer: true })).text).toBe('hello party');
    expect(new TextDecoder().decode(whole)).toBe('xxhello partyy');
  });

  it('fails a file that takes too long, and the next file gets a fresh worker', async () => {
    const pw = newWorker({ workerPath: wrapperPath, timeoutMs: 2000 });
    expect((await pw.parse(utf8('before'), 'before.txt')).text).toBe('before');
    const started = performance.now();
    const err = await errorOf(pw.parse(utf8('x'), 'hang.txt'));
    expect(err.kind).toBe('UnsupportedFile');
    expect(err.message).toBe('hang.txt: reading it took longer than 2 s, so it was skipped.');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
    // The old worker is still spinning in its loop: only a new one can answer.
    expect((await pw.parse(utf8('after'), 'after.txt')).text).toBe('after');
  });

  it('fails a file whose parser runs out of memory, and keeps working', async () => {
    const heapMb = 48;
    const pw = newWorker({ maxOldGenerationSizeMb: heapMb });
    // 2 M rows of two values under 40-character column names: far more heap than 48 MB as lines
    // of named values (each row is made a line and dropped, so short names would fit).
    const big = utf8(`${'a'.repeat(40)},${'b'.repeat(40)}\n` + '1,2\n'.repeat(2 * 1024 * 1024));
    const err = await errorOf(pw.parse(big, 'big.csv'));
    expect(err.kind).toBe('UnsupportedFile');
    expect(err.message).toBe(`big.csv: reading it ran out of memory (the parser may use ${heapMb} MB), so it was skipped.`);
    const small = utf8('name,born\nAda,1815\n');
    expect(await pw.parse(small, 'small.csv')).toEqual(await parseDocument(small, 'small.csv'));
  });

  it('fails a file whose parser crashes or throws outside its promise, and keeps working', async () => {
    const pw = newWorker({ workerPath: wrapperPath });
    const crashed = await errorOf(pw.parse(utf8('x'), 'crash.txt'));
    expect({ kind: crashed.kind, message: crashed.message }).toEqual({
      kind: 'UnsupportedFile',
      message: 'crash.txt: the parser stopped (exit code 70), so it was skipped.',
    });
    const threw = await errorOf(pw.parse(utf8('x'), 'throw.txt'));
    expect({ kind: threw.kind, message: threw.message }).toEqual({
      kind: 'UnsupportedFile',
      message: 'throw.txt: the parser failed: boom in the parser, so it was skipped.',
    });
    expect((await pw.parse(utf8('still here'), 'ok.txt')).text).toBe('still here');
  });

  it('runs one file at a time, so a failure takes no other file with it', async () => {
    const pw = newWorker({ workerPath: wrapperPath });
    const results = await Promise.allSettled([
      pw.parse(utf8('one'), 'one.txt'),
      pw.parse(utf8('x'), 'crash.txt'),
      pw.parse(utf8('three'), 'three.txt'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[2]).toEqual({ status: 'fulfilled', value: { text: 'three', mimeType: 'text/plain' } });
  });

  it('cancels a queued file without sending it, and stops the worker for a file in progress', async () => {
    const pw = newWorker({ workerPath: wrapperPath });
    const running = new AbortController();
    const queued = new AbortController();
    const hung = pw.parse(utf8('x'), 'hang.txt', { signal: running.signal });
    const waitingBytes = utf8('never sent');
    const waiting = pw.parse(waitingBytes, 'waiting.txt', { signal: queued.signal, transfer: true });

    queued.abort();
    const dropped = await errorOf(waiting);
    expect({ kind: dropped.kind, message: dropped.message }).toEqual({
      kind: 'Cancelled',
      message: 'Reading waiting.txt was cancelled.',
    });
    expect(waitingBytes.byteLength).toBe(10); // never moved to the worker

    running.abort();
    expect((await errorOf(hung)).kind).toBe('Cancelled');
    expect((await pw.parse(utf8('next'), 'next.txt')).text).toBe('next');

    const pre = new AbortController();
    pre.abort();
    expect((await errorOf(pw.parse(utf8('x'), 'late.txt', { signal: pre.signal }))).kind).toBe('Cancelled');
  });

  it('close() rejects waiting files and refuses new ones', async () => {
    const pw = newWorker({ workerPath: wrapperPath });
    const hung = errorOf(pw.parse(utf8('x'), 'hang.txt'));
    const waiting = errorOf(pw.parse(utf8('y'), 'waiting.txt'));
    await pw.close();
    expect((await hung).kind).toBe('Cancelled');
    expect((await waiting).kind).toBe('Cancelled');
    expect((await errorOf(pw.parse(utf8('z'), 'after.txt'))).message).toBe('The parser has shut down.');
  });

  it('says so when the worker script cannot start (not the file’s fault)', async () => {
    const pw = newWorker({ workerPath: path.join(tmp.path, 'missing-parse-worker.js') });
    const err = await errorOf(pw.parse(utf8('x'), 'a.txt'));
    expect(err.kind).toBe('Internal');
    expect(err.message).toMatch(/^The parse worker did not start: .*missing-parse-worker\.js/);
  });

  it('stops a worker left idle for idleMs; the next file gets a new one', async () => {
    const threadOf = async (pw: ParseWorker) => (await pw.parse(utf8('x'), 'thread.txt')).text;
    const busy = newWorker({ workerPath: wrapperPath });
    const first = await threadOf(busy);
    expect(await threadOf(busy)).toBe(first); // reused while it has work

    const idle = newWorker({ workerPath: wrapperPath, idleMs: 50 });
    const before = await threadOf(idle);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await threadOf(idle);
    expect(after).not.toBe(before);
    expect((await idle.parse(utf8('still reads'), 'a.txt')).text).toBe('still reads');
  });

  it('has the documented defaults and refuses nonsense limits', () => {
    expect(PARSE_DEFAULTS).toEqual({ maxOldGenerationSizeMb: 1024, timeoutMs: 120_000, idleMs: 30_000 });
    expect(() => new ParseWorker({ idleMs: 0 })).toThrow(/Invalid parser idle time/);
    expect(() => new ParseWorker({ timeoutMs: 0 })).toThrow(/Invalid parse timeout/);
    expect(() => new ParseWorker({ maxOldGenerationSizeMb: -1 })).toThrow(/Invalid parser heap limit/);
  });
});

describe('zip bomb check on actual sizes', () => {
  const ZEROS = 'word/media/zeros.bin';

  it('refuses a docx whose entries declare small sizes but inflate to far more', async () => {
    const docx = await makeDocx(['Innocent.'], (zip) => zip.file(ZEROS, new Uint8Array(20 * 1024 * 1024)));
    expect(docx.byteLength).toBeLessThan(200 * 1024);
    // Both the local header and the central directory now say 1000 bytes.
    expect(patchDeclaredSize(docx, ZEROS, 1000)).toBe(2);

    const summary = await errorOf(checkZip(Buffer.from(docx), 'liar.docx'));
    expect(summary.kind).toBe('UnsupportedFile');
    const expected = `liar.docx looks like a zip bomb: ${ZEROS} unpacks to more than the 1000 bytes its directory declares.`;
    expect(summary.message).toBe(expected);
    expect((await errorOf(parseDocument(docx.slice(), 'liar.docx'))).message).toBe(expected);

    const pw = newWorker();
    const viaWorker = await errorOf(pw.parse(docx, 'liar.docx'));
    expect({ kind: viaWorker.kind, message: viaWorker.message }).toEqual({ kind: 'UnsupportedFile', message: expected });
  });

  it('refuses an entry that inflates to fewer bytes than declared as damaged', async () => {
    const docx = await makeDocx(['Innocent.'], (zip) => zip.file('word/media/small.bin', 'x'.repeat(1000)));
    expect(patchDeclaredSize(docx, 'word/media/small.bin', 5000)).toBe(2);
    const err = await errorOf(parseDocument(docx, 'short.docx'));
    expect(err.message).toBe(
      'short.docx is not a readable Word document (word/media/small.bin is damaged: it unpacks to fewer bytes than declared).',
    );
  });

  it('passes an honest docx and counts what it actually unpacks to', async () => {
    const docx = await makeDocx(['Hello.'], (zip) => zip.file('word/media/data.bin', 'abc'.repeat(10_000)));
    const summary = await checkZip(Buffer.from(docx), 'honest.docx');
    const zip = await JSZip.loadAsync(docx);
    expect(summary.entryCount).toBe(Object.keys(zip.files).length); // folders are entries too
    expect(summary.names).toEqual(new Set(Object.keys(zip.files)));
    let total = 0;
    for (const file of Object.values(zip.files)) total += (await file.async('uint8array')).byteLength;
    expect(summary.totalUncompressed).toBe(total);
  });

  it('refuses an archive with too many entries', async () => {
    const docx = await makeDocx(['Hi.'], (zip) => {
      for (let i = 0; i < 30; i++) zip.file(`word/media/${i}.bin`, 'x');
    });
    const limits = { ...ZIP_LIMITS, maxEntries: 20 };
    const err = await errorOf(checkZip(Buffer.from(docx), 'many.docx', limits));
    expect(err.message).toBe('many.docx looks like a zip bomb: it holds more than 20 files.');
  });
});
