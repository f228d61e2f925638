import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';
import { KbError } from '../../core/api/errors';
import { appMenuTemplate, installAppMenu, pickAndIngest } from '../../electron/main/menu';
import { FakeBrowserWindow, Menu, dialog, resetFakeElectron } from './fake-electron';
import { createFakeService } from './fake-service';

function setup(platform: NodeJS.Platform = 'linux') {
  resetFakeElectron();
  const win = new FakeBrowserWindow({});
  const fake = createFakeService();
  const deps = { service: fake.service, getWindow: () => win as unknown as BrowserWindow, platform };
  return { win, fake, deps };
}

const findItem = (template: MenuItemConstructorOptions[], id: string) =>
  template
    .flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []))
    .find((i) => i.id === id);

describe('application menu', () => {
  it('has File (Add Files…, Add Folder…), Edit, View and Window; the app menu on macOS', () => {
    const linux = appMenuTemplate(setup('linux').deps);
    expect(linux.map((m) => m.role ?? m.label)).toEqual(['&File', 'editMenu', 'viewMenu', 'windowMenu']);
    expect(findItem(linux, 'add-files')?.label).toBe('Add Files…');
    expect(findItem(linux, 'add-folder')?.label).toBe('Add Folder…');
    const mac = appMenuTemplate(setup('darwin').deps);
    expect(mac[0]?.role).toBe('appMenu');
  });

  it('is installed as the application menu', () => {
    installAppMenu(setup().deps);
    expect(Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(Menu.current?.template).toHaveLength(4);
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
