/**
 * The Settings screen's form: a draft of the provider, indexing and backup settings as the user types
 * them (numbers as text, so a half-typed value can be shown and explained), validated field by
 * field with the contract's own zod schemas, turned into the patch the core takes. Pure functions only.
 * This module may import values from core/api's pure modules (eslint allows it here alone).
 */
import { parsePostgresUrl } from '../../../core/api/postgresUrl';
import { PROFILES, findProfile, profileOf, type ProfileId } from '../../../core/api/profiles';
import type { ProviderChangeStrategy } from '../../../core/api/providerChange';
import {
  type BACKUP_SCHEDULES,
  pgvectorSettingsSchema,
  postgresSettingsSchema,
  settingsPatchSchema,
  settingsSchema,
  type PublicSettings,
  type RELATIONAL_PROVIDERS,
  type SettingsPatch,
  type VECTOR_PROVIDERS,
} from '../../../core/api/settings';
import type { z } from 'zod';

export type RelationalProvider = (typeof RELATIONAL_PROVIDERS)[number];
export type VectorProvider = (typeof VECTOR_PROVIDERS)[number];
export { PROFILES, type ProfileId };

export const RELATIONAL_CHOICES: { id: RelationalProvider; label: string; description: string }[] = [
  { id: 'sqlite', label: 'SQLite', description: 'A file in the data folder (embedded)' },
  { id: 'postgres', label: 'PostgreSQL', description: 'A PostgreSQL server' },
  { id: 'aurora', label: 'Aurora', description: 'Aurora PostgreSQL via the RDS Data API' },
];

export const VECTOR_CHOICES: { id: VectorProvider; label: string; description: string }[] = [
  { id: 'embedded', label: 'sqlite-vec', description: 'Inside the SQLite file (embedded)' },
  { id: 'chromadb', label: 'ChromaDB', description: 'A ChromaDB server' },
  { id: 'pgvector', label: 'pgvector', description: 'A table in the PostgreSQL database' },
];

export interface PostgresDraft {
  host: string;
  port: string;
  database: string;
  username: string;
  ssl: boolean;
  sslRejectUnauthorized: boolean;
  poolMax: string;
  poolMin: string;
  idleTimeoutMs: string;
  connectTimeoutMs: string;
}

export interface AuroraDraft {
  secretArn: string;
  resourceArn: string;
  database: string;
  region: string;
  endpoint: string;
}

export interface PgvectorDraft {
  hnswM: string;
  hnswEfConstruction: string;
  efSearch: string;
}

/**
 * What indexing does with the files it is given: the options a user changes. Chunk size and
 * overlap are left out (internal tuning that only applies to files indexed afterwards), and
 * watched folders have their own panel.
 */
export interface IngestDraft {
  maxFileSizeMb: string;
  followExternalLinks: boolean;
  /** One picomatch pattern a line, as typed (blank lines are dropped). */
  exclude: string;
}

export type BackupSchedule = (typeof BACKUP_SCHEDULES)[number];

/** The automatic backups: how often, how many are kept, and whether the originals go in. */
export interface BackupDraft {
  schedule: BackupSchedule;
  /** Automatic backups kept (1–100), as typed. */
  keep: string;
  includeOriginals: boolean;
}

export const BACKUP_SCHEDULE_CHOICES: { id: BackupSchedule; label: string; description: string }[] = [
  { id: 'off', label: 'Off', description: 'Only the backups you make' },
  { id: 'daily', label: 'Daily', description: 'Once a day while the app runs' },
  { id: 'weekly', label: 'Weekly', description: 'Once a week while the app runs' },
];

/** The saved password is never shown: the draft only says what to do with it. */
export type PasswordDraft = { mode: 'keep' } | { mode: 'replace'; value: string } | { mode: 'clear' };

export interface SettingsDraft {
  profile: ProfileId;
  relationalProvider: RelationalProvider;
  vectorProvider: VectorProvider;
  postgres: PostgresDraft;
  password: PasswordDraft;
  aurora: AuroraDraft;
  chromaUrl: string;
  chromaCollection: string;
  chromaTimeoutMs: string;
  pgvector: PgvectorDraft;
  ingest: IngestDraft;
  backup: BackupDraft;
}

/** A field's key: where its message goes and what its input's id is made from. */
export type FieldKey =
  | `postgres.${keyof PostgresDraft}`
  | 'password'
  | `aurora.${keyof AuroraDraft}`
  | 'vector.chromaUrl'
  | 'vector.chromaCollection'
  | 'vector.timeoutMs'
  | `pgvector.${keyof PgvectorDraft}`
  | 'ingest.maxFileSizeMb'
  | 'ingest.exclude'
  | 'backup.keep';

export type FieldErrors = Partial<Record<FieldKey, string>>;

const POSTGRES_NUMBERS = ['port', 'poolMax', 'poolMin', 'idleTimeoutMs', 'connectTimeoutMs'] as const;
const PGVECTOR_NUMBERS = ['hnswM', 'hnswEfConstruction', 'efSearch'] as const;
const vectorShape = settingsSchema.shape.vector.unwrap().shape;
const ingestShape = settingsSchema.shape.ingest.unwrap().shape;
const backupShape = settingsSchema.shape.backup.unwrap().shape;
/** The schema's bounds on one exclude pattern and on the list (shown in messages). */
const PATTERN_MAX = 500;
const PATTERNS_MAX = 100;

export function draftFromSettings(s: PublicSettings): SettingsDraft {
  const pg = s.relational.postgres;
  const pv = s.vector.pgvector;
  return {
    profile: profileOf(s as Parameters<typeof profileOf>[0]),
    relationalProvider: s.relational.provider,
    vectorProvider: s.vector.provider,
    postgres: {
      host: pg.host,
      port: String(pg.port),
      database: pg.database,
      username: pg.username,
      ssl: pg.ssl,
      sslRejectUnauthorized: pg.sslRejectUnauthorized,
      poolMax: String(pg.poolMax),
      poolMin: String(pg.poolMin),
      idleTimeoutMs: String(pg.idleTimeoutMs),
      connectTimeoutMs: String(pg.connectTimeoutMs),
    },
    password: { mode: 'keep' },
    aurora: { ...s.relational.aurora },
    chromaUrl: s.vector.chromaUrl,
    chromaCollection: s.vector.chromaCollection,
    chromaTimeoutMs: String(s.vector.timeoutMs),
    pgvector: { hnswM: String(pv.hnswM), hnswEfConstruction: String(pv.hnswEfConstruction), efSearch: String(pv.efSearch) },
    ingest: {
      maxFileSizeMb: String(s.ingest.maxFileSizeMb),
      followExternalLinks: s.ingest.followExternalLinks,
      exclude: s.ingest.exclude.join('\n'),
    },
    backup: { schedule: s.backup.schedule, keep: String(s.backup.keep), includeOriginals: s.backup.includeOriginals },
  };
}

/** Which groups of fields the chosen providers use (the others are hidden and not checked). */
export function usedGroups(d: Pick<SettingsDraft, 'relationalProvider' | 'vectorProvider'>) {
  return {
    // pgvector always uses the relational PostgreSQL connection settings.
    postgres: d.relationalProvider === 'postgres' || d.vectorProvider === 'pgvector',
    aurora: d.relationalProvider === 'aurora',
    chroma: d.vectorProvider === 'chromadb',
    pgvector: d.vectorProvider === 'pgvector',
  };
}

// ---- pure updates ----

/** Picks a profile: its providers and defaults go into the draft; Custom changes nothing else. */
export function chooseProfile(d: SettingsDraft, id: ProfileId): SettingsDraft {
  const profile = findProfile(id);
  if (!profile) return d;
  const { relational, vector } = profile.patch;
  const pg = relational?.postgres ?? {};
  const next: SettingsDraft = {
    ...d,
    profile: id,
    relationalProvider: relational?.provider ?? d.relationalProvider,
    vectorProvider: vector?.provider ?? d.vectorProvider,
    postgres: { ...d.postgres, ...stringified(pg) },
    chromaUrl: vector?.chromaUrl ?? d.chromaUrl,
    chromaCollection: vector?.chromaCollection ?? d.chromaCollection,
  };
  return next;
}

/** Numbers become the text their field shows; booleans and text stay as they are. */
function stringified<T extends Record<string, unknown>>(patch: T): Partial<PostgresDraft> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'password' || v === undefined || v === null) continue;
    out[k] = typeof v === 'number' ? String(v) : (v as string | boolean);
  }
  return out as Partial<PostgresDraft>;
}

/** Chooses a provider by hand: the profile follows what the pair now looks like. */
export function chooseProvider(d: SettingsDraft, side: 'relational' | 'vector', provider: string): SettingsDraft {
  const next =
    side === 'relational'
      ? { ...d, relationalProvider: provider as RelationalProvider }
      : { ...d, vectorProvider: provider as VectorProvider };
  return { ...next, profile: profileOfDraft(next) };
}

export function profileOfDraft(d: SettingsDraft): ProfileId {
  return profileOf({
    relational: { provider: d.relationalProvider, postgres: { host: d.postgres.host } },
    vector: { provider: d.vectorProvider },
  } as Parameters<typeof profileOf>[0]);
}

export function setPostgresField<K extends keyof PostgresDraft>(d: SettingsDraft, key: K, value: PostgresDraft[K]): SettingsDraft {
  return { ...d, postgres: { ...d.postgres, [key]: value } };
}

export function setAuroraField(d: SettingsDraft, key: keyof AuroraDraft, value: string): SettingsDraft {
  return { ...d, aurora: { ...d.aurora, [key]: value } };
}

export function setPgvectorField(d: SettingsDraft, key: keyof PgvectorDraft, value: string): SettingsDraft {
  return { ...d, pgvector: { ...d.pgvector, [key]: value } };
}

export function setVectorField(d: SettingsDraft, key: 'chromaUrl' | 'chromaCollection' | 'chromaTimeoutMs', value: string): SettingsDraft {
  return { ...d, [key]: value };
}

export function setIngestField<K extends keyof IngestDraft>(d: SettingsDraft, key: K, value: IngestDraft[K]): SettingsDraft {
  return { ...d, ingest: { ...d.ingest, [key]: value } };
}

export function setBackupField<K extends keyof BackupDraft>(d: SettingsDraft, key: K, value: BackupDraft[K]): SettingsDraft {
  return { ...d, backup: { ...d.backup, [key]: value } };
}

/** The exclude patterns a draft's text holds: one a line, trimmed, blank lines dropped. */
export function excludePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Typing a password replaces the saved one on Apply; an emptied field keeps the saved one. */
export function typePassword(d: SettingsDraft, value: string): SettingsDraft {
  return { ...d, password: value === '' ? { mode: 'keep' } : { mode: 'replace', value } };
}

export function clearPassword(d: SettingsDraft): SettingsDraft {
  return { ...d, password: { mode: 'clear' } };
}

export function keepPassword(d: SettingsDraft): SettingsDraft {
  return { ...d, password: { mode: 'keep' } };
}

export type PasteResult = { ok: true; draft: SettingsDraft; filled: string[] } | { ok: false; message: string };

/** A pasted postgres:// URL fills the PostgreSQL fields (and the password, never shown back). */
export function pasteConnectionString(d: SettingsDraft, text: string): PasteResult {
  const parsed = parsePostgresUrl(text);
  if (!parsed.ok) return parsed;
  const { password, ...fields } = parsed.fields;
  let next: SettingsDraft = { ...d, postgres: { ...d.postgres, ...stringified(fields) } };
  if (password !== undefined) next = typePassword(next, password);
  const filled = Object.keys(fields).filter((k) => k !== 'sslRejectUnauthorized');
  if (password !== undefined) filled.push('password');
  // A pasted URL means PostgreSQL: the embedded relational store would ignore it.
  if (next.relationalProvider === 'sqlite') next = chooseProvider(next, 'relational', 'postgres');
  if (next.profile !== 'custom' && next.relationalProvider === 'postgres') next = { ...next, profile: profileOfDraft(next) };
  return { ok: true, draft: next, filled };
}

// ---- validation ----

function messageOf(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'Not a valid value';
  if (issue.code === 'too_small') {
    return issue.origin === 'string' ? 'Required' : `At least ${String(issue.minimum)}`;
  }
  if (issue.code === 'too_big') return `At most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_format' && issue.format === 'url') return 'A URL such as http://localhost:8001';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'A whole number';
  return issue.message;
}

/**
 * A number field: the parsed number, or why it is not one the schema takes. Whole numbers unless
 * `decimal` (a size in MB may be 1.5).
 */
function checkNumber(text: string, schema: z.ZodType, decimal = false): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return { error: 'Required' };
  if (decimal ? !/^-?(\d+\.?\d*|\.\d+)$/.test(t) : !/^-?\d+$/.test(t)) return { error: decimal ? 'A number such as 50 or 1.5' : 'A whole number' };
  const r = schema.safeParse(Number(t));
  return r.success ? { value: Number(t) } : { error: messageOf(r.error.issues[0]) };
}

function checkText(text: string, schema: z.ZodType): string | undefined {
  const r = schema.safeParse(text.trim());
  return r.success ? undefined : messageOf(r.error.issues[0]);
}

/** The indexing fields' messages (always checked: they do not depend on the providers). */
function validateIngest(ing: IngestDraft, errors: FieldErrors): void {
  const size = checkNumber(ing.maxFileSizeMb, ingestShape.maxFileSizeMb, true).error;
  if (size) errors['ingest.maxFileSizeMb'] = size;
  const patterns = excludePatterns(ing.exclude);
  const long = patterns.findIndex((p) => p.length > PATTERN_MAX);
  if (long >= 0) errors['ingest.exclude'] = `Line ${long + 1} is longer than ${PATTERN_MAX} characters`;
  else if (patterns.length > PATTERNS_MAX) errors['ingest.exclude'] = `At most ${PATTERNS_MAX} patterns`;
}

/** Messages for the fields the chosen providers use; empty when the draft can be tested and applied. */
export function validateDraft(d: SettingsDraft): FieldErrors {
  const errors: FieldErrors = {};
  const used = usedGroups(d);
  const pgShape = postgresSettingsSchema.shape;
  if (used.postgres) {
    for (const key of ['host', 'database', 'username'] as const) {
      const e = checkText(d.postgres[key], pgShape[key]);
      if (e) errors[`postgres.${key}`] = e;
    }
    if (/\s/.test(d.postgres.host.trim())) errors['postgres.host'] = 'A host name has no spaces';
    for (const key of POSTGRES_NUMBERS) {
      const e = checkNumber(d.postgres[key], pgShape[key]).error;
      if (e) errors[`postgres.${key}`] = e;
    }
    const min = Number(d.postgres.poolMin);
    const max = Number(d.postgres.poolMax);
    if (!errors['postgres.poolMin'] && !errors['postgres.poolMax'] && min > max) {
      errors['postgres.poolMin'] = `No more than the maximum (${max})`;
    }
  }
  if (used.aurora) {
    // The Aurora schema has only defaults: these checks say what the Data API needs.
    const a = d.aurora;
    const arn = (text: string, what: string, service: string) => {
      const t = text.trim();
      if (t === '') return `Required: the ${what}`;
      if (!new RegExp(`^arn:aws[a-z-]*:${service}:`).test(t)) return `An ARN starting arn:aws:${service}:`;
      return undefined;
    };
    const resource = arn(a.resourceArn, 'cluster’s ARN', 'rds');
    if (resource) errors['aurora.resourceArn'] = resource;
    const secret = arn(a.secretArn, 'Secrets Manager secret’s ARN', 'secretsmanager');
    if (secret) errors['aurora.secretArn'] = secret;
    if (a.database.trim() === '') errors['aurora.database'] = 'Required';
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(a.region.trim())) errors['aurora.region'] = 'A region such as us-east-1';
    if (a.endpoint.trim() !== '') {
      const e = checkText(a.endpoint, vectorShape.chromaUrl);
      if (e) errors['aurora.endpoint'] = e === 'A URL such as http://localhost:8001' ? 'A URL such as https://rds-data.us-east-1.amazonaws.com' : e;
    }
  }
  if (used.chroma) {
    const url = checkText(d.chromaUrl, vectorShape.chromaUrl);
    if (url) errors['vector.chromaUrl'] = url;
    else if (!/^https?:\/\//i.test(d.chromaUrl.trim())) errors['vector.chromaUrl'] = 'An http:// or https:// URL';
    const coll = checkText(d.chromaCollection, vectorShape.chromaCollection);
    if (coll) errors['vector.chromaCollection'] = coll;
    const t = checkNumber(d.chromaTimeoutMs, vectorShape.timeoutMs).error;
    if (t) errors['vector.timeoutMs'] = t;
  }
  if (used.pgvector) {
    for (const key of PGVECTOR_NUMBERS) {
      const e = checkNumber(d.pgvector[key], pgvectorSettingsSchema.shape[key]).error;
      if (e) errors[`pgvector.${key}`] = e;
    }
  }
  validateIngest(d.ingest, errors);
  const keep = checkNumber(d.backup.keep, backupShape.keep).error;
  if (keep) errors['backup.keep'] = keep;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The messages of the store fields alone: a half-typed indexing or backup option does not stop a connection test. */
export function storeErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([key]) => !key.startsWith('ingest.') && !key.startsWith('backup.')));
}

/** The draft with the saved indexing and backup options: what a connection test sends (it tests only the stores). */
export function withSavedOptions(d: SettingsDraft, saved: PublicSettings): SettingsDraft {
  const fromSaved = draftFromSettings(saved);
  return { ...d, ingest: fromSaved.ingest, backup: fromSaved.backup };
}

// ---- the patch ----

/**
 * What the draft changes, as the core's patch: only fields that differ from the saved settings,
 * and only in the groups the chosen providers use (indexing is always in use). Call on a draft
 * without errors.
 */
export function patchFromDraft(d: SettingsDraft, saved: PublicSettings): SettingsPatch {
  const used = usedGroups(d);
  const patch: SettingsPatch = {};
  const relational: NonNullable<SettingsPatch['relational']> = {};
  const vector: NonNullable<SettingsPatch['vector']> = {};
  if (d.relationalProvider !== saved.relational.provider) relational.provider = d.relationalProvider;
  if (d.vectorProvider !== saved.vector.provider) vector.provider = d.vectorProvider;

  if (used.postgres) {
    const pg: NonNullable<NonNullable<SettingsPatch['relational']>['postgres']> = {};
    const was = saved.relational.postgres;
    for (const key of ['host', 'database', 'username'] as const) {
      if (d.postgres[key].trim() !== was[key]) pg[key] = d.postgres[key].trim();
    }
    for (const key of POSTGRES_NUMBERS) {
      if (Number(d.postgres[key]) !== was[key]) pg[key] = Number(d.postgres[key]);
    }
    for (const key of ['ssl', 'sslRejectUnauthorized'] as const) {
      if (d.postgres[key] !== was[key]) pg[key] = d.postgres[key];
    }
    if (Object.keys(pg).length) relational.postgres = pg;
  }
  // The password is write-only: a new one, or null to clear the saved one.
  if (d.password.mode === 'replace') relational.postgres = { ...relational.postgres, password: d.password.value };
  if (d.password.mode === 'clear' && saved.relational.postgres.passwordSet) relational.postgres = { ...relational.postgres, password: null };

  if (used.aurora) {
    const au: Record<string, string> = {};
    for (const key of Object.keys(d.aurora) as (keyof AuroraDraft)[]) {
      if (d.aurora[key].trim() !== saved.relational.aurora[key]) au[key] = d.aurora[key].trim();
    }
    if (Object.keys(au).length) relational.aurora = au;
  }
  if (used.chroma) {
    if (d.chromaUrl.trim() !== saved.vector.chromaUrl) vector.chromaUrl = d.chromaUrl.trim();
    if (d.chromaCollection.trim() !== saved.vector.chromaCollection) vector.chromaCollection = d.chromaCollection.trim();
    if (Number(d.chromaTimeoutMs) !== saved.vector.timeoutMs) vector.timeoutMs = Number(d.chromaTimeoutMs);
  }
  if (used.pgvector) {
    const pv: Record<string, number> = {};
    for (const key of PGVECTOR_NUMBERS) {
      if (Number(d.pgvector[key]) !== saved.vector.pgvector[key]) pv[key] = Number(d.pgvector[key]);
    }
    if (Object.keys(pv).length) vector.pgvector = pv;
  }
  const ingest = ingestPatch(d.ingest, saved.ingest);
  const backup = backupPatch(d.backup, saved.backup);
  if (Object.keys(relational).length) patch.relational = relational;
  if (Object.keys(vector).length) patch.vector = vector;
  if (Object.keys(ingest).length) patch.ingest = ingest;
  if (Object.keys(backup).length) patch.backup = backup;
  return patch;
}

function backupPatch(d: BackupDraft, saved: PublicSettings['backup']): NonNullable<SettingsPatch['backup']> {
  const backup: NonNullable<SettingsPatch['backup']> = {};
  if (d.schedule !== saved.schedule) backup.schedule = d.schedule;
  if (Number(d.keep) !== saved.keep) backup.keep = Number(d.keep);
  if (d.includeOriginals !== saved.includeOriginals) backup.includeOriginals = d.includeOriginals;
  return backup;
}

function ingestPatch(d: IngestDraft, saved: PublicSettings['ingest']): NonNullable<SettingsPatch['ingest']> {
  const ingest: NonNullable<SettingsPatch['ingest']> = {};
  if (Number(d.maxFileSizeMb) !== saved.maxFileSizeMb) ingest.maxFileSizeMb = Number(d.maxFileSizeMb);
  if (d.followExternalLinks !== saved.followExternalLinks) ingest.followExternalLinks = d.followExternalLinks;
  const exclude = excludePatterns(d.exclude);
  if (exclude.join('\n') !== saved.exclude.join('\n')) ingest.exclude = exclude;
  return ingest;
}

/**
 * Whether a patch touches where the library is stored (and so needs a provider-change plan); a
 * patch of indexing or backup options alone is saved as it is.
 */
export function touchesStores(patch: SettingsPatch): boolean {
  return patch.relational !== undefined || patch.vector !== undefined;
}

export function isEmptyPatch(patch: SettingsPatch): boolean {
  return Object.keys(patch).length === 0;
}

/** The draft as a patch the core will accept, or the field messages that stop it. */
export function draftToPatch(d: SettingsDraft, saved: PublicSettings): { ok: true; patch: SettingsPatch } | { ok: false; errors: FieldErrors } {
  const errors = validateDraft(d);
  if (hasErrors(errors)) return { ok: false, errors };
  const patch = patchFromDraft(d, saved);
  // The contract's own check, so what the screen lets through is what the core takes.
  const r = settingsPatchSchema.safeParse(patch);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key: FieldKey =
      issue?.path[0] === 'ingest' ? (issue.path[1] === 'exclude' ? 'ingest.exclude' : 'ingest.maxFileSizeMb') : issue?.path[0] === 'backup' ? 'backup.keep' : 'postgres.host';
    return { ok: false, errors: { [key]: messageOf(issue) } };
  }
  return { ok: true, patch };
}

// ---- words for the plan and its progress ----

export const STRATEGY_TEXT: Record<ProviderChangeStrategy, { label: string; explanation: string }> = {
  copy: {
    label: 'Copy without re-embedding',
    explanation:
      'Copies every document with its text and outline, the jobs, the keyword index and the vectors as they are. The fastest way; search finds the same things afterwards.',
  },
  reindex: {
    label: 'Re-index from stored text',
    explanation:
      'Copies the documents and computes every vector again from their stored text with the current model. Slower; choose it when the vectors cannot be copied.',
  },
  switch: {
    label: 'Use as is',
    explanation:
      'Points the app at the new stores without copying anything: they already hold this library, or there is nothing to move. What only the current stores hold stays behind.',
  },
};

export const PHASE_TEXT: Record<string, string> = {
  connecting: 'Connecting to the new stores',
  copying: 'Copying documents',
  'catching-up': 'Catching up with files indexed meanwhile',
  verifying: 'Verifying the counts',
  switching: 'Switching over',
  finished: 'Finished',
};

/** 0–100 for the progress bar; null while the total is not known yet. */
export function progressPercent(done: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

export function formatLatency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** An id for a field's input (labels point at it, messages are described by it). */
export function fieldId(key: FieldKey): string {
  return `settings-${key.replace('.', '-')}`;
}
