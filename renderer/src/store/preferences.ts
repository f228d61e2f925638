import type { KbStore } from './createKbStore';

/** The storage this needs (localStorage in the app, a fake in tests). */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const KEEP_IN_SYNC_KEY = 'qckstrt.keepInSync';

/**
 * Remembers the user's UI choices across restarts (the "Keep dropped folders in sync" box):
 * loads them into the store, then saves each change. Storage can be disabled or full, in which
 * case the choice simply lasts for this session. Returns a function that stops saving.
 */
export function persistPreferences(store: KbStore, storage: PreferenceStorage | null): () => void {
  if (!storage) return () => {};
  try {
    if (storage.getItem(KEEP_IN_SYNC_KEY) === 'true') store.getState().setKeepInSync(true);
  } catch {
    // Unreadable storage: keep the default.
  }
  return store.subscribe((now, before) => {
    if (now.keepInSync === before.keepInSync) return;
    try {
      storage.setItem(KEEP_IN_SYNC_KEY, String(now.keepInSync));
    } catch {
      // Not saved; the choice still holds until the window closes.
    }
  });
}

/** localStorage, or null where reading it throws (storage disabled for the page). */
export function browserStorage(): PreferenceStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
