/**
 * Reads a `postgres://` connection string (as PostgreSQL hosts such as Supabase hand them out)
 * into the settings' fields. Pure: the settings panel parses as the user pastes.
 */
import type { Settings } from './settings';

export type PostgresUrlFields = Partial<Pick<Settings['relational']['postgres'], 'host' | 'port' | 'database' | 'username' | 'ssl' | 'sslRejectUnauthorized'>> & {
  password?: string;
};

export type PostgresUrlResult = { ok: true; fields: PostgresUrlFields } | { ok: false; message: string };

const SSL_MODES: Record<string, Pick<PostgresUrlFields, 'ssl' | 'sslRejectUnauthorized'>> = {
  disable: { ssl: false },
  allow: { ssl: false },
  prefer: { ssl: true, sslRejectUnauthorized: false },
  // libpq's `require` encrypts without checking the certificate; verify-* check it.
  require: { ssl: true, sslRejectUnauthorized: false },
  'verify-ca': { ssl: true, sslRejectUnauthorized: true },
  'verify-full': { ssl: true, sslRejectUnauthorized: true },
};

export function parsePostgresUrl(text: string): PostgresUrlResult {
  const raw = text.trim();
  if (!/^postgres(ql)?:\/\//i.test(raw)) {
    return { ok: false, message: 'A connection string starts with postgres:// or postgresql://' };
  }
  let url: URL;
  try {
    // WHATWG URL parses special schemes only; the host part reads the same under http.
    url = new URL(raw.replace(/^postgres(ql)?:/i, 'http:'));
  } catch {
    return { ok: false, message: 'This connection string cannot be read: check for spaces or an unescaped @ or / in the password.' };
  }
  const fields: PostgresUrlFields = {};
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return { ok: false, message: 'The connection string names no host.' };
  fields.host = host;
  if (url.port) fields.port = Number(url.port);
  else fields.port = 5432;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database.includes('/')) return { ok: false, message: `"${database}" is not a database name.` };
  if (database) fields.database = database;
  if (url.username) fields.username = decodeURIComponent(url.username);
  if (url.password) fields.password = decodeURIComponent(url.password);
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null) {
    const mode = SSL_MODES[sslmode.toLowerCase()];
    if (!mode) return { ok: false, message: `sslmode=${sslmode} is not one of ${Object.keys(SSL_MODES).join(', ')}.` };
    Object.assign(fields, mode);
  } else if (url.searchParams.get('ssl') === 'true') {
    fields.ssl = true;
  }
  return { ok: true, fields };
}

/** Hides the password in anything that may hold a connection string (messages, logs). */
export function redactConnectionStrings(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}
