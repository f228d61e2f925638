/**
 * `kb settings`, `kb settings set <path> <value>`, `kb settings profile <name>` and
 * `kb test-connection`. Passwords are write-only here as everywhere: shown as set / not set.
 */
import { KbError } from '../api/errors';
import { parsePostgresUrl } from '../api/postgresUrl';
import { findProfile, PROFILES, profileOf } from '../api/profiles';
import type { PublicSettings, SettingsPatch } from '../api/settings';
import type { ConnectionTestResult } from '../api/types';
import { SettingsStore, toPublicSettings } from '../config/settingsStore';
import type { KbServiceImpl } from '../service';
import { openStores } from '../service/providers';
import type { Io } from './commands';
import { EXIT } from './exitCodes';
import { changeSettings, reportChange, type ChangeIo, type ChangeOptions } from './providerChangeCommand';
import { PASSWORD_PATH, settingField, settingPatch, validatePatch } from './settingPath';
import { formatHealth } from './statusReport';

export interface SettingsIo extends ChangeIo {
  /** The password for `set relational.postgres.password -` (typed without echo, or piped). */
  readPassword: () => Promise<string>;
}

const profileLabel = (s: PublicSettings) => {
  const id = profileOf(s);
  return `${findProfile(id)?.label ?? id} (${id})`;
};

/** Every setting as `path = value`; the password as set / not set. */
export function formatSettings(s: PublicSettings): string[] {
  const lines: string[] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    } else if (prefix === 'relational.postgres.passwordSet') {
      lines.push(`${PASSWORD_PATH} = ${value ? '(set)' : '(not set)'}`);
    } else {
      lines.push(`${prefix} = ${value === undefined || value === null ? '(default)' : typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  };
  walk('', s);
  return lines;
}

/** `kb settings [--json]`: the saved settings with the environment's on top, and their profile. */
export function showSettingsCommand(settings: PublicSettings, opts: { json: boolean }, io: Io): number {
  if (opts.json) io.out(JSON.stringify({ profile: profileOf(settings), settings }, null, 2));
  else {
    io.out(`profile: ${profileLabel(settings)}`);
    for (const line of formatSettings(settings)) io.out(line);
  }
  return EXIT.ok;
}

type OpenService = () => Promise<KbServiceImpl>;

/** Applies a checked patch on a service started for it, and closes the service. */
async function applyWithService(openService: OpenService, patch: SettingsPatch, opts: ChangeOptions, io: SettingsIo, saved: (s: PublicSettings) => string[]): Promise<number> {
  const service = await openService();
  try {
    return reportChange(await changeSettings(service, patch, opts, io), opts, io, saved);
  } finally {
    await service.close();
  }
}

/** The one setting a `set` changed, as it now reads. */
function savedLine(path: string, settings: PublicSettings): string {
  if (path === PASSWORD_PATH) return `${PASSWORD_PATH}: ${settings.relational.postgres.passwordSet ? 'set' : 'not set'}`;
  const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], settings);
  return `${path} = ${typeof value === 'string' ? value : JSON.stringify(value ?? null)}`;
}

/** `kb settings set <path> <value>`: typed by the schema, validated, and planned when it moves a store. */
export async function setSettingCommand(openService: OpenService, path: string, raw: string, opts: ChangeOptions, io: SettingsIo): Promise<number> {
  settingField(path); // an unknown path fails before anything is read or asked
  let value: string | null = raw;
  if (path === PASSWORD_PATH) {
    if (raw === 'null') value = null;
    else if (raw === '-') value = await io.readPassword();
    else {
      throw new KbError(
        'ValidationError',
        `${PASSWORD_PATH} is not taken on the command line (shell history and process lists keep it): pass - and type it, pipe it on stdin, or set RELATIONAL_DB_PASSWORD.`,
      );
    }
  }
  const patch = settingPatch(path, value);
  return applyWithService(openService, patch, opts, io, (s) => [savedLine(path, s), `profile: ${profileLabel(s)}`]);
}

/** `kb settings profile <name> [--url postgres://…]`: the profile's providers and defaults, and the URL's fields. */
export async function profileCommand(openService: OpenService, name: string, url: string | undefined, opts: ChangeOptions, io: SettingsIo): Promise<number> {
  const profile = findProfile(name);
  if (!profile) {
    throw new KbError('ValidationError', `Unknown profile "${name}". Profiles: ${PROFILES.map((p) => `${p.id} (${p.label})`).join(', ')}.`);
  }
  let patch: SettingsPatch = profile.patch;
  if (url !== undefined) {
    const parsed = parsePostgresUrl(url);
    if (!parsed.ok) throw new KbError('ValidationError', `--url: ${parsed.message}`);
    const relational = patch.relational ?? {};
    patch = { ...patch, relational: { ...relational, postgres: { ...relational.postgres, ...parsed.fields } } };
  }
  patch = validatePatch(patch);
  if (!opts.json) {
    io.out(`${profile.label}: ${profile.description}`);
    for (const note of profile.notes) io.out(`  ${note}`);
  }
  return applyWithService(openService, patch, opts, io, (s) => [`profile: ${profileLabel(s)}`]);
}

/**
 * The saved settings (environment on top) without starting the service: `kb settings` and
 * `kb test-connection` must work when a configured server is down, to find out why.
 */
export function configuredSettings(dataDir: string, env: Record<string, string | undefined>): PublicSettings {
  return toPublicSettings(new SettingsStore(dataDir, env).current());
}

/** Checks the configured stores as the service's testConnection does, without starting the service. */
export async function testConfiguredStores(dataDir: string, env: Record<string, string | undefined>): Promise<ConnectionTestResult> {
  const stores = openStores(new SettingsStore(dataDir, env).current(), dataDir);
  try {
    const [relational, vector] = await Promise.all([stores.relational.isAvailable(), stores.vector.isAvailable()]);
    return { relational, vector };
  } finally {
    await stores.close();
  }
}

/** `kb test-connection [--json]`: each configured provider's health, latency and the server's message. */
export function testConnectionCommand(result: ConnectionTestResult, opts: { json: boolean }, io: Io): number {
  if (opts.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(`relational ${formatHealth(result.relational)}`);
    io.out(`vector     ${formatHealth(result.vector)}`);
  }
  return result.relational.available && result.vector.available ? EXIT.ok : EXIT.unavailable;
}

