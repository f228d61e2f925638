import type { StateCreator } from 'zustand';
import type { KbClient } from '../../../core/api';
import { settle } from '../kb/unwrap';
import { newStreamId as randomStreamId } from '../logic/ask';
import type { AskSlice, KbState, StoreEnv } from './types';

export const createAskSlice =
  (client: KbClient, env: StoreEnv = {}): StateCreator<KbState, [], [], AskSlice> =>
  (set, get) => {
    const newStreamId = env.newStreamId ?? randomStreamId;
    const streaming = () => get().askStatus === 'streaming';

    return {
      question: '',
      askStatus: 'idle',
      askedQuestion: '',
      askStreamId: null,
      askStreamed: '',
      askAnswer: null,
      askError: null,

      setQuestion(question) {
        set({ question });
      },

      async ask() {
        const question = get().question.trim();
        if (question === '') return;
        if (streaming()) void get().stopAsk();
        const streamId = newStreamId();
        set({ askStatus: 'streaming', askedQuestion: question, askStreamId: streamId, askStreamed: '', askAnswer: null, askError: null });
        const r = await settle(() => client.ask({ question, streamId }));
        // A newer question took over.
        if (get().askStreamId !== streamId) return;
        if (r.ok) set({ askStatus: 'done', askAnswer: r.value, askStreamed: r.value.answer });
        else if (r.error.kind === 'Cancelled') set({ askStatus: 'stopped' });
        else set({ askStatus: 'error', askError: r.error });
      },

      async stopAsk() {
        const streamId = get().askStreamId;
        if (!streaming() || streamId === null) return;
        // At once: what streamed so far stays, later pieces are ignored.
        set({ askStatus: 'stopped' });
        // A failed cancel means the core is unreachable, which the ask call reports itself.
        await settle(() => client.cancelAsk({ streamId }));
      },

      applyAskDelta({ streamId, text }) {
        if (streamId !== get().askStreamId || !streaming()) return;
        set((s) => ({ askStreamed: s.askStreamed + text }));
      },
    };
  };
