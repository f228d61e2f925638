import type { KbClient, KbEventName, KbEvents, KbMethod, Result } from '../../../core/api';
import { KB_EVENT_NAMES, KB_METHOD_NAMES } from './contractNames';
import { encodeWire, parseResponse, unreachable } from './wire';

/**
 * KbClient over the headless server's HTTP API, for a plain browser (no `window.kb`).
 *   call:   POST /api/<method>, `Authorization: Bearer <token>`, JSON body (`{}` for no input)
 *   events: one shared EventSource on /api/events?token=…, opened on the first `on()`
 */

type EventSourceLike = Pick<EventSource, 'addEventListener' | 'close'>;

export interface HttpClientOptions {
  token: string | null;
  /** Origin of the server; '' means the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
}

export function createHttpClient(options: HttpClientOptions): KbClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const openEvents = options.createEventSource ?? ((url: string) => new EventSource(url));
  const token = options.token ?? '';

  async function call(method: KbMethod, input: unknown): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(encodeWire(input ?? {})),
      });
    } catch (err) {
      return unreachable(err instanceof Error ? err.message : String(err));
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      return unreachable(`the connection dropped while reading the answer (${err instanceof Error ? err.message : String(err)})`);
    }
    return parseResponse(response.status, response.statusText, text);
  }

  const listeners = new Map<KbEventName, Set<(payload: never) => void>>();
  let source: EventSourceLike | null = null;

  function listenerCount(): number {
    let n = 0;
    for (const set of listeners.values()) n += set.size;
    return n;
  }

  function dispatch(event: KbEventName, data: string): void {
    let payload: unknown;
    try {
      payload = data ? JSON.parse(data) : {};
    } catch {
      console.warn(`qckstrt: ignoring a malformed ${event} event`);
      return;
    }
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (err) {
        console.error(`qckstrt: a ${event} listener failed`, err);
      }
    }
  }

  function ensureSource(): void {
    if (source) return;
    source = openEvents(`${base}/api/events?token=${encodeURIComponent(token)}`);
    for (const name of KB_EVENT_NAMES) {
      source.addEventListener(name, (e) => dispatch(name, (e as MessageEvent<string>).data));
    }
  }

  const methods = Object.fromEntries(
    KB_METHOD_NAMES.map((m) => [m, (input?: unknown) => call(m, input)]),
  );

  return {
    ...(methods as unknown as Omit<KbClient, 'on'>),
    on<E extends KbEventName>(event: E, listener: (payload: KbEvents[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      // Wrap so the same function can be subscribed twice and unsubscribed independently.
      const entry = (p: never) => listener(p);
      set.add(entry);
      ensureSource();
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        set.delete(entry);
        if (listenerCount() === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}
