import type { InputHTMLAttributes, ReactNode } from 'react';

interface QueryFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onKeyDown'> {
  icon: ReactNode;
  value: string;
  onValue(value: string): void;
  /** Escape with text in the field. */
  onClear(): void;
  /** After the input (a shortcut hint). */
  children?: ReactNode;
}

/** The search and ask boxes: an icon, the text, and Escape to clear it. */
export function QueryField({ icon, value, onValue, onClear, children, ...input }: QueryFieldProps) {
  return (
    <div className="search-field">
      {icon}
      <input
        {...input}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value !== '') {
            e.preventDefault();
            onClear();
          }
        }}
        autoComplete="off"
      />
      {children}
    </div>
  );
}
