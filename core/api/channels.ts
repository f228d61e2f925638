/**
 * Method and event names with their IPC channels. Kept free of zod so the sandboxed preload can
 * bundle it without pulling in the schemas; `contract.ts` checks that its map has exactly these keys.
 */
export const KB_METHODS = [
  'ingestFiles',
  'ingestUpload',
  'listJobs',
  'listDocuments',
  'deleteDocument',
  'search',
  'readDocument',
  'ask',
  'cancelAsk',
  'getSettings',
  'updateSettings',
  'testConnection',
  'getStatus',
  'listModels',
  'pauseIngest',
  'resumeIngest',
  'cancelIngest',
  'listWatchedFolders',
  'unwatchFolder',
  'openDocument',
  'deleteDocuments',
  'reindexDocuments',
  'planProviderChange',
  'applyProviderChange',
  'cancelProviderChange',
  'reconcileStores',
  'backupLibrary',
  'restoreLibrary',
  'listBackups',
] as const;
export type KbMethod = (typeof KB_METHODS)[number];

export const KB_EVENTS = [
  'ingestProgress',
  'documentsChanged',
  'modelDownload',
  'reindexProgress',
  'ingestStats',
  'askDelta',
  'providerChangeProgress',
  'backupProgress',
  'menuCommand',
] as const;
export type KbEventName = (typeof KB_EVENTS)[number];

/**
 * What the desktop app's menu asks the UI to do (`menuCommand` events). Only the Electron main
 * process sends them; the core never does.
 */
export const MENU_COMMANDS = ['focus-search', 'open-settings', 'open-status', 'open-library', 'open-about'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const ipcChannel = (m: KbMethod): string => `kb:${m}`;
export const ipcEventChannel = (e: KbEventName): string => `kb:event:${e}`;
