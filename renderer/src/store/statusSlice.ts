import type { StateCreator } from 'zustand';
import type { KbClient } from '../../../core/api';
import { settle } from '../kb/unwrap';
import { reindexKey } from '../logic/modelActivity';
import type { KbState, StatusSlice } from './types';

export const createStatusSlice =
  (client: KbClient): StateCreator<KbState, [], [], StatusSlice> =>
  (set, get) => {
    let latest = 0;
    return {
      status: null,
      statusError: null,
      settings: null,
      modelDownload: null,
      models: null,

      async refreshModels() {
        const r = await settle(() => client.listModels());
        if (r.ok) set({ models: r.value });
      },

      async chooseModel(id) {
        const r = await settle(() => client.updateSettings({ embedding: { model: id, allowDownload: true } }));
        if (!r.ok) return r.error;
        set({ settings: r.value });
        return null;
      },

      async refreshStatus() {
        const mine = ++latest;
        const statsVersion = get().ingestStatsVersion;
        const r = await settle(() => client.getStatus());
        if (mine !== latest) return;
        if (!r.ok) {
          set({ statusError: r.error });
          return;
        }
        set({ status: r.value, statusError: null });
        // The queue's stats from the snapshot, unless an event or a pause answer brought newer ones
        // while it was in flight (a core without the field sends none).
        if (r.value.ingest && get().ingestStatsVersion === statsVersion) get().applyIngestStats(r.value.ingest);
      },

      async refreshSettings() {
        const r = await settle(() => client.getSettings());
        // Settings only refine the UI (the upload size check); without them the core still checks.
        if (r.ok) set({ settings: r.value });
      },

      applyModelDownload(p) {
        set({ modelDownload: p });
      },

      applyReindex(p) {
        set((s) => (s.status ? { status: { ...s.status, reindex: p } } : {}));
      },

      dismissedReindex: null,

      dismissReindexFailure() {
        const reindex = get().status?.reindex;
        if (reindex?.state === 'failed') set({ dismissedReindex: reindexKey(reindex) });
      },

      async resetStoresToRelational() {
        const r = await settle(() => client.reconcileStores({ force: true }));
        // Either way the figures changed (or the mismatch is still there): show the current state.
        await Promise.all([get().refreshStatus(), get().refreshDocuments()]);
        return r;
      },
    };
  };
