/** The access token of the headless server: given once in the URL, then kept for the tab. */

export const TOKEN_STORAGE_KEY = 'qckstrt.token';

export interface TokenEnv {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | URL | null): void };
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Reads `?token=` from the page URL, keeps it in sessionStorage and removes it from the visible
 * URL (so it does not end up in screenshots, bookmarks or the history). Falls back to the stored
 * token after a reload. Returns null when there is none.
 */
export function takeToken(env: TokenEnv): string | null {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      env.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page's lifetime.
    }
    url.searchParams.delete('token');
    env.history.replaceState(env.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return env.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}
