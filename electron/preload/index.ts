import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createKbClient, type KbPlatform } from './kb-client';

/*
 * Sandboxed preload: built as one CommonJS file (out/preload/index.cjs) whose only `require` is
 * `electron`. It exposes the typed client and nothing else: no ipcRenderer, no Node.
 */
contextBridge.exposeInMainWorld('kb', createKbClient(ipcRenderer));

const platform: KbPlatform = {
  kind: 'electron',
  pathForFile: (file) => webUtils.getPathForFile(file),
};
contextBridge.exposeInMainWorld('kbPlatform', platform);
