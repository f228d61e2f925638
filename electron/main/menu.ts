import {
  Menu,
  dialog,
  type BrowserWindow,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
} from 'electron';
import type { KbApi } from '../../core/api/contract';
import { toErrorShape } from '../../core/api/errors';
import { parseInput } from '../../core/api/parse';

export type AddKind = 'files' | 'folder';

export interface MenuDeps {
  service: KbApi | Promise<KbApi>;
  getWindow: () => BrowserWindow | null;
  platform?: NodeJS.Platform;
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

export function appMenuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const isMac = (deps.platform ?? process.platform) === 'darwin';
  const add = (kind: AddKind) => () => {
    void pickAndIngest(kind, deps);
  };
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { id: 'add-files', label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: add('files') },
        { id: 'add-folder', label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: add('folder') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}

export function installAppMenu(deps: MenuDeps): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(deps)));
}
