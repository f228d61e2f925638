import type { KbErrorShape, Result } from '../../../core/api';

/**
 * The JSON encoding the headless HTTP server speaks: binary values travel as
 * `{"$bytes": "<base64>"}`; every response body is a `Result`.
 */

// A multiple of 3, so each chunk encodes to base64 with no padding and chunks can be joined;
// small enough that String.fromCharCode.apply stays well inside the argument limit.
const CHUNK = 3 * 8192;

type WithToBase64 = Uint8Array & { toBase64?: () => string };

export function bytesToBase64(bytes: Uint8Array): string {
  // Native in recent Chromium (and so Electron); the chunked fallback covers the rest.
  const native = (bytes as WithToBase64).toBase64;
  return typeof native === 'function' ? native.call(bytes) : chunkedBase64(bytes);
}

/** base64 via btoa, a chunk at a time, so a large file never becomes one huge argument list. */
export function chunkedBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const chunk = bytes.subarray(i, i + CHUNK);
    parts.push(btoa(String.fromCharCode.apply(null, chunk as unknown as number[])));
  }
  return parts.join('');
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Replaces every Uint8Array (at any depth) by `{ $bytes }`; other values pass through. */
export function encodeWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) };
  if (Array.isArray(value)) return value.map(encodeWire);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeWire(v)]));
  }
  return value;
}

/** The inverse of `encodeWire`, for values coming back from the server. */
export function decodeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWire);
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$bytes' && typeof value.$bytes === 'string') {
      return base64ToBytes(value.$bytes);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeWire(v)]));
  }
  return value;
}

export function unreachable(detail: string): { ok: false; error: KbErrorShape } {
  return {
    ok: false,
    error: { kind: 'ProviderUnavailable', message: `The qckstrt server is not reachable: ${detail}` },
  };
}

function isResult(v: unknown): v is Result<unknown> {
  if (!isPlainObject(v)) return false;
  if (v.ok === true) return 'value' in v;
  if (v.ok === false) {
    const e = v.error;
    return isPlainObject(e) && typeof e.kind === 'string' && typeof e.message === 'string';
  }
  return false;
}

/**
 * Turns an HTTP response (status and body text) into a Result. The server answers with a JSON
 * Result on success and on 4xx/5xx alike; anything else means something other than qckstrt
 * answered (a proxy, a crashed server), which the user sees as "not reachable".
 */
export function parseResponse<T>(status: number, statusText: string, body: string): Result<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return unreachable(`HTTP ${status}${statusText ? ` ${statusText}` : ''} with a body that is not JSON`);
  }
  if (!isResult(parsed)) {
    return unreachable(`HTTP ${status}: the answer is not a qckstrt result`);
  }
  return decodeWire(parsed) as Result<T>;
}
