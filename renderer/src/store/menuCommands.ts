import type { MenuCommand } from '../../../core/api';
import { focusSearch as focusSearchBox } from '../dom/searchBox';
import type { KbStore } from './createKbStore';

export interface MenuCommandUi {
  /** Focuses the search box once React has shown it (the DOM's, by default). */
  focusSearch(): void;
}

/**
 * What a command from the desktop app's menu does to the UI (`menuCommand` events). The menu is
 * an explicit choice, so an open reader closes first rather than swallowing it.
 */
export function applyMenuCommand(store: KbStore, command: MenuCommand, ui: MenuCommandUi = { focusSearch: focusSearchBox }): void {
  const s = store.getState();
  if (s.reader) s.closeReader();
  switch (command) {
    case 'focus-search':
      s.setAboutOpen(false);
      s.setView('search');
      // The search panel is hidden until React has rendered the switch.
      setTimeout(() => ui.focusSearch(), 0);
      return;
    case 'open-settings':
      s.setView('settings');
      return;
    case 'open-status':
      s.setView('status');
      return;
    case 'open-library':
      s.setView('library');
      return;
    case 'open-about':
      s.setAboutOpen(true);
      return;
  }
}
