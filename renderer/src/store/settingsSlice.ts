import type { StateCreator } from 'zustand';
import type {
  KbClient,
  KbErrorShape,
  ProviderChangePlan,
  ProviderChangeStatus,
  ProviderChangeStrategy,
  ProviderHealth,
  PublicSettings,
  SettingsPatch,
} from '../../../core/api';
import { settle } from '../kb/unwrap';
import {
  draftFromSettings,
  draftToPatch,
  isEmptyPatch,
  touchesStores,
  withSavedOptions,
  type FieldErrors,
  type SettingsDraft,
} from '../logic/settingsForm';
import type { KbState } from './types';

export type ProviderSide = 'relational' | 'vector';

export type ConnectionTest =
  | { state: 'testing' }
  | { state: 'done'; health: ProviderHealth }
  | { state: 'error'; error: KbErrorShape };

/**
 * Applying the draft. A change that moves no store is saved at once (indexing and backup options alone are
 * saved without planning); one that does shows its plan in a dialog (`plan`), then runs with
 * progress (`running`) and ends `done` or `failed`.
 */
export type SettingsApply =
  | { step: 'idle' }
  | { step: 'checking' }
  | { step: 'saved' }
  | { step: 'error'; error: KbErrorShape }
  | { step: 'plan'; plan: ProviderChangePlan; patch: SettingsPatch; strategy: ProviderChangeStrategy | null }
  | { step: 'running'; plan: ProviderChangePlan; patch: SettingsPatch; strategy: ProviderChangeStrategy; progress: ProviderChangeStatus | null; cancelling: boolean }
  | { step: 'done'; plan: ProviderChangePlan; status: ProviderChangeStatus }
  | { step: 'failed'; plan: ProviderChangePlan; patch: SettingsPatch; strategy: ProviderChangeStrategy; error: KbErrorShape; progress: ProviderChangeStatus | null };

export interface SettingsSlice {
  /** What the Settings screen shows and edits; null until the settings are loaded. */
  settingsDraft: SettingsDraft | null;
  /** The settings the draft started from (what is in force). */
  draftBase: PublicSettings | null;
  /** Messages shown after Test or Apply was pressed with invalid fields (typing shows them too). */
  draftErrors: FieldErrors;
  connectionTests: Partial<Record<ProviderSide, ConnectionTest>>;
  settingsApply: SettingsApply;
  /** Loads the settings in force and starts a draft from them (keeps an edited draft). */
  openSettingsDraft(options?: { discard?: boolean }): Promise<void>;
  /** Changes the draft with a pure update (logic/settingsForm); earlier test results no longer apply. */
  editSettingsDraft(update: (d: SettingsDraft) => SettingsDraft): void;
  testProviderConnection(side: ProviderSide): Promise<void>;
  /** Saves a change that moves no store, or shows the plan for one that does. */
  applySettingsDraft(): Promise<void>;
  chooseStrategy(strategy: ProviderChangeStrategy): void;
  confirmProviderChange(): Promise<void>;
  cancelRunningProviderChange(): Promise<void>;
  applyProviderChangeProgress(status: ProviderChangeStatus): void;
  /** Closes the plan dialog (not while a change runs). */
  closeProviderChange(): void;
}

// ---- pure updates (exported for tests) ----

export function withTest(tests: SettingsSlice['connectionTests'], side: ProviderSide, test: ConnectionTest): SettingsSlice['connectionTests'] {
  return { ...tests, [side]: test };
}

/** Progress events apply only to the change this screen started, while it runs. */
export function withProgress(apply: SettingsApply, status: ProviderChangeStatus): SettingsApply {
  if (apply.step !== 'running') return apply;
  return { ...apply, progress: status };
}

/** The first strategy the plan offers, or the one chosen if it is still offered. */
export function defaultStrategy(plan: ProviderChangePlan, chosen: ProviderChangeStrategy | null = null): ProviderChangeStrategy | null {
  if (chosen && plan.strategies.includes(chosen)) return chosen;
  return plan.strategies[0] ?? null;
}

/** Whether the draft differs from the settings it started from (an invalid draft counts as edited). */
export function isEdited(draft: SettingsDraft, base: PublicSettings): boolean {
  const r = draftToPatch(draft, base);
  return !r.ok || !isEmptyPatch(r.patch);
}

export function dialogOpen(apply: SettingsApply): boolean {
  return apply.step === 'plan' || apply.step === 'running' || apply.step === 'done' || apply.step === 'failed';
}

export const createSettingsSlice =
  (client: KbClient): StateCreator<KbState, [], [], SettingsSlice> =>
  (set, get) => {
    /** The draft's patch (`storesOnly`: without the indexing and backup options, for a connection test). */
    const currentPatch = (storesOnly = false): SettingsPatch | null => {
      const { settingsDraft, draftBase } = get();
      if (!settingsDraft || !draftBase) return null;
      const r = draftToPatch(storesOnly ? withSavedOptions(settingsDraft, draftBase) : settingsDraft, draftBase);
      if (!r.ok) {
        set({ draftErrors: r.errors });
        return null;
      }
      set({ draftErrors: {} });
      return r.patch;
    };

    /** After a change is in force: the header, the library and the form follow the new settings. */
    const reloadAfterChange = async (saved?: PublicSettings) => {
      let settings = saved ?? null;
      if (!settings) {
        const r = await settle(() => client.getSettings());
        if (r.ok) settings = r.value;
      }
      if (settings) set({ settings, draftBase: settings, settingsDraft: draftFromSettings(settings), connectionTests: {}, draftErrors: {} });
      void get().refreshStatus();
      void get().refreshDocuments();
    };

    return {
      settingsDraft: null,
      draftBase: null,
      draftErrors: {},
      connectionTests: {},
      settingsApply: { step: 'idle' },

      async openSettingsDraft(options = {}) {
        const r = await settle(() => client.getSettings());
        if (!r.ok) {
          set({ settingsApply: { step: 'error', error: r.error } });
          return;
        }
        const { settingsDraft, draftBase, settingsApply } = get();
        set({ settings: r.value });
        if (settingsDraft && draftBase && isEdited(settingsDraft, draftBase) && !options.discard) return;
        set({
          draftBase: r.value,
          settingsDraft: draftFromSettings(r.value),
          draftErrors: {},
          connectionTests: {},
          ...(settingsApply.step === 'running' ? {} : { settingsApply: { step: 'idle' } as SettingsApply }),
        });
      },

      editSettingsDraft(update) {
        const { settingsDraft, settingsApply } = get();
        if (!settingsDraft || settingsApply.step === 'running') return;
        set({
          settingsDraft: update(settingsDraft),
          connectionTests: {},
          draftErrors: {},
          ...(settingsApply.step === 'saved' || settingsApply.step === 'error' ? { settingsApply: { step: 'idle' } as SettingsApply } : {}),
        });
      },

      async testProviderConnection(side) {
        const patch = currentPatch(true);
        if (!patch) return;
        const draft = get().settingsDraft;
        set((s) => ({ connectionTests: withTest(s.connectionTests, side, { state: 'testing' }) }));
        const r = await settle(() => client.testConnection(patch));
        // A draft edited meanwhile cleared the tests: this answer is for values no longer shown.
        if (get().settingsDraft !== draft) return;
        set((s) => ({
          connectionTests: withTest(s.connectionTests, side, r.ok ? { state: 'done', health: r.value[side] } : { state: 'error', error: r.error }),
        }));
      },

      async applySettingsDraft() {
        const { settingsApply } = get();
        if (settingsApply.step === 'checking' || settingsApply.step === 'running') return;
        const patch = currentPatch();
        if (!patch || isEmptyPatch(patch)) return;
        set({ settingsApply: { step: 'checking' } });
        const save = async () => {
          const saved = await settle(() => client.updateSettings(patch));
          if (!saved.ok) {
            set({ settingsApply: { step: 'error', error: saved.error } });
            return;
          }
          await reloadAfterChange(saved.value);
          set({ settingsApply: { step: 'saved' } });
        };
        // Indexing and backup options move nothing: no plan to make (it would test and count the stores).
        if (!touchesStores(patch)) return save();
        const planned = await settle(() => client.planProviderChange(patch));
        if (!planned.ok) {
          set({ settingsApply: { step: 'error', error: planned.error } });
          return;
        }
        const plan = planned.value;
        if (!plan.changesStores) {
          // Pool sizes, timeouts, TLS, the password: saved (and reconnected) at once.
          return save();
        }
        set({ settingsApply: { step: 'plan', plan, patch, strategy: defaultStrategy(plan) } });
      },

      chooseStrategy(strategy) {
        set((s) => (s.settingsApply.step === 'plan' ? { settingsApply: { ...s.settingsApply, strategy } } : {}));
      },

      async confirmProviderChange() {
        const apply = get().settingsApply;
        if (apply.step !== 'plan' && apply.step !== 'failed') return;
        const { strategy } = apply;
        if (!strategy || !apply.plan.strategies.includes(strategy)) return;
        const { plan, patch } = apply;
        set({ settingsApply: { step: 'running', plan, patch, strategy, progress: null, cancelling: false } });
        const r = await settle(() => client.applyProviderChange({ patch, strategy }));
        const now = get().settingsApply;
        const progress = now.step === 'running' ? now.progress : null;
        if (!r.ok) {
          set({ settingsApply: { step: 'failed', plan, patch, strategy, error: r.error, progress } });
          void get().refreshStatus();
          return;
        }
        set({ settingsApply: { step: 'done', plan, status: r.value } });
        await reloadAfterChange();
      },

      async cancelRunningProviderChange() {
        const apply = get().settingsApply;
        if (apply.step !== 'running' || apply.cancelling) return;
        set({ settingsApply: { ...apply, cancelling: true } });
        // The apply call then rejects as Cancelled, which ends the run.
        const r = await settle(() => client.cancelProviderChange());
        const now = get().settingsApply;
        if (now.step === 'running' && (!r.ok || !r.value.cancelled)) set({ settingsApply: { ...now, cancelling: false } });
      },

      applyProviderChangeProgress(status) {
        set((s) => ({ settingsApply: withProgress(s.settingsApply, status) }));
      },

      closeProviderChange() {
        const apply = get().settingsApply;
        if (!dialogOpen(apply) || apply.step === 'running') return;
        set({ settingsApply: { step: 'idle' } });
      },
    };
  };
