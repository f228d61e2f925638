import type { ReactNode } from 'react';
import { fieldId, type FieldKey } from '../../logic/settingsForm';

interface TextFieldProps {
  field: FieldKey;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  hint?: ReactNode;
  /** Numbers are typed as text so a half-typed value stays visible and is explained ('decimal': 1.5 too). */
  numeric?: boolean | 'decimal';
  placeholder?: string;
}

/** The ids of a field's hint and error, for aria-describedby. */
function describedBy(id: string, hint: ReactNode, error: string | undefined): string {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
}

/** A field's hint and, when its value is not valid, the reason. */
function FieldNotes({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="settings-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="settings-error" data-testid="field-error">
          {error}
        </p>
      )}
    </>
  );
}

/** A labelled input with its hint and, when the value is not valid, the reason next to it. */
export function TextField({ field, label, value, onChange, error, hint, numeric, placeholder }: TextFieldProps) {
  const id = fieldId(field);
  const described = describedBy(id, hint, error);
  return (
    <div className={`settings-field${numeric ? ' settings-field-number' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={numeric === 'decimal' ? 'decimal' : numeric ? 'numeric' : undefined}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A labelled multi-line input (one entry a line) with its hint and, when not valid, the reason. */
export function TextAreaField({ field, label, value, onChange, error, hint, rows = 4 }: Omit<TextFieldProps, 'numeric' | 'placeholder'> & { rows?: number }) {
  const id = fieldId(field);
  const described = describedBy(id, hint, error);
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

export function CheckField({ id, label, checked, onChange, disabled, hint }: { id: string; label: string; checked: boolean; onChange(v: boolean): void; disabled?: boolean; hint?: string }) {
  return (
    <div className="settings-check">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="settings-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

export interface Choice {
  id: string;
  label: string;
  description: string;
}

/**
 * Radio cards: each card's label is its name alone (a short accessible name), its description is
 * linked by aria-describedby, and the whole card is the click target.
 */
export function RadioCards({ name, legend, choices, value, onChange, compact }: { name: string; legend: string; choices: Choice[]; value: string; onChange(id: string): void; compact?: boolean }) {
  return (
    <fieldset className={`radio-cards${compact ? ' radio-cards-compact' : ''}`}>
      <legend className="visually-hidden">{legend}</legend>
      <div className="radio-cards-grid">
        {choices.map((c) => {
          const id = `${name}-${c.id}`;
          const checked = c.id === value;
          return (
            <div key={c.id} className={`radio-card${checked ? ' is-checked' : ''}`} data-testid={`${name}-card`}>
              <input id={id} type="radio" name={name} value={c.id} checked={checked} aria-describedby={`${id}-desc`} onChange={() => onChange(c.id)} />
              <label htmlFor={id} className="radio-card-name">
                {c.label}
              </label>
              <p id={`${id}-desc`} className="radio-card-desc">
                {c.description}
              </p>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
