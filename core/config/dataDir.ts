import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'qckstrt';

/**
 * The per-user app-data folder, the same one Electron's `app.getPath('userData')` returns for this
 * app, so the CLI, the headless server and the desktop app share one library.
 * `QCKSTRT_DATA_DIR` overrides it (tests, portable installs).
 */
export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const override = env.QCKSTRT_DATA_DIR?.trim();
  if (override) return override;
  const home = homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
  }
}
