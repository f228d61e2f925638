import { ChromaClientError, ChromaConnectionError, ChromaNotFoundError, ChromaServerError, ChromaUnauthorizedError } from 'chromadb';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../core/api/errors';
import { parseChromaUrl } from '../../core/vector/chroma/chromaClient';
import { isChromaUnavailable, translateChromaError } from '../../core/vector/chroma/chromaErrors';

const ctx = { url: 'http://chroma.test:8001', collection: 'qckstrt-embeddings', timeoutMs: 1000, elapsedMs: 5 };

describe('translateChromaError', () => {
  it('turns a refused or dropped connection into ProviderUnavailable naming the server', () => {
    const out = translateChromaError(new ChromaConnectionError('Failed to connect to Chroma'), ctx);
    expect(out).toBeInstanceOf(KbError);
    expect(out).toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('http://chroma.test:8001 is not reachable') });
  });

  it('says the server did not answer in time when the call ran into the timeout', () => {
    const out = translateChromaError(new ChromaConnectionError('Failed to connect to Chroma'), { ...ctx, elapsedMs: 1002 });
    expect(out).toMatchObject({ kind: 'ProviderUnavailable', message: expect.stringContaining('did not answer within 1000 ms') });
    const bodyTimeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(translateChromaError(bodyTimeout, { ...ctx, elapsedMs: 1001 })).toMatchObject({ kind: 'ProviderUnavailable' });
  });

  it('treats a socket lost mid-response and network error codes as unavailable', () => {
    expect(isChromaUnavailable(new TypeError('terminated'))).toBe(true);
    expect(isChromaUnavailable(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(isChromaUnavailable(new Error('write', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isChromaUnavailable(new TypeError('x.map is not a function'))).toBe(false);
  });

  it('treats a gateway saying the server is down as unavailable, but not other server errors', () => {
    expect(translateChromaError(new ChromaServerError('503: Service Unavailable'), ctx)).toMatchObject({ kind: 'ProviderUnavailable' });
    expect(translateChromaError(new ChromaServerError('502: Bad Gateway'), ctx)).toMatchObject({ kind: 'ProviderUnavailable' });
    const internal = new ChromaServerError('500: something broke');
    expect(translateChromaError(internal, ctx)).toBe(internal);
  });

  it('names the collection when it disappeared from the server', () => {
    expect(translateChromaError(new ChromaNotFoundError('The requested resource could not be found'), ctx)).toMatchObject({
      kind: 'ProviderUnavailable',
      message: expect.stringContaining('"qckstrt-embeddings"'),
    });
  });

  it('maps a refused token to Unauthorized', () => {
    expect(translateChromaError(new ChromaUnauthorizedError('Unauthorized'), ctx)).toMatchObject({ kind: 'Unauthorized' });
  });

  it('leaves KbErrors and request errors as they are', () => {
    const kb = new KbError('DimensionMismatch', 'x');
    expect(translateChromaError(kb, ctx)).toBe(kb);
    const bad = new ChromaClientError('Bad request');
    expect(translateChromaError(bad, ctx)).toBe(bad);
    expect(isChromaUnavailable('a string')).toBe(false);
  });
});

describe('parseChromaUrl', () => {
  it('reads host, port and TLS from the settings URL', () => {
    expect(parseChromaUrl('http://localhost:8001')).toEqual({ host: 'localhost', port: 8001, ssl: false });
    expect(parseChromaUrl('https://chroma.example.com')).toEqual({ host: 'chroma.example.com', port: 443, ssl: true });
    expect(parseChromaUrl('http://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 80, ssl: false });
  });

  it('refuses what the client cannot reach, as a ValidationError', () => {
    expect(() => parseChromaUrl('not a url')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
    expect(() => parseChromaUrl('ftp://x:1')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
    expect(() => parseChromaUrl('http://x:1/chroma')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
  });
});
