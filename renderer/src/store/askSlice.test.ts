import { describe, expect, it, vi } from 'vitest';
import type { AskResponse, KbErrorShape, Result } from '../../../core/api';
import { fakeClient, ok } from '../testing/fakeClient';
import { connectStore } from './connect';
import { createKbStore } from './createKbStore';

const answer = (text: string): AskResponse => ({
  question: 'q',
  answer: text,
  citations: [{ n: 1, documentId: 'd1', documentName: 'plants.md', chunkId: 'd1:0', charStart: 0, charEnd: 10 }],
  markers: [{ start: text.indexOf('[1]'), end: text.indexOf('[1]') + 3, numbers: [1] }],
  model: 'llama3.2',
  passagesUsed: 1,
  tookMs: 40,
});

/** A client whose ask answers when the test says, and whose cancelAsk makes it reject as the core does. */
function askingClient() {
  const finish = new Map<string, (r: Result<AskResponse>) => void>();
  const fake = fakeClient({
    ask: (input) => new Promise((resolve) => finish.set((input as { streamId: string }).streamId, resolve)),
    cancelAsk: (input) => {
      const { streamId } = input as { streamId: string };
      finish.get(streamId)?.({ ok: false, error: { kind: 'Cancelled', message: 'The answer was stopped' } });
      return ok({ cancelled: true });
    },
  });
  let n = 0;
  const store = createKbStore(fake.client, { newStreamId: () => `s${++n}` });
  return { ...fake, store, finish };
}

describe('ask slice', () => {
  it('streams the answer for its own stream only, then keeps the whole answer', async () => {
    const { store, calls, finish } = askingClient();
    store.getState().setQuestion('  how do plants eat?  ');
    const p = store.getState().ask();
    expect(calls.at(-1)).toEqual({ method: 'ask', input: { question: 'how do plants eat?', streamId: 's1' } });
    expect(store.getState()).toMatchObject({ askStatus: 'streaming', askedQuestion: 'how do plants eat?', askStreamed: '' });
    store.getState().applyAskDelta({ streamId: 's1', text: 'Plants use' });
    store.getState().applyAskDelta({ streamId: 'other', text: ' NOISE' });
    store.getState().applyAskDelta({ streamId: 's1', text: ' light' });
    expect(store.getState().askStreamed).toBe('Plants use light');
    finish.get('s1')!(ok(answer('Plants use light [1].')));
    await p;
    expect(store.getState()).toMatchObject({ askStatus: 'done', askStreamed: 'Plants use light [1].', askAnswer: { passagesUsed: 1 } });
    // A piece that arrives after the answer (events and the reply travel apart) changes nothing.
    store.getState().applyAskDelta({ streamId: 's1', text: ' late' });
    expect(store.getState().askStreamed).toBe('Plants use light [1].');
  });

  it('does not ask an empty question', async () => {
    const { store, calls } = askingClient();
    store.getState().setQuestion('   ');
    await store.getState().ask();
    expect(calls).toEqual([]);
    expect(store.getState().askStatus).toBe('idle');
  });

  it('stops: keeps what streamed, ignores later pieces, and is not an error', async () => {
    const { store, calls } = askingClient();
    store.getState().setQuestion('q');
    const p = store.getState().ask();
    store.getState().applyAskDelta({ streamId: 's1', text: 'Half an' });
    await store.getState().stopAsk();
    store.getState().applyAskDelta({ streamId: 's1', text: ' answer' });
    await p;
    expect(calls.at(-1)).toEqual({ method: 'cancelAsk', input: { streamId: 's1' } });
    expect(store.getState()).toMatchObject({ askStatus: 'stopped', askStreamed: 'Half an', askError: null });
  });

  it('a new question stops the one streaming and the old answer is ignored', async () => {
    const { store, calls, finish } = askingClient();
    store.getState().setQuestion('first');
    const first = store.getState().ask();
    store.getState().setQuestion('second');
    const second = store.getState().ask();
    await first;
    expect(calls.filter((c) => c.method === 'cancelAsk')).toEqual([{ method: 'cancelAsk', input: { streamId: 's1' } }]);
    expect(store.getState()).toMatchObject({ askStatus: 'streaming', askStreamId: 's2', askedQuestion: 'second' });
    finish.get('s2')!(ok(answer('Second [1].')));
    await second;
    expect(store.getState().askAnswer?.answer).toBe('Second [1].');
  });

  it('shows why there is no answer (Ollama not running, model not pulled)', async () => {
    const error: KbErrorShape = { kind: 'ModelUnavailable', message: 'Ollama has no model llama3.2: run `ollama pull llama3.2`' };
    const { client } = fakeClient({ ask: () => ({ ok: false, error }) });
    const store = createKbStore(client);
    store.getState().setQuestion('q');
    await store.getState().ask();
    expect(store.getState()).toMatchObject({ askStatus: 'error', askError: error, askAnswer: null });
  });

  it('connectStore feeds askDelta events to the store', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeClient({ ask: () => new Promise(() => {}) });
      const store = createKbStore(fake.client, { newStreamId: () => 'live' });
      const off = connectStore(fake.client, store);
      store.getState().setQuestion('q');
      void store.getState().ask();
      fake.emit('askDelta', { streamId: 'live', text: 'Streaming' });
      expect(store.getState().askStreamed).toBe('Streaming');
      off();
      await vi.runAllTimersAsync();
    } finally {
      vi.useRealTimers();
    }
  });
});
