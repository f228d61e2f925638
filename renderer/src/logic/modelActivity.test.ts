import { describe, expect, it } from 'vitest';
import { describeModelActivity, reindexKey, visibleReindex } from './modelActivity';

describe('describeModelActivity', () => {
  it('is idle without a download or a running re-index', () => {
    expect(describeModelActivity(null, undefined)).toBeNull();
    expect(describeModelActivity(null, { model: 'm', state: 'done', done: 3, total: 3 })).toBeNull();
    expect(describeModelActivity({ modelId: 'm', file: '', bytesDone: 1, bytesTotal: 1, done: true }, undefined)).toBeNull();
  });

  it('shows download percentage first, then re-index progress, then a failure', () => {
    expect(describeModelActivity({ modelId: 'Xenova/all-MiniLM-L6-v2', file: 'onnx/model.onnx', bytesDone: 50, bytesTotal: 200, done: false }, undefined)).toEqual({
      text: 'Downloading Xenova/all-MiniLM-L6-v2: 25%',
      tone: 'busy',
    });
    expect(describeModelActivity(null, { model: 'x', state: 'running', done: 2, total: 9 })?.text).toBe('Re-indexing for x: 2 of 9 documents');
    expect(describeModelActivity(null, { model: 'x', state: 'failed', done: 0, total: 9, message: 'Ollama is not running' })).toEqual({
      text: 'Ollama is not running',
      tone: 'bad',
      short: 'Switch to x failed',
    });
  });

  it('hides a failure once dismissed, but not a later one', () => {
    const failed = { model: 'x', state: 'failed' as const, done: 0, total: 9, message: 'Ollama is not running' };
    expect(visibleReindex(failed, null)).toBe(failed);
    expect(visibleReindex(failed, reindexKey(failed))).toBeUndefined();
    const again = { ...failed, message: 'Ollama closed the connection' };
    expect(visibleReindex(again, reindexKey(failed))).toBe(again);
    const running = { model: 'x', state: 'running' as const, done: 1, total: 9 };
    expect(visibleReindex(running, reindexKey(failed))).toBe(running);
  });
});
