import type { Session } from 'electron';
import { isAppUrl, type AppOrigin } from './app-origin';

/**
 * The renderer talks to the app only through `window.kb` (IPC), so it needs no network and no
 * eval. In development Vite injects an inline React-refresh preamble and <style> tags and talks
 * to its dev server over a WebSocket, so the dev policy allows exactly that, for that origin.
 * The renderer's index.html carries a meta CSP as well; a browser enforces both.
 */
export function contentSecurityPolicy(origin: AppOrigin): string {
  const dev = origin.kind === 'dev';
  const ws = dev ? origin.origin.replace(/^http/, 'ws') : '';
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': dev ? ["'self'", ws] : ["'self'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'child-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * Sets the CSP response header on every response for the app's own URL (replacing any the
 * server sent). file:// responses have no headers to rewrite; for them the meta tag is the CSP.
 */
export function installCspHeader(session: Session, origin: AppOrigin): void {
  const policy = contentSecurityPolicy(origin);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(origin, details.url)) {
      callback({});
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}
