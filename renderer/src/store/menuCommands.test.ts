import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MenuCommand } from '../../../core/api';
import { fakeClient } from '../testing/fakeClient';
import { connectStore } from './connect';
import { createKbStore } from './createKbStore';
import { applyMenuCommand } from './menuCommands';

afterEach(() => vi.useRealTimers());

describe('menu commands from the desktop app', () => {
  it('arrive as menuCommand events and change the view; unsubscribed on disconnect', () => {
    const fake = fakeClient();
    const store = createKbStore(fake.client);
    const off = connectStore(fake.client, store);
    const cases: [MenuCommand, string][] = [
      ['open-settings', 'settings'],
      ['open-status', 'status'],
      ['open-library', 'library'],
    ];
    for (const [command, view] of cases) {
      fake.emit('menuCommand', { command });
      expect(store.getState().view).toBe(view);
    }
    expect(store.getState().aboutOpen).toBe(false);
    fake.emit('menuCommand', { command: 'open-about' });
    expect(store.getState().aboutOpen).toBe(true);
    off();
    fake.emit('menuCommand', { command: 'open-status' });
    expect(store.getState().view).toBe('library');
  });

  it('focus-search shows the search tab, then focuses the box once it is rendered', () => {
    vi.useFakeTimers();
    const store = createKbStore(fakeClient().client);
    store.getState().setView('status');
    store.getState().setAboutOpen(true);
    const focusSearch = vi.fn();
    applyMenuCommand(store, 'focus-search', { focusSearch });
    expect(store.getState().view).toBe('search');
    expect(store.getState().aboutOpen).toBe(false);
    expect(focusSearch).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(focusSearch).toHaveBeenCalledOnce();
  });

  it('closes an open reader first, so the command is not hidden behind it', () => {
    const store = createKbStore(fakeClient().client);
    void store.getState().openReader({ documentId: 'd1', documentName: 'd1.md', chunkId: 'd1:0' });
    expect(store.getState().reader).not.toBeNull();
    applyMenuCommand(store, 'open-settings', { focusSearch: () => {} });
    expect(store.getState().reader).toBeNull();
    expect(store.getState().view).toBe('settings');
  });
});
