import { shell } from 'electron';
import type { KbMethod } from '../../core/api/channels';
import type { KbApi, MethodOutput, ParsedInput } from '../../core/api/contract';
import { KbError } from '../../core/api/errors';

/** A method the shell answers itself, around the core, with what only Electron can do. */
export type ShellMethod<M extends KbMethod> = (input: ParsedInput<M>, service: KbApi) => Promise<MethodOutput<M>>;
export type ShellMethods = { [M in KbMethod]?: ShellMethod<M> };

/**
 * The core finds the original (its unchanged source, else the kept copy); the shell opens it with
 * the system's app for its type. `page` is not passed on: the system has no portable way to ask
 * a PDF viewer for a page. With `reveal` the file is shown in its folder instead.
 */
export const openDocumentWithSystemApp: ShellMethod<'openDocument'> = async (input, service) => {
  const { path } = await service.openDocument(input);
  if (!path) throw new KbError('NotFound', 'The document has no original file to open.');
  if (input.reveal) {
    // The system's file manager, with the file selected (the core checked that it exists).
    shell.showItemInFolder(path);
    return { opened: true, path };
  }
  // Resolves to '' on success, to the reason otherwise (no app for the type, file gone, ...).
  const failure = await shell.openPath(path);
  if (failure) throw new KbError('Internal', `Could not open ${path}: ${failure}`);
  return { opened: true, path };
};

/** Registered by ipc.ts in place of the plain call to the core. */
export const SHELL_METHODS: ShellMethods = {
  openDocument: openDocumentWithSystemApp,
};
