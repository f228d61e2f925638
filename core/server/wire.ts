/**
 * JSON wire format of the headless HTTP API: Uint8Array values travel as `{"$bytes": base64}`.
 * The browser client (renderer/src/kb/httpClient.ts) writes the same shape.
 */
export function reviveBytes(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const b64 = (value as { $bytes?: unknown }).$bytes;
    if (keys.length === 1 && typeof b64 === 'string') return new Uint8Array(Buffer.from(b64, 'base64'));
  }
  return value;
}

export function replaceBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
}
