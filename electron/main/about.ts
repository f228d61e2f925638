import { app, dialog, type AboutPanelOptionsOptions, type BrowserWindow } from 'electron';
import { APP_NAME } from '../../core/config/dataDir';

type Versions = Partial<Record<'electron' | 'chrome' | 'node', string>>;

/** "Electron 42.0.0 · Chromium 140.0.0 · Node 22.12.0": what a bug report needs. */
export function runtimeVersions(versions: Versions = process.versions): string {
  return [
    `Electron ${versions.electron ?? 'unknown'}`,
    `Chromium ${versions.chrome ?? 'unknown'}`,
    `Node ${versions.node ?? 'unknown'}`,
  ].join(' · ');
}

export function aboutPanelOptions(appVersion: string, versions?: Versions): AboutPanelOptionsOptions {
  return {
    applicationName: APP_NAME,
    applicationVersion: appVersion,
    // macOS shows `version` in brackets after the app's version; Linux and Windows ignore it.
    version: runtimeVersions(versions),
    credits: 'A desktop knowledge base: search your documents by words and meaning, offline.',
    copyright: 'MIT License',
  };
}

/** Sets the native About panel's text (macOS and Linux show it; Windows has none). */
export function installAboutPanel(): void {
  app.setAboutPanelOptions(aboutPanelOptions(app.getVersion()));
}

/**
 * Help → About qckstrt. macOS has a native panel; elsewhere a message box with the same versions,
 * selectable so they can be pasted into a bug report.
 */
export async function showAbout(win: BrowserWindow | null, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (platform === 'darwin') {
    app.showAboutPanel();
    return;
  }
  const box = {
    type: 'info' as const,
    title: `About ${APP_NAME}`,
    message: `${APP_NAME} ${app.getVersion()}`,
    detail: `${runtimeVersions()}\n\nA desktop knowledge base: search your documents by words and meaning, offline.`,
    buttons: ['OK'],
    noLink: true,
  };
  if (win) await dialog.showMessageBox(win, box);
  else await dialog.showMessageBox(box);
}
