import { useState, type ClipboardEvent } from 'react';
import {
  clearPassword,
  keepPassword,
  pasteConnectionString,
  setPostgresField,
  typePassword,
  type FieldErrors,
  type PostgresDraft,
} from '../../logic/settingsForm';
import { kbStore, useKb } from '../../store';
import { CheckField, TextField } from './fields';

const FIELD_NAMES: Record<string, string> = { host: 'host', port: 'port', database: 'database', username: 'user', ssl: 'TLS', password: 'password' };

function listOf(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Paste a postgres:// URL: parsed into the fields, then cleared (it may hold the password). */
function ConnectionStringField() {
  const edit = useKb((s) => s.editSettingsDraft);
  const [text, setText] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const fill = (value: string) => {
    // Read at call time: the draft may have changed since the last render.
    const draft = kbStore.getState().settingsDraft;
    if (!draft || value.trim() === '') return;
    const r = pasteConnectionString(draft, value);
    if (!r.ok) {
      setNote({ ok: false, text: r.message });
      return;
    }
    edit(() => r.draft);
    setText('');
    setNote({ ok: true, text: `Filled in the ${listOf(r.filled.map((k) => FIELD_NAMES[k] ?? k))} from the connection string.` });
  };
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData('text');
    if (pasted && e.currentTarget.value === '') {
      e.preventDefault();
      fill(pasted);
    }
  };

  return (
    <div className="settings-field settings-paste">
      <label htmlFor="settings-postgres-url">Paste a postgres:// connection string</label>
      <div className="settings-inline">
        <input
          id="settings-postgres-url"
          type="text"
          value={text}
          placeholder="postgresql://user:password@host:5432/database"
          spellCheck={false}
          autoComplete="off"
          aria-describedby="settings-postgres-url-note"
          onChange={(e) => {
            setText(e.target.value);
            setNote(null);
          }}
          onPaste={onPaste}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              fill(text);
            }
          }}
        />
        <button type="button" className="button" disabled={text.trim() === ''} onClick={() => fill(text)}>
          Fill in
        </button>
      </div>
      <p id="settings-postgres-url-note" className={note ? (note.ok ? 'settings-ok' : 'settings-error') : 'settings-hint'} role="status" data-testid="postgres-url-note">
        {note ? note.text : 'Fills in the fields below; the string itself is not kept.'}
      </p>
    </div>
  );
}

function PasswordField() {
  const draft = useKb((s) => s.settingsDraft);
  const passwordSet = useKb((s) => s.draftBase?.relational.postgres.passwordSet ?? false);
  const edit = useKb((s) => s.editSettingsDraft);
  if (!draft) return null;
  const { password } = draft;
  const state =
    password.mode === 'replace'
      ? 'A new password will be saved when you apply.'
      : password.mode === 'clear'
        ? 'The saved password will be cleared when you apply.'
        : passwordSet
          ? 'Saved password: set. It is never shown; type to replace it.'
          : 'Saved password: not set.';
  return (
    <div className="settings-field settings-password">
      <label htmlFor="settings-password">Password</label>
      <div className="settings-inline">
        <input
          id="settings-password"
          type="password"
          autoComplete="new-password"
          value={password.mode === 'replace' ? password.value : ''}
          disabled={password.mode === 'clear'}
          placeholder={passwordSet ? '•••••• (set)' : 'not set'}
          aria-describedby="settings-password-state"
          onChange={(e) => edit((d) => typePassword(d, e.target.value))}
        />
        {password.mode === 'clear' ? (
          <button type="button" className="button" onClick={() => edit(keepPassword)}>
            Keep saved password
          </button>
        ) : (
          (passwordSet || password.mode === 'replace') && (
            <button type="button" className="button danger-text" onClick={() => edit(passwordSet ? clearPassword : keepPassword)}>
              {passwordSet ? 'Clear password' : 'Clear'}
            </button>
          )
        )}
      </div>
      <p id="settings-password-state" className="settings-hint" data-testid="password-state">
        {state}
      </p>
    </div>
  );
}

/** The PostgreSQL connection: the relational provider's, and pgvector's (it shares it). */
export function PostgresFields({ errors, sharedWithPgvector }: { errors: FieldErrors; sharedWithPgvector: boolean }) {
  const pg = useKb((s) => s.settingsDraft?.postgres);
  const edit = useKb((s) => s.editSettingsDraft);
  if (!pg) return null;
  const set = <K extends keyof PostgresDraft>(key: K) => (value: PostgresDraft[K]) => edit((d) => setPostgresField(d, key, value));
  return (
    <fieldset className="settings-group" data-testid="postgres-fields">
      <legend>PostgreSQL connection</legend>
      {sharedWithPgvector && <p className="settings-hint">pgvector stores the vectors in this same database.</p>}
      <ConnectionStringField />
      <div className="settings-grid">
        <TextField field="postgres.host" label="Host" value={pg.host} onChange={set('host')} error={errors['postgres.host']} />
        <TextField field="postgres.port" label="Port" numeric value={pg.port} onChange={set('port')} error={errors['postgres.port']} />
        <TextField field="postgres.database" label="Database" value={pg.database} onChange={set('database')} error={errors['postgres.database']} />
        <TextField field="postgres.username" label="User" value={pg.username} onChange={set('username')} error={errors['postgres.username']} />
      </div>
      <PasswordField />
      <div className="settings-checks">
        <CheckField id="settings-postgres-ssl" label="Use TLS (SSL)" checked={pg.ssl} onChange={set('ssl')} />
        <CheckField
          id="settings-postgres-verify"
          label="Verify the server’s certificate"
          checked={pg.ssl && pg.sslRejectUnauthorized}
          disabled={!pg.ssl}
          onChange={set('sslRejectUnauthorized')}
          hint="Turn off only for servers with a self-signed certificate."
        />
      </div>
      <div className="settings-grid settings-grid-small">
        <TextField field="postgres.poolMax" label="Pool: most connections" numeric value={pg.poolMax} onChange={set('poolMax')} error={errors['postgres.poolMax']} />
        <TextField field="postgres.poolMin" label="Pool: fewest connections" numeric value={pg.poolMin} onChange={set('poolMin')} error={errors['postgres.poolMin']} />
        <TextField field="postgres.idleTimeoutMs" label="Idle timeout (ms)" numeric value={pg.idleTimeoutMs} onChange={set('idleTimeoutMs')} error={errors['postgres.idleTimeoutMs']} />
        <TextField field="postgres.connectTimeoutMs" label="Connect timeout (ms)" numeric value={pg.connectTimeoutMs} onChange={set('connectTimeoutMs')} error={errors['postgres.connectTimeoutMs']} />
      </div>
    </fieldset>
  );
}
