import { pathToFileURL } from 'node:url';

/**
 * The one place that says which URL is "our app". The window loads it, navigation may only go to
 * it, the CSP header is applied to it and IPC is only answered for frames showing it.
 */
export type AppOrigin =
  | { kind: 'file'; /** file:// URL of out/renderer/index.html */ indexUrl: string }
  | { kind: 'dev'; /** the Vite dev server, e.g. http://localhost:5173 */ origin: string; url: string };

/**
 * The dev server URL is honoured only in an unpackaged app: a packaged app must never be pointed
 * at another origin by an environment variable.
 */
export function resolveAppOrigin(opts: {
  isPackaged: boolean;
  devServerUrl: string | undefined;
  rendererIndexHtml: string;
}): AppOrigin {
  if (!opts.isPackaged && opts.devServerUrl) {
    const url = new URL(opts.devServerUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return { kind: 'dev', origin: url.origin, url: url.href };
    }
  }
  return { kind: 'file', indexUrl: pathToFileURL(opts.rendererIndexHtml).href };
}

/** True for the app's own page (any hash or query), false for everything else or junk. */
export function isAppUrl(origin: AppOrigin, candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (origin.kind === 'dev') return url.origin === origin.origin;
  const index = new URL(origin.indexUrl);
  return url.protocol === 'file:' && url.host === index.host && url.pathname === index.pathname;
}

/** Links the app may hand to the system browser. */
export function isExternalWebUrl(candidate: string): boolean {
  try {
    const { protocol } = new URL(candidate);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
