import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KbError } from '../api/errors';
import { writeFileAtomic } from '../util/atomicWrite';

/**
 * Where secrets (database passwords) live, apart from the settings. Synchronous because the
 * settings are: both are read once at start-up and written on a save. Names are dotted settings
 * paths, e.g. `relational.postgres.password`.
 */
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Said to the user and in logs: how the secrets are protected (never a secret itself). */
  readonly description: string;
}

export const POSTGRES_PASSWORD_SECRET = 'relational.postgres.password';

/** The file the headless server and the CLI keep passwords in, in the data folder. */
export const SECRETS_FILE = 'secrets.json';

const OWNER_ONLY = 0o600;

export interface FileSecretStoreOptions {
  fileName?: string;
  /** Where a warning goes (a file found readable by others); default console.warn. */
  warn?: (message: string) => void;
}

/**
 * Secrets in a JSON file readable and writable by its owner alone (0600). A file found with wider
 * permissions (copied, restored from a backup, edited by hand) is narrowed back with a warning.
 * On Windows the mode bits mean little; the file sits in the per-user profile folder.
 */
export class FileSecretStore implements SecretStore {
  readonly path: string;
  readonly description: string;
  private readonly warn: (message: string) => void;
  private cache: Record<string, string> | undefined;

  constructor(
    dir: string,
    opts: FileSecretStoreOptions = {},
  ) {
    this.path = join(dir, opts.fileName ?? SECRETS_FILE);
    this.description = `a file readable only by you (${this.path}, mode 0600)`;
    this.warn = opts.warn ?? ((m) => console.warn(m));
  }

  get(name: string): string | undefined {
    return this.read()[name];
  }

  set(name: string, value: string): void {
    const all = { ...this.read(), [name]: value };
    this.write(all);
  }

  delete(name: string): void {
    const all = { ...this.read() };
    if (!(name in all)) return;
    delete all[name];
    this.write(all);
  }

  private read(): Record<string, string> {
    if (this.cache) return this.cache;
    if (!existsSync(this.path)) return (this.cache = {});
    this.narrowPermissions();
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      // The message names the file, never its content.
      throw new KbError(
        'ValidationError',
        `The secrets file ${this.path} is not valid JSON (${(err as Error).name}). Delete it and enter the passwords again.`,
      );
    }
    const out: Record<string, string> = {};
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
    }
    return (this.cache = out);
  }

  private write(all: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomic(this.path, JSON.stringify(all, null, 2) + '\n', OWNER_ONLY);
    // open(2)'s mode is masked by the umask and ignored for an existing file: set it outright.
    chmodSync(this.path, OWNER_ONLY);
    this.cache = all;
  }

  private narrowPermissions(): void {
    if (process.platform === 'win32') return;
    const mode = statSync(this.path).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    chmodSync(this.path, OWNER_ONLY);
    this.warn(
      `[qckstrt] ${this.path} was readable by other users (mode ${mode.toString(8).padStart(4, '0')}); it is now 0600. ` +
        'If others could read it, change the passwords it holds.',
    );
  }
}

