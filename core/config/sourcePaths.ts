import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * Folders of the repository, for the CLI and the headless server running from source. The
 * Electron main process passes its own (packaged) folders instead.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESOURCES_DIR = join(REPO_ROOT, 'resources');
export const RENDERER_BUILD_DIR = join(REPO_ROOT, 'out', 'renderer');
