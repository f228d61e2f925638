import type { KbErrorShape } from '../../../core/api';
import { toUserError, type ErrorContext } from '../logic/errors';
import type { FieldKey } from '../logic/settingsForm';
import { useKb } from '../store';

interface Props {
  error: KbErrorShape | { kind: string; message: string };
  onDismiss?: () => void;
  /** Where it happened, when that changes the advice. */
  context?: ErrorContext;
}

/** Opens the Settings page, for errors whose fix is there (with that field focused when one is named). */
export function OpenSettingsButton({ className = 'button small', field }: { className?: string; field?: FieldKey }) {
  const openSettings = useKb((s) => s.openSettings);
  return (
    <button type="button" className={className} data-testid="error-open-settings" onClick={() => openSettings(field)}>
      Open Settings
    </button>
  );
}

/** An error as the user sees it: what happened, the core's words, and what to do. */
export function ErrorNotice({ error, onDismiss, context }: Props) {
  const u = toUserError(error, context);
  return (
    <div className="notice notice-error" role="alert" data-testid="error" data-kind={u.kind}>
      <div className="notice-body">
        <p className="notice-title">{u.title}</p>
        <p className="notice-message">{u.message}</p>
        <p className="notice-hint">{u.hint}</p>
        {u.opensSettings && (
          <p className="notice-actions">
            <OpenSettingsButton field={u.settingsField} />
          </p>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button notice-close" aria-label="Dismiss this message" title="Dismiss" data-testid="error-dismiss" onClick={onDismiss}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      )}
    </div>
  );
}
