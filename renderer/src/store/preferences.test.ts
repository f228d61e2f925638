import { describe, expect, it } from 'vitest';
import { fakeClient } from '../testing/fakeClient';
import { createKbStore } from './createKbStore';
import { KEEP_IN_SYNC_KEY, persistPreferences, type PreferenceStorage } from './preferences';

function memoryStorage(initial: Record<string, string> = {}): PreferenceStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('persistPreferences', () => {
  it('loads "keep in sync" and saves every change until stopped', () => {
    const store = createKbStore(fakeClient().client);
    const storage = memoryStorage({ [KEEP_IN_SYNC_KEY]: 'true' });
    const stop = persistPreferences(store, storage);
    expect(store.getState().keepInSync).toBe(true);
    store.getState().setKeepInSync(false);
    expect(storage.data[KEEP_IN_SYNC_KEY]).toBe('false');
    stop();
    store.getState().setKeepInSync(true);
    expect(storage.data[KEEP_IN_SYNC_KEY]).toBe('false');
  });

  it('keeps the default and still works when storage is missing or throws', () => {
    const store = createKbStore(fakeClient().client);
    persistPreferences(store, null)();
    const broken: PreferenceStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    persistPreferences(store, broken);
    expect(store.getState().keepInSync).toBe(false);
    store.getState().setKeepInSync(true);
    expect(store.getState().keepInSync).toBe(true);
  });
});
