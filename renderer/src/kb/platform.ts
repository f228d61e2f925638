/** What the renderer can do with dropped files, which depends on where it runs. */
export interface ElectronPlatform {
  kind: 'electron';
  /** Absolute path of a dropped or picked file (Electron's webUtils.getPathForFile); '' if none. */
  pathForFile(file: File): string;
}

export interface BrowserPlatform {
  kind: 'browser';
}

export type KbPlatform = ElectronPlatform | BrowserPlatform;
