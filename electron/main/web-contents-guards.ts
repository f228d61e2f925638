import { shell, type Session, type WebContents } from 'electron';
import { isAppUrl, isExternalWebUrl, type AppOrigin } from './app-origin';

const hardened = new WeakSet<WebContents>();

/** Hands a web link to the system browser; anything that is not http(s) is dropped. */
export function openExternalIfSafe(url: string): void {
  if (!isExternalWebUrl(url)) return;
  shell.openExternal(url).catch((err: unknown) => {
    console.warn('[qckstrt] could not open link externally:', err instanceof Error ? err.message : err);
  });
}

/**
 * Keeps a web contents on the app's own page: no navigation elsewhere (web links open in the
 * system browser instead), no new windows, no <webview>. Applied to the main window and, through
 * `app.on('web-contents-created')`, to any other web contents that might appear.
 */
export function hardenWebContents(contents: WebContents, origin: AppOrigin): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);

  const blockUnlessApp = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(origin, url)) return;
    event.preventDefault();
    openExternalIfSafe(url);
  };
  contents.on('will-navigate', (event) => blockUnlessApp(event, event.url));
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(origin, event.url)) event.preventDefault();
  });

  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfSafe(url);
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Denies every permission (camera, microphone, notifications, geolocation, ...). The one
 * exception is writing text to the clipboard from the app's own page ("copy snippet").
 */
export function denyPermissions(session: Session, origin: AppOrigin): void {
  const allowed = (permission: string, url: string | undefined): boolean =>
    permission === 'clipboard-sanitized-write' && url !== undefined && isAppUrl(origin, url);

  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(allowed(permission, details.requestingUrl ?? contents.getURL()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowed(permission, details.requestingUrl ?? requestingOrigin),
  );
}
