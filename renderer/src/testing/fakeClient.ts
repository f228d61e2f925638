import type { KbClient, KbEventName, KbEvents, KbMethod, Result } from '../../../core/api';
import { KB_METHOD_NAMES } from '../kb/contractNames';

type Handler = (input: unknown) => Promise<Result<unknown>> | Result<unknown>;

/**
 * A KbClient for tests: each method answers with what `handlers` says (a failed Result naming
 * the method when unset), records its calls, and `emit` plays an event to subscribers.
 */
export function fakeClient(handlers: Partial<Record<KbMethod, Handler>> = {}) {
  const calls: { method: KbMethod; input: unknown }[] = [];
  const listeners = new Map<KbEventName, Set<(p: unknown) => void>>();
  const impl = Object.fromEntries(
    KB_METHOD_NAMES.map((m) => [
      m,
      async (input?: unknown) => {
        calls.push({ method: m, input });
        const h = handlers[m];
        if (!h) return { ok: false, error: { kind: 'Internal', message: `${m} not faked` } };
        return h(input);
      },
    ]),
  );
  const client = {
    ...(impl as unknown as Omit<KbClient, 'on'>),
    on<E extends KbEventName>(event: E, listener: (payload: KbEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  } as KbClient;
  return {
    client,
    calls,
    handlers,
    emit<E extends KbEventName>(event: E, payload: KbEvents[E]) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
