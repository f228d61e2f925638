import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));

import { FileSecretStore, POSTGRES_PASSWORD_SECRET, SECRETS_FILE } from '../../core/config/secretStore';
import { SettingsStore } from '../../core/config/settingsStore';
import {
  SAFE_SECRETS_FILE,
  SafeStorageSecretStore,
  createDesktopSecretStore,
  safeStorageUsable,
} from '../../electron/main/safe-storage-secrets';
import { tempDir } from '../helpers/tempDir';
import { resetFakeElectron, safeStorage } from './fake-electron';

const PASSWORD = 'correct horse battery staple';
let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  resetFakeElectron();
  dir = tempDir();
});
afterEach(() => dir.cleanup());

const fileText = (name: string) => readFileSync(path.join(dir.path, name), 'utf8');

describe('SafeStorageSecretStore (the desktop app)', () => {
  it('round-trips through safeStorage; the file holds base64 ciphertext only, mode 0600', () => {
    const log = vi.fn();
    const store = createDesktopSecretStore(dir.path, { log, platform: 'linux' });
    expect(store).toBeInstanceOf(SafeStorageSecretStore);
    store.set(POSTGRES_PASSWORD_SECRET, PASSWORD);
    expect(safeStorage.encryptString).toHaveBeenCalledWith(PASSWORD);

    const onDisk = JSON.parse(fileText(SAFE_SECRETS_FILE)) as Record<string, string>;
    expect(fileText(SAFE_SECRETS_FILE)).not.toContain(PASSWORD);
    expect(safeStorage.decryptString(Buffer.from(onDisk[POSTGRES_PASSWORD_SECRET]!, 'base64'))).toBe(PASSWORD);
    expect(statSync(path.join(dir.path, SAFE_SECRETS_FILE)).mode & 0o777).toBe(0o600);

    // A new start decrypts it.
    const again = createDesktopSecretStore(dir.path, { log, platform: 'linux' });
    expect(again.get(POSTGRES_PASSWORD_SECRET)).toBe(PASSWORD);
    again.delete(POSTGRES_PASSWORD_SECRET);
    expect(createDesktopSecretStore(dir.path, { log, platform: 'linux' }).get(POSTGRES_PASSWORD_SECRET)).toBeUndefined();
    expect(log).not.toHaveBeenCalled();
  });

  it('through SettingsStore: settings.json and the plain secrets file never see the password', () => {
    const secrets = createDesktopSecretStore(dir.path, { platform: 'linux' });
    const settings = new SettingsStore(dir.path, {}, secrets);
    settings.update({ relational: { postgres: { host: 'db', password: PASSWORD } } });
    expect(fileText('settings.json')).not.toContain(PASSWORD);
    expect(fileText(SAFE_SECRETS_FILE)).not.toContain(PASSWORD);
    expect(() => fileText(SECRETS_FILE)).toThrow(/ENOENT/);
    expect(new SettingsStore(dir.path, {}, createDesktopSecretStore(dir.path, { platform: 'linux' })).current().relational.postgres.password).toBe(PASSWORD);
  });

  it('moves a password the CLI saved in the plain file into encrypted storage', () => {
    new FileSecretStore(dir.path).set(POSTGRES_PASSWORD_SECRET, PASSWORD);
    const log = vi.fn();
    const store = createDesktopSecretStore(dir.path, { log, platform: 'linux' });
    expect(store.get(POSTGRES_PASSWORD_SECRET)).toBe(PASSWORD);
    expect(fileText(SECRETS_FILE)).not.toContain(PASSWORD);
    expect(fileText(SAFE_SECRETS_FILE)).not.toContain(PASSWORD);
    expect(createDesktopSecretStore(dir.path, { platform: 'linux' }).get(POSTGRES_PASSWORD_SECRET)).toBe(PASSWORD);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/moved a saved password/));
    expect(log.mock.calls.flat().join(' ')).not.toContain(PASSWORD);
  });

  it('a password that cannot be decrypted (another key store) reads as not set, with a log line', () => {
    writeFileSync(path.join(dir.path, SAFE_SECRETS_FILE), JSON.stringify({ [POSTGRES_PASSWORD_SECRET]: Buffer.from('garbage').toString('base64') }));
    const log = vi.fn();
    expect(createDesktopSecretStore(dir.path, { log, platform: 'linux' }).get(POSTGRES_PASSWORD_SECRET)).toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/could not be decrypted; enter it again/));
  });
});

describe('when the OS cannot encrypt', () => {
  it('falls back to the 0600 file and says so once', () => {
    safeStorage.available = false;
    const log = vi.fn();
    const store = createDesktopSecretStore(dir.path, { log, platform: 'linux' });
    expect(store).toBeInstanceOf(FileSecretStore);
    store.set(POSTGRES_PASSWORD_SECRET, PASSWORD);
    store.get(POSTGRES_PASSWORD_SECRET);
    expect(log).toHaveBeenCalledOnce();
    expect(log.mock.calls[0]![0]).toMatch(/no key store.*readable only by you \(0600\)/);
    expect(statSync(path.join(dir.path, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(safeStorage.encryptString).not.toHaveBeenCalled();
    expect(store.description).toMatch(/0600/);
  });

  it("treats Linux's basic_text backend (a hard-coded key) as no encryption", () => {
    safeStorage.backend = 'basic_text';
    expect(safeStorageUsable(safeStorage, 'linux')).toBe(false);
    expect(createDesktopSecretStore(dir.path, { log: () => {}, platform: 'linux' })).toBeInstanceOf(FileSecretStore);
    safeStorage.backend = 'kwallet6';
    expect(safeStorageUsable(safeStorage, 'linux')).toBe(true);
    expect(safeStorageUsable(safeStorage, 'darwin')).toBe(true);
  });
});
