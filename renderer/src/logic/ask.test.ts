import { describe, expect, it } from 'vitest';
import { answerMeta, newStreamId, wasCutOff } from './ask';

describe('ask helpers', () => {
  it('makes a new stream id each time', () => {
    const a = newStreamId();
    expect(a).toMatch(/\S{8,}/);
    expect(newStreamId()).not.toBe(a);
  });

  it('describes who answered from what', () => {
    expect(answerMeta({ model: 'llama3.2', passagesUsed: 4, tookMs: 2100 })).toBe('llama3.2 · from 4 passages · 2.1 s');
    expect(answerMeta({ model: 'llama3.2', passagesUsed: 0, tookMs: 5 })).toBe('llama3.2 · no passage matched · 5 ms');
  });

  it('knows an answer cut off at its length limit', () => {
    expect(wasCutOff({ doneReason: 'length' })).toBe(true);
    expect(wasCutOff({ doneReason: 'stop' })).toBe(false);
    expect(wasCutOff({})).toBe(false);
  });
});
