import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../core/ingest/readAhead';

/** Work that records its signal and settles when told. */
function controllable() {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const signals: AbortSignal[] = [];
  const work = (signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  };
  return { work, signals, resolve: (v: string) => resolve(v), reject: (e: Error) => reject(e) };
}

describe('ReadAhead', () => {
  it('hands the work over once, to its own id only', async () => {
    const ahead = new ReadAhead<string>();
    const w = controllable();
    ahead.start('a', w.work);
    expect(ahead.id).toBe('a');
    expect(ahead.take('b', new AbortController().signal)).toBeUndefined();
    const taken = ahead.take('a', new AbortController().signal);
    expect(ahead.id).toBeUndefined();
    expect(ahead.take('a', new AbortController().signal)).toBeUndefined();
    w.resolve('parsed a');
    await expect(taken).resolves.toBe('parsed a');
    expect(w.signals[0]?.aborted).toBe(false);
  });

  it('does not start the same id twice, and aborts the old work when another id starts', () => {
    const ahead = new ReadAhead<string>();
    const w = controllable();
    ahead.start('a', w.work);
    ahead.start('a', w.work);
    expect(w.signals).toHaveLength(1);
    ahead.start('b', w.work);
    expect(w.signals).toHaveLength(2);
    expect(w.signals[0]?.aborted).toBe(true);
    expect(w.signals[1]?.aborted).toBe(false);
    expect(ahead.id).toBe('b');
  });

  it('drops only the id asked for, or anything when none is given', () => {
    const ahead = new ReadAhead<string>();
    const w = controllable();
    ahead.start('a', w.work);
    ahead.drop('b');
    expect(ahead.id).toBe('a');
    ahead.drop('a');
    expect(w.signals[0]?.aborted).toBe(true);
    ahead.start('c', w.work);
    ahead.drop();
    expect(w.signals[1]?.aborted).toBe(true);
    expect(ahead.id).toBeUndefined();
  });

  it('once taken, the work stops with the job: aborting its signal aborts the work', () => {
    const ahead = new ReadAhead<string>();
    const w = controllable();
    ahead.start('a', w.work);
    const job = new AbortController();
    void ahead.take('a', job.signal);
    expect(w.signals[0]?.aborted).toBe(false);
    job.abort();
    expect(w.signals[0]?.aborted).toBe(true);
  });

  it('keeps a failure for take, never leaving it unhandled', async () => {
    const ahead = new ReadAhead<string>();
    const w = controllable();
    ahead.start('a', w.work);
    w.reject(new Error('corrupt file'));
    await new Promise((r) => setTimeout(r, 10)); // an unhandled rejection would fail the run here
    await expect(ahead.take('a', new AbortController().signal)).rejects.toThrow('corrupt file');
    ahead.start('b', w.work);
    w.reject(new Error('dropped, never taken'));
    ahead.drop();
    await new Promise((r) => setTimeout(r, 10));
  });
});
