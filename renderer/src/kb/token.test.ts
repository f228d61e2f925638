import { describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, takeToken, type TokenEnv } from './token';

function env(href: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const e: TokenEnv = {
    location: { href },
    history: { state: null, replaceState: (_d, _u, url) => void replaced.push(String(url)) },
    sessionStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
  return { e, storage, replaced };
}

describe('takeToken', () => {
  it('takes the token from the URL, stores it and removes it from the address bar', () => {
    const { e, storage, replaced } = env('http://127.0.0.1:5123/?token=abc123&view=x#frag');
    expect(takeToken(e)).toBe('abc123');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(replaced).toEqual(['/?view=x#frag']);
  });

  it('falls back to the stored token after a reload', () => {
    const { e, replaced } = env('http://127.0.0.1:5123/', { [TOKEN_STORAGE_KEY]: 'kept' });
    expect(takeToken(e)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('returns null when there is none, and survives storage that throws', () => {
    expect(takeToken(env('http://127.0.0.1:5123/').e)).toBeNull();
    const { e } = env('http://127.0.0.1:5123/?token=t');
    e.sessionStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(takeToken(e)).toBe('t');
  });
});
