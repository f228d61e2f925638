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

export function toPublicSettings(s: Settings): PublicSettings {
  const { password, ...postgres } = s.relational.postgres;
  return { ...s, relational: { ...s.relational, postgres: { ...postgres, passwordSet: Boolean(password) } } };
}

/**
 * Settings saved as JSON in the data folder (the relational store cannot hold the setting that
 * chooses it), with environment variables applied on top. Writes are atomic: a crash mid-save
 * leaves the previous file intact.
 */
export class SettingsStore {
  private saved: Settings;
  private readonly envPatch: SettingsPatch;

  constructor(
    private readonly dataDir: string,
    env: Record<string, string | undefined>,
  ) {
    this.envPatch = settingsFromEnv(env);
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
    return parsed.data;
  }

  /** Effective settings: saved values with environment variables on top. */
  current(): Settings {
    return applyPatch(this.saved, this.envPatch);
  }

  /** Validates and saves a patch; returns the new effective settings. */
  update(rawPatch: SettingsPatch): Settings {
    const patch = settingsPatchSchema.parse(rawPatch);
    this.saved = applyPatch(this.saved, patch);
    writeFileAtomic(this.path, JSON.stringify(this.saved, null, 2) + '\n', 0o600);
    return this.current();
  }

  preview(patch: SettingsPatch): Settings {
    return applyPatch(this.current(), patch);
  }
}
