import { describe, expect, it } from 'vitest';
import { describeModelActivity } from './modelActivity';

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
    });
  });
});
