import type { KbClient } from '../../../core/api';
import { createHttpClient } from './httpClient';
import type { KbPlatform } from './platform';
import { takeToken } from './token';

/**
 * The one place that decides how the renderer reaches the core: Electron's preload exposes
 * `window.kb`; without it (the headless server opened in a browser) calls go over HTTP.
 */
let client: KbClient | null = null;

export function getKbClient(): KbClient {
  if (!client) {
    client = window.kb ?? createHttpClient({ token: takeToken(window) });
  }
  return client;
}

export function getPlatform(): KbPlatform {
  return window.kbPlatform ?? { kind: 'browser' };
}
