import type { StateCreator } from 'zustand';
import type { KbState, ViewSlice } from './types';

export const createViewSlice: StateCreator<KbState, [], [], ViewSlice> = (set) => ({
  view: 'search',
  setView(view) {
    set({ view });
  },
  settingsFocus: null,
  openSettings(focus) {
    set({ view: 'settings', settingsFocus: focus ?? null });
  },
  clearSettingsFocus() {
    set({ settingsFocus: null });
  },
  aboutOpen: false,
  setAboutOpen(aboutOpen) {
    set({ aboutOpen });
  },
});
