import {
  Menu,
  dialog,
  type BrowserWindow,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
} from 'electron';
import { ipcEventChannel, type MenuCommand } from '../../core/api/channels';
import type { KbApi, KbEvents } from '../../core/api/contract';
import { APP_NAME } from '../../core/config/dataDir';
import { toErrorShape } from '../../core/api/errors';
import { parseInput } from '../../core/api/parse';
import { showAbout } from './about';

export type AddKind = 'files' | 'folder';

export interface MenuDeps {
  service: KbApi | Promise<KbApi>;
  getWindow: () => BrowserWindow | null;
  platform?: NodeJS.Platform;
  /** `app.isPackaged`: a packaged app has no reload or developer tools in its menu. */
  isPackaged?: boolean;
}

const dialogOptions: Record<AddKind, OpenDialogOptions> = {
  files: { title: 'Add files to the knowledge base', properties: ['openFile', 'multiSelections'] },
  folder: { title: 'Add a folder to the knowledge base', properties: ['openDirectory', 'multiSelections'] },
};

/**
 * Asks for files or folders and hands them to the core. The call returns as soon as the jobs are
 * queued; their progress reaches the window through `ingestProgress` events.
 */
export async function pickAndIngest(kind: AddKind, deps: MenuDeps): Promise<void> {
  const win = deps.getWindow();
  const options = dialogOptions[kind];
  const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  if (picked.canceled || picked.filePaths.length === 0) return;
  try {
    const service = await deps.service;
    await service.ingestFiles(parseInput('ingestFiles', { paths: picked.filePaths }));
  } catch (err) {
    const { message } = toErrorShape(err);
    const box = { type: 'error' as const, message: 'Could not add to the knowledge base', detail: message };
    if (win) await dialog.showMessageBox(win, box);
    else await dialog.showMessageBox(box);
  }
}

/**
 * Hands a menu command to the UI (`kb:event:menuCommand`), bringing the window forward first.
 * Returns false when there is no window to tell (macOS, all windows closed).
 */
export function sendMenuCommand(getWindow: () => BrowserWindow | null, command: MenuCommand): boolean {
  const win = getWindow();
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return false;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  const payload: KbEvents['menuCommand'] = { command };
  win.webContents.send(ipcEventChannel('menuCommand'), payload);
  return true;
}

/**
 * The native menu, with the roles and shortcuts people expect on each platform. Items that act in
 * the UI send it a command (see sendMenuCommand); reload and the developer tools exist only in an
 * unpackaged app.
 */
export function appMenuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const isMac = (deps.platform ?? process.platform) === 'darwin';
  const add = (kind: AddKind) => () => {
    void pickAndIngest(kind, deps);
  };
  const command = (c: MenuCommand) => () => {
    sendMenuCommand(deps.getWindow, c);
  };
  const about = () => {
    void showAbout(deps.getWindow(), deps.platform);
  };
  const settings: MenuItemConstructorOptions = {
    id: 'settings',
    label: 'Settings…',
    accelerator: 'CmdOrCtrl+,',
    click: command('open-settings'),
  };
  const develop: MenuItemConstructorOptions[] = deps.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];

  return [
    ...(isMac
      ? [
          {
            label: APP_NAME,
            submenu: [
              { id: 'about-app', label: `About ${APP_NAME}`, click: about },
              { type: 'separator' },
              settings,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: '&File',
      submenu: [
        { id: 'add-files', label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: add('files') },
        { id: 'add-folder', label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: add('folder') },
        { type: 'separator' },
        ...(isMac ? [] : [settings, { type: 'separator' } as const]),
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { id: 'search', label: 'Search', accelerator: 'CmdOrCtrl+K', click: command('focus-search') },
        { id: 'library', label: 'Library', accelerator: 'CmdOrCtrl+L', click: command('open-library') },
        { id: 'status', label: 'Status', accelerator: 'CmdOrCtrl+I', click: command('open-status') },
        { type: 'separator' },
        ...develop,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ id: 'about', label: `About ${APP_NAME}`, click: about }],
    },
  ];
}

export function installAppMenu(deps: MenuDeps): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(deps)));
}
