import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { KB_METHODS, type KbEventName, type KbMethod } from '../../core/api/channels';
import type { KbEvents } from '../../core/api/contract';
import type { KbService } from '../../core/service/options';

/** A KbService whose methods are spies answering `{ method, input }`. */
export function createFakeService() {
  const events = new EventEmitter();
  const calls = Object.fromEntries(
    KB_METHODS.map((m) => [m, vi.fn(async (input: unknown) => ({ method: m, input }))]),
  ) as Record<KbMethod, ReturnType<typeof vi.fn>>;
  const close = vi.fn(async () => {});
  const service = {
    ...calls,
    close,
    on<E extends KbEventName>(event: E, listener: (payload: KbEvents[E]) => void) {
      events.on(event, listener);
      return () => {
        events.off(event, listener);
      };
    },
  } as unknown as KbService;
  const emit = <E extends KbEventName>(event: E, payload: KbEvents[E]) => events.emit(event, payload);
  return { service, calls, close, emit, listenerCount: (e: KbEventName) => events.listenerCount(e) };
}
