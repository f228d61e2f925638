import type { StateCreator } from 'zustand';
import type { KbState, ViewSlice } from './types';

export const createViewSlice: StateCreator<KbState, [], [], ViewSlice> = (set) => ({
  view: 'search',
  setView(view) {
    set({ view });
  },
  aboutOpen: false,
  setAboutOpen(aboutOpen) {
    set({ aboutOpen });
  },
});
