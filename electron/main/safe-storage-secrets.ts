import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, type SecretStore } from '../../core/config/secretStore';
import { writeFileAtomic } from '../../core/util/atomicWrite';

/** Encrypted secrets, base64 per name; written 0600 as well, so the ciphertext is not shared either. */
export const SAFE_SECRETS_FILE = 'secrets.safe.json';

type SafeStorage = Pick<typeof safeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: () => string;
};

export interface DesktopSecretsOptions {
  log?: (message: string) => void;
  platform?: NodeJS.Platform;
  /** Electron's safeStorage (a stand-in in tests). */
  safe?: SafeStorage;
}

/**
 * Secrets encrypted with the OS's key store through Electron's `safeStorage` (Keychain on macOS,
 * DPAPI on Windows, libsecret/KWallet on Linux). A password the headless server or the CLI saved
 * in the plain 0600 file is moved in here the first time it is read, and removed from that file.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly path: string;
  readonly description = "encrypted with the operating system's key store (Electron safeStorage)";
  private cache: Record<string, string> | undefined;
  private readonly plaintext = new Map<string, string>();

  constructor(
    dir: string,
    private readonly safe: SafeStorage,
    private readonly plainFile: SecretStore,
    private readonly log: (message: string) => void,
  ) {
    this.path = path.join(dir, SAFE_SECRETS_FILE);
  }

  get(name: string): string | undefined {
    const known = this.plaintext.get(name);
    if (known !== undefined) return known;
    const sealed = this.read()[name];
    if (sealed === undefined) return this.adoptFromPlainFile(name);
    try {
      const value = this.safe.decryptString(Buffer.from(sealed, 'base64'));
      this.plaintext.set(name, value);
      return value;
    } catch {
      // The key store changed (another user, a reinstalled OS): the password has to be entered again.
      this.log(`[qckstrt] a saved password (${name}) could not be decrypted; enter it again in Settings.`);
      return undefined;
    }
  }

  set(name: string, value: string): void {
    const sealed = this.safe.encryptString(value).toString('base64');
    this.write({ ...this.read(), [name]: sealed });
    this.plaintext.set(name, value);
  }

  delete(name: string): void {
    this.plaintext.delete(name);
    this.plainFile.delete(name);
    const all = { ...this.read() };
    if (!(name in all)) return;
    delete all[name];
    this.write(all);
  }

  private adoptFromPlainFile(name: string): string | undefined {
    const value = this.plainFile.get(name);
    if (value === undefined) return undefined;
    this.set(name, value);
    this.plainFile.delete(name);
    this.log(`[qckstrt] moved a saved password (${name}) from the plain secrets file into encrypted storage.`);
    return value;
  }

  private read(): Record<string, string> {
    if (this.cache) return this.cache;
    const out: Record<string, string> = {};
    if (existsSync(this.path)) {
      try {
        const raw: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
        if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
          for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
        }
      } catch {
        this.log(`[qckstrt] ${this.path} is not readable JSON; saved passwords have to be entered again.`);
      }
    }
    return (this.cache = out);
  }

  private write(all: Record<string, string>): void {
    mkdirSync(path.dirname(this.path), { recursive: true });
    writeFileAtomic(this.path, JSON.stringify(all, null, 2) + '\n', 0o600);
    chmodSync(this.path, 0o600);
    this.cache = all;
  }
}

/**
 * Whether safeStorage really encrypts. On Linux without a keyring Chromium falls back to a
 * hard-coded key ("basic_text"), which is obfuscation, not encryption: treat it as unavailable.
 */
export function safeStorageUsable(safe: SafeStorage, platform: NodeJS.Platform): boolean {
  if (!safe.isEncryptionAvailable()) return false;
  if (platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

/**
 * The desktop app's secret store: safeStorage when the OS can encrypt, else the same 0600 file
 * the CLI uses, said once in the log. Call after the app is ready (safeStorage needs it on Linux).
 */
export function createDesktopSecretStore(dir: string, opts: DesktopSecretsOptions = {}): SecretStore {
  const log = opts.log ?? ((m: string) => console.warn(m));
  const safe = opts.safe ?? safeStorage;
  const plainFile = new FileSecretStore(dir, { warn: log });
  if (safeStorageUsable(safe, opts.platform ?? process.platform)) {
    return new SafeStorageSecretStore(dir, safe, plainFile, log);
  }
  log(
    `[qckstrt] the operating system offers no key store to encrypt passwords with (on Linux: no keyring such as ` +
      `GNOME Keyring or KWallet is running); saved passwords are kept in ${plainFile.path}, readable only by you (0600).`,
  );
  return plainFile;
}
