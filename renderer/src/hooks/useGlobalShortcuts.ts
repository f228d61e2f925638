import { useEffect } from 'react';
import { focusSearch } from '../dom/searchBox';
import { kbStore } from '../store';

export { SEARCH_INPUT_ID, focusSearch } from '../dom/searchBox';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** "/" (outside text fields) and Ctrl+K / Cmd+K (anywhere) focus the search box, from the Ask tab too; Ctrl/Cmd+, opens Settings. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Ctrl+, / Cmd+, opens Settings, as in most desktop apps (not over the modal reader).
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key === ',' && kbStore.getState().reader === null) {
        e.preventDefault();
        kbStore.getState().setView('settings');
        return;
      }
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
