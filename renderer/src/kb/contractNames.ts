import type { KbEventName, KbMethod } from '../../../core/api';

// Method names as a compile-time-complete map: adding a method to the contract breaks the build
// here until it is listed (the renderer cannot import the runtime KB_METHODS array).
const METHODS: Record<KbMethod, true> = {
  ingestFiles: true,
  ingestUpload: true,
  listJobs: true,
  listDocuments: true,
  deleteDocument: true,
  search: true,
  readDocument: true,
  ask: true,
  cancelAsk: true,
  getSettings: true,
  updateSettings: true,
  testConnection: true,
  getStatus: true,
  listModels: true,
  pauseIngest: true,
  resumeIngest: true,
  cancelIngest: true,
  listWatchedFolders: true,
  unwatchFolder: true,
  openDocument: true,
  deleteDocuments: true,
  reindexDocuments: true,
  planProviderChange: true,
  applyProviderChange: true,
  cancelProviderChange: true,
  reconcileStores: true,
  backupLibrary: true,
  restoreLibrary: true,
  listBackups: true,
};
const EVENTS: Record<KbEventName, true> = {
  ingestProgress: true,
  documentsChanged: true,
  modelDownload: true,
  reindexProgress: true,
  ingestStats: true,
  askDelta: true,
  providerChangeProgress: true,
  backupProgress: true,
  menuCommand: true,
};

export const KB_METHOD_NAMES = Object.keys(METHODS) as KbMethod[];
export const KB_EVENT_NAMES = Object.keys(EVENTS) as KbEventName[];
