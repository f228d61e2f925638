import { useEffect } from 'react';
import { kbStore } from '../store';

export const SEARCH_INPUT_ID = 'search-input';

export function focusSearch(): void {
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** "/" (outside text fields) and Ctrl+K / Cmd+K (anywhere) focus the search box, from the Ask tab too. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const modK = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target);
      // The reader is modal: the page behind it cannot take focus until it closes.
      if (!(modK || slash) || kbStore.getState().reader !== null) return;
      e.preventDefault();
      if (kbStore.getState().view === 'search') {
        focusSearch();
      } else {
        kbStore.getState().setView('search');
        // The search panel is hidden until React has rendered the switch.
        setTimeout(focusSearch, 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
