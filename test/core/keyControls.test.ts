import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { attachKeyControls } from '../../core/cli/keyControls';

describe('kb index keyboard controls', () => {
  it('p pauses then resumes, c cancels the batch, Ctrl+C stops, and detaching restores the terminal', () => {
    const input = Object.assign(new EventEmitter(), { raw: [] as boolean[], setRawMode(raw: boolean) { input.raw.push(raw); } });
    const calls: string[] = [];
    const service = {
      pauseIngest: async () => (calls.push('pause'), { paused: true } as never),
      resumeIngest: async () => (calls.push('resume'), { paused: false } as never),
      cancelIngest: async (t: unknown) => (calls.push(`cancel ${JSON.stringify(t)}`), { cancelled: 1 }),
    };
    let stopped = 0;
    const detach = attachKeyControls(input, service, () => ({ batchId: 'b1' }), () => stopped++);
    expect(input.raw).toEqual([true]);
    input.emit('data', Buffer.from('p'));
    input.emit('data', 'Pc');
    input.emit('data', '\u0003');
    expect(calls).toEqual(['pause', 'resume', 'cancel {"batchId":"b1"}']);
    expect(stopped).toBe(1);
    detach();
    input.emit('data', 'p');
    expect(calls).toHaveLength(3);
    expect(input.raw).toEqual([true, false]);
  });
});
