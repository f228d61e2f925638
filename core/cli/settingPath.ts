/**
 * `kb settings set <path> <value>`: finds the field a dotted path names in the settings schema,
 * reads the value as that field's type, and checks the resulting patch with the contract's
 * patch schema, so an error names the path and the rule it broke. Pure: no service, no I/O.
 */
import { z } from 'zod';
import { KbError } from '../api/errors';
import { settingsPatchSchema, settingsSchema, type SettingsPatch } from '../api/settings';

export type SettingKind = 'number' | 'boolean' | 'string' | 'choice' | 'list' | 'group';

export interface SettingField {
  path: string;
  kind: SettingKind;
  /** `null` resets it to its default (or, for the password, removes the saved one). */
  nullable: boolean;
  /** The allowed values of a choice. */
  choices?: string[];
}

export const PASSWORD_PATH = 'relational.postgres.password';

/** The type inside defaults, optionals and nullables, and whether null is allowed. */
function unwrap(type: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let inner = type;
  let nullable = false;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
    if (inner instanceof z.ZodNullable) nullable = true;
    inner = (inner as z.ZodOptional<z.ZodType>).unwrap();
  }
  return { inner, nullable };
}

/** The field a dotted path names, or a ValidationError listing what the path's group has. */
export function settingField(path: string): SettingField {
  const parts = path.split('.');
  let type: z.ZodType = settingsSchema;
  let nullable = false;
  for (const [i, part] of parts.entries()) {
    const group = unwrap(type).inner;
    const here = parts.slice(0, i).join('.');
    if (!(group instanceof z.ZodObject)) throw new KbError('ValidationError', `${here} is a single setting: "${path}" names nothing inside it.`);
    const shape = group.shape as Record<string, z.ZodType>;
    if (!part || !Object.hasOwn(shape, part)) {
      throw new KbError('ValidationError', `Unknown setting "${path}". ${here || 'The settings'} ${here ? 'has' : 'have'}: ${Object.keys(shape).join(', ')}.`);
    }
    type = shape[part] as z.ZodType;
  }
  const { inner, nullable: n } = unwrap(type);
  nullable = n || path === PASSWORD_PATH;
  const field = { path, nullable };
  if (inner instanceof z.ZodNumber) return { ...field, kind: 'number' };
  if (inner instanceof z.ZodBoolean) return { ...field, kind: 'boolean' };
  if (inner instanceof z.ZodEnum) return { ...field, kind: 'choice', choices: (inner.options as (string | number)[]).map(String) };
  if (inner instanceof z.ZodArray) return { ...field, kind: 'list' };
  if (inner instanceof z.ZodObject) return { ...field, kind: 'group' };
  return { ...field, kind: 'string' };
}

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

/** Reads the command line's text as the field's type (before the schema's rules are checked). */
export function parseSettingValue(field: SettingField, raw: string): unknown {
  if (raw === 'null' && field.nullable) return null;
  switch (field.kind) {
    case 'number': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n)) throw new KbError('ValidationError', `${field.path} takes a number; got "${raw}".`);
      return n;
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      throw new KbError('ValidationError', `${field.path} takes true or false; got "${raw}".`);
    }
    case 'list':
    case 'group': {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        const example = field.kind === 'list' ? `'["**/.*", "**/build"]'` : `'{"hnswM": 24}'`;
        throw new KbError('ValidationError', `${field.path} takes JSON, e.g. ${example}; got ${raw}.`);
      }
      return value;
    }
    case 'choice':
      if (!field.choices?.includes(raw)) throw new KbError('ValidationError', `${field.path} must be one of: ${field.choices?.join(', ')}; got "${raw}".`);
      return raw;
    default:
      return raw;
  }
}

/** `{ a: { b: value } }` for the path `a.b`. */
function nest(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** Checks a patch against the contract's schema; the error names each path and its rule. */
export function validatePatch(patch: unknown): SettingsPatch {
  const parsed = settingsPatchSchema.safeParse(patch);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const keys = (i as { keys?: string[] }).keys;
    const where = [...i.path, ...(keys?.length === 1 ? keys : [])].join('.');
    return `${where || 'settings'}: ${i.message}`;
  });
  throw new KbError('ValidationError', `Invalid setting — ${problems.join('; ')}`);
}

/** The patch `kb settings set <path> <value>` applies, validated. */
export function settingPatch(path: string, raw: string | null): SettingsPatch {
  const field = settingField(path);
  const value = raw === null ? null : parseSettingValue(field, raw);
  return validatePatch(nest(path, value));
}
