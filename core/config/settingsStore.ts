import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KbError } from '../api/errors';
import {
  settingsPatchSchema,
  settingsSchema,
  type PublicSettings,
  type Settings,
  type SettingsPatch,
} from '../api/settings';
import { writeFileAtomic } from '../util/atomicWrite';
import { settingsFromEnv } from './envSettings';
import { FileSecretStore, POSTGRES_PASSWORD_SECRET, type SecretStore } from './secretStore';

const FILE = 'settings.json';

/** Deep-merges a patch into settings; `password: null` removes the saved password. */
export function applyPatch(base: Settings, patch: SettingsPatch): Settings {
  const next = structuredClone(base) as Settings;
  for (const [group, values] of Object.entries(patch) as [keyof Settings, Record<string, unknown>][]) {
    if (!values) continue;
    const target = next[group] as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const sub = { ...(target[key] as Record<string, unknown>) };
        for (const [k, v] of Object.entries(value)) {
          if (v === null) delete sub[k];
          else if (v !== undefined) sub[k] = v;
        }
        target[key] = sub;
      } else if (value !== undefined) {
        target[key] = value;
      }
    }
  }
  return settingsSchema.parse(next);
}

/** Freezes `value` and everything in it: the settings one object shared by every caller. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function withoutPassword(patch: SettingsPatch): SettingsPatch {
  const postgres = patch.relational?.postgres;
  if (!postgres || !('password' in postgres)) return patch;
  const { password: _secret, ...rest } = postgres;
  return { ...patch, relational: { ...patch.relational, postgres: rest } };
}

export function toPublicSettings(s: Settings): PublicSettings {
  const { password, ...postgres } = s.relational.postgres;
  return { ...s, relational: { ...s.relational, postgres: { ...postgres, passwordSet: Boolean(password) } } };
}

/**
 * Settings saved as JSON in the data folder (the relational store cannot hold the setting that
 * chooses it), with environment variables applied on top. Writes are atomic: a crash mid-save
 * leaves the previous file intact. Passwords never go into settings.json: they live in the
 * SecretStore (a 0600 file by default, Electron's safeStorage in the desktop app), and a password
 * an older version left in settings.json is moved there on load.
 */
export class SettingsStore {
  private saved: Settings;
  /** current()'s value until the next update (searching and indexing read it many times a second). */
  private effective: Settings | undefined;
  private readonly envPatch: SettingsPatch;
  /** The storage variables set in the environment (they win over saved settings). */
  private readonly storageEnvNames: string[];

  constructor(
    private readonly dataDir: string,
    env: Record<string, string | undefined>,
    private readonly secrets: SecretStore = new FileSecretStore(dataDir),
  ) {
    this.envPatch = settingsFromEnv(env);
    this.storageEnvNames = Object.keys(env).filter((k) => /^(RELATIONAL|VECTOR)_DB_/.test(k) && env[k]?.trim()).sort();
    this.saved = this.load();
  }

  private get path() {
    return join(this.dataDir, FILE);
  }

  private load(): Settings {
    if (!existsSync(this.path)) return settingsSchema.parse({});
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      throw new KbError(
        'ValidationError',
        `The settings file ${this.path} is not valid JSON (${(err as Error).message}). Fix or delete it to start from defaults.`,
      );
    }
    const parsed = settingsSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new KbError(
        'ValidationError',
        `The settings file ${this.path} has an invalid value at ${issue?.path.join('.')}: ${issue?.message}. Fix or delete it.`,
      );
    }
    return this.moveSecretsOut(parsed.data);
  }

  /** Migrates a password found in settings.json into the secret store and rewrites the file without it. */
  private moveSecretsOut(loaded: Settings): Settings {
    const { password, ...postgres } = loaded.relational.postgres;
    if (password === undefined) return loaded;
    // settings.json holds a password only if a version before the secret store wrote it, so it is the newest one.
    this.secrets.set(POSTGRES_PASSWORD_SECRET, password);
    const clean: Settings = { ...loaded, relational: { ...loaded.relational, postgres } };
    this.write(clean);
    return clean;
  }

  private write(settings: Settings): void {
    writeFileAtomic(this.path, JSON.stringify(settings, null, 2) + '\n', 0o600);
  }

  /** Saved settings with the saved password from the secret store. */
  private withSecrets(): Settings {
    const password = this.secrets.get(POSTGRES_PASSWORD_SECRET);
    if (password === undefined) return this.saved;
    const { relational } = this.saved;
    return { ...this.saved, relational: { ...relational, postgres: { ...relational.postgres, password } } };
  }

  /** Effective settings: saved values with environment variables on top. */
  current(): Settings {
    this.effective ??= deepFreeze(applyPatch(this.withSecrets(), this.envPatch));
    return this.effective;
  }

  /** Validates and saves a patch; returns the new effective settings. */
  update(rawPatch: SettingsPatch): Settings {
    const patch = settingsPatchSchema.parse(rawPatch);
    this.effective = undefined;
    const password = patch.relational?.postgres?.password;
    if (typeof password === 'string') this.secrets.set(POSTGRES_PASSWORD_SECRET, password);
    else if (password === null) this.secrets.delete(POSTGRES_PASSWORD_SECRET);
    this.saved = applyPatch(this.saved, withoutPassword(patch));
    this.write(this.saved);
    return this.current();
  }

  preview(patch: SettingsPatch): Settings {
    return applyPatch(this.current(), patch);
  }

  /**
   * The environment variables that would undo `patch` once saved (they win over the settings
   * file), or none: a change they override would not outlive a restart.
   */
  envOverrides(patch: SettingsPatch): string[] {
    const saved = applyPatch(applyPatch(this.withSecrets(), patch), this.envPatch);
    return JSON.stringify(saved) === JSON.stringify(this.preview(patch)) ? [] : this.storageEnvNames;
  }
}
