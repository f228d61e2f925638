/// <reference types="vite/client" />
import type { KbClient } from '../../core/api';
import type { ElectronPlatform } from './kb/platform';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser. */
    kb?: KbClient;
    /** Exposed by the Electron preload; absent in a plain browser. */
    kbPlatform?: ElectronPlatform;
  }
}

export {};
