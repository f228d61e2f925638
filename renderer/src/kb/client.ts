import type { KbClient } from '../../../core/api';
import { createHttpClient } from './httpClient';
import type { KbPlatform } from './platform';
import { takeToken } from './token';

/**
 * The one place that decides how the renderer reaches the core: Electron's preload exposes
 * `window.kb`; without it (the headless server opened in a browser) calls go over HTTP.
 */
let client: KbClient | null = null;
/** The headless server's token (undefined until read; null in Electron or when there is none). */
let token: string | null | undefined;

export function getKbClient(): KbClient {
  if (!client) {
    client = window.kb ?? createHttpClient({ token: getServerToken() });
  }
  return client;
}

/** The token for URLs the browser opens itself (a document's original in a new tab). */
export function getServerToken(): string | null {
  if (window.kb) return null;
  if (token === undefined) token = takeToken(window);
  return token;
}

export function getPlatform(): KbPlatform {
  return window.kbPlatform ?? { kind: 'browser' };
}
