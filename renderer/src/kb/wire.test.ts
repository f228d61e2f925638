import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, chunkedBase64, decodeWire, encodeWire, parseResponse } from './wire';

describe('base64', () => {
  it('matches Node for lengths around chunk boundaries', () => {
    for (const n of [0, 1, 2, 3, 4, 24575, 24576, 24577, 24578, 100_000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      const b64 = chunkedBase64(bytes);
      expect(bytesToBase64(bytes)).toBe(b64);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.compare(base64ToBytes(b64), bytes)).toBe(0);
    }
  });

  // Node's btoa is slow (~0.3 s/MB), so 8 MB here; a chunk is 24 KB whatever the total, and a
  // single String.fromCharCode.apply over 8 MB would already overflow the stack.
  it('encodes a large file without blowing the stack', { timeout: 30_000 }, () => {
    const bytes = new Uint8Array(8 * 1024 * 1024 + 1);
    bytes[bytes.length - 1] = 255;
    const b64 = chunkedBase64(bytes);
    expect(b64.length).toBe(Math.ceil(bytes.length / 3) * 4);
    expect(b64 === Buffer.from(bytes).toString('base64')).toBe(true);
  });

  it('encodes a subarray view, not its whole buffer', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(chunkedBase64(whole.subarray(2, 4))).toBe(Buffer.from([3, 4]).toString('base64'));
  });
});

describe('encodeWire / decodeWire', () => {
  it('replaces Uint8Arrays at any depth and round-trips', () => {
    const input = { name: 'a.txt', bytes: new Uint8Array([104, 105]), nested: [{ b: new Uint8Array([0]) }], n: 1, z: null };
    const wire = encodeWire(input);
    expect(JSON.parse(JSON.stringify(wire))).toEqual({
      name: 'a.txt',
      bytes: { $bytes: 'aGk=' },
      nested: [{ b: { $bytes: 'AA==' } }],
      n: 1,
      z: null,
    });
    expect(decodeWire(JSON.parse(JSON.stringify(wire)))).toEqual(input);
  });
});

describe('parseResponse', () => {
  it('passes a JSON Result through, on success and on HTTP errors', () => {
    expect(parseResponse(200, 'OK', '{"ok":true,"value":{"a":1}}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseResponse(400, 'Bad Request', '{"ok":false,"error":{"kind":"ValidationError","message":"bad"}}')).toEqual({
      ok: false,
      error: { kind: 'ValidationError', message: 'bad' },
    });
  });

  it('turns a non-JSON body into ProviderUnavailable', () => {
    const r = parseResponse(502, 'Bad Gateway', '<html>nginx</html>');
    expect(r).toEqual({
      ok: false,
      error: { kind: 'ProviderUnavailable', message: expect.stringMatching(/^The qckstrt server is not reachable: HTTP 502 Bad Gateway/) },
    });
  });

  it('turns JSON that is not a Result into ProviderUnavailable', () => {
    const r = parseResponse(200, 'OK', '{"hello":1}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('ProviderUnavailable');
  });
});
