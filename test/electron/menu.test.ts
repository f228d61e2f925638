import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';
import { KbError } from '../../core/api/errors';
import { MENU_COMMANDS, ipcEventChannel, type MenuCommand } from '../../core/api/channels';
import { aboutPanelOptions, runtimeVersions } from '../../electron/main/about';
import { appMenuTemplate, installAppMenu, pickAndIngest, sendMenuCommand } from '../../electron/main/menu';
import { FakeBrowserWindow, Menu, app, dialog, resetFakeElectron } from './fake-electron';
import { createFakeService } from './fake-service';

function setup(platform: NodeJS.Platform = 'linux') {
  resetFakeElectron();
  const win = new FakeBrowserWindow({});
  const fake = createFakeService();
  const deps = { service: fake.service, getWindow: () => win as unknown as BrowserWindow, platform };
  return { win, fake, deps };
}

const submenu = (template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] => {
  const menu = template.find((m) => (m.role ?? m.label) === label);
  return Array.isArray(menu?.submenu) ? menu.submenu : [];
};

const findItem = (template: MenuItemConstructorOptions[], id: string) =>
  template
    .flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []))
    .find((i) => i.id === id);

describe('application menu', () => {
  it('has File, Edit, View, Window and Help; on macOS the app menu first, holding Settings…', () => {
    const linux = appMenuTemplate(setup('linux').deps);
    expect(linux.map((m) => m.role ?? m.label)).toEqual(['&File', '&Edit', '&View', 'windowMenu', 'help']);
    expect(findItem(linux, 'add-files')?.label).toBe('Add Files…');
    expect(findItem(linux, 'add-folder')?.label).toBe('Add Folder…');
    expect(submenu(linux, '&File').some((i) => i.id === 'settings')).toBe(true);
    expect(submenu(linux, '&File').at(-1)?.role).toBe('quit');

    const mac = appMenuTemplate(setup('darwin').deps);
    expect(mac.map((m) => m.role ?? m.label)).toEqual(['qckstrt', '&File', '&Edit', '&View', 'windowMenu', 'help']);
    const appMenu = submenu(mac, 'qckstrt');
    expect(appMenu.map((i) => i.id ?? i.role ?? i.type)).toEqual([
      'about-app', 'separator', 'settings', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit',
    ]);
    expect(submenu(mac, '&File').some((i) => i.id === 'settings')).toBe(false);
    expect(submenu(mac, '&File').at(-1)?.role).toBe('close');
  });

  it('has the usual shortcuts', () => {
    const accelerators = (t: MenuItemConstructorOptions[]) =>
      Object.fromEntries(t.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : [])).filter((i) => i.id && i.accelerator).map((i) => [i.id, i.accelerator]));
    const expected = {
      settings: 'CmdOrCtrl+,',
      search: 'CmdOrCtrl+K',
      library: 'CmdOrCtrl+L',
      status: 'CmdOrCtrl+I',
      'add-files': 'CmdOrCtrl+O',
      'add-folder': 'CmdOrCtrl+Shift+O',
    };
    expect(accelerators(appMenuTemplate(setup('linux').deps))).toEqual(expected);
    expect(accelerators(appMenuTemplate(setup('darwin').deps))).toEqual(expected);
    // Every accelerator is different.
    expect(new Set(Object.values(expected)).size).toBe(Object.keys(expected).length);
  });

  it('Edit is made of roles; View zooms and goes full screen', () => {
    const t = appMenuTemplate(setup('linux').deps);
    expect(submenu(t, '&Edit').filter((i) => i.role).map((i) => i.role)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
    expect(submenu(appMenuTemplate(setup('darwin').deps), '&Edit').map((i) => i.role)).toContain('pasteAndMatchStyle');
    const view = submenu(t, '&View').map((i) => i.id ?? i.role ?? i.type);
    expect(view).toEqual(expect.arrayContaining(['search', 'library', 'status', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
  });

  it('offers reload and the developer tools only in an unpackaged app', () => {
    const roles = (isPackaged: boolean) => submenu(appMenuTemplate({ ...setup().deps, isPackaged }), '&View').map((i) => i.role);
    expect(roles(false)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) expect(roles(true)).not.toContain(role);
  });

  it('Search, Library, Status and Settings… send their command to the window', () => {
    const { deps, win } = setup();
    const t = appMenuTemplate(deps);
    const expected: [string, MenuCommand][] = [
      ['search', 'focus-search'],
      ['library', 'open-library'],
      ['status', 'open-status'],
      ['settings', 'open-settings'],
    ];
    for (const [id, command] of expected) {
      win.webContents.send.mockClear();
      (findItem(t, id)!.click as () => void)();
      expect(win.webContents.send).toHaveBeenCalledExactlyOnceWith(ipcEventChannel('menuCommand'), { command });
    }
    expect(MENU_COMMANDS).toEqual(expect.arrayContaining(expected.map(([, c]) => c)));
  });

  it('a command restores a minimised window first; with no window it is dropped', () => {
    const { win } = setup();
    win.minimized = true;
    expect(sendMenuCommand(() => win as unknown as BrowserWindow, 'open-status')).toBe(true);
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    expect(sendMenuCommand(() => null, 'open-status')).toBe(false);
    win.close();
    expect(sendMenuCommand(() => win as unknown as BrowserWindow, 'open-status')).toBe(false);
  });

  it('Help → About qckstrt shows the versions (a message box; the native panel on macOS)', async () => {
    const { deps, win } = setup('linux');
    (findItem(appMenuTemplate(deps), 'about')!.click as () => void)();
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalled());
    const box = dialog.showMessageBox.mock.calls[0]![1] as { message: string; detail: string; title: string };
    expect(dialog.showMessageBox.mock.calls[0]![0]).toBe(win);
    expect(box.title).toBe('About qckstrt');
    expect(box.message).toBe('qckstrt 0.1.0');
    expect(box.detail).toMatch(/^Electron .* · Chromium .* · Node .*/);
    expect(box.detail).toContain(`Node ${process.versions.node}`);

    const mac = setup('darwin');
    (findItem(appMenuTemplate(mac.deps), 'about-app')!.click as () => void)();
    (findItem(appMenuTemplate(mac.deps), 'about')!.click as () => void)();
    expect(app.showAboutPanel).toHaveBeenCalledTimes(2);
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('the About panel names the app, its version and the Electron, Chromium and Node versions', () => {
    const options = aboutPanelOptions('1.2.3', { electron: '42.0.1', chrome: '142.0.7444.52', node: '22.20.0' });
    expect(options).toMatchObject({ applicationName: 'qckstrt', applicationVersion: '1.2.3', version: 'Electron 42.0.1 · Chromium 142.0.7444.52 · Node 22.20.0' });
    expect(runtimeVersions({})).toBe('Electron unknown · Chromium unknown · Node unknown');
  });

  it('is installed as the application menu', () => {
    installAppMenu(setup().deps);
    expect(Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(Menu.current?.template).toHaveLength(5);
  });

  it('"Add Files…" opens a multi-file dialog and ingests what was picked', async () => {
    const { win, fake, deps } = setup();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/u/a.pdf', '/home/u/b.md'] });
    await pickAndIngest('files', deps);
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(win, expect.objectContaining({ properties: ['openFile', 'multiSelections'] }));
    expect(fake.calls.ingestFiles).toHaveBeenCalledWith({ paths: ['/home/u/a.pdf', '/home/u/b.md'] });
  });

  it('"Add Folder…" asks for directories', async () => {
    const { deps, fake } = setup();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/u/notes'] });
    const item = findItem(appMenuTemplate(deps), 'add-folder')!;
    (item.click as () => void)();
    await vi.waitFor(() => expect(fake.calls.ingestFiles).toHaveBeenCalledWith({ paths: ['/home/u/notes'] }));
    expect(dialog.showOpenDialog.mock.calls[0]![1]).toMatchObject({ properties: ['openDirectory', 'multiSelections'] });
  });

  it('does nothing when the dialog is cancelled', async () => {
    const { deps, fake } = setup();
    await pickAndIngest('files', deps);
    expect(fake.calls.ingestFiles).not.toHaveBeenCalled();
  });

  it('shows a message when ingesting fails', async () => {
    const { deps, fake, win } = setup();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/x'] });
    fake.calls.ingestFiles.mockRejectedValueOnce(new KbError('ProviderUnavailable', 'ChromaDB is not reachable at http://localhost:8001'));
    await pickAndIngest('files', deps);
    expect(dialog.showMessageBox).toHaveBeenCalledWith(win, expect.objectContaining({ type: 'error', detail: 'ChromaDB is not reachable at http://localhost:8001' }));
  });
});
