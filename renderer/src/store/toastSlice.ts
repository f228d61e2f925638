import type { StateCreator } from 'zustand';
import { addToast } from '../logic/toasts';
import type { KbState, ToastSlice } from './types';

export const createToastSlice: StateCreator<KbState, [], [], ToastSlice> = (set) => {
  let nextId = 1;
  return {
    toasts: [],
    pushToast(content) {
      set((s) => ({ toasts: addToast(s.toasts, { ...content, id: nextId++ }) }));
    },
    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },
  };
};
