import { useEffect, useMemo, useRef } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { RestoreDialog } from '../components/backup/RestoreDialog';
import { BackupSection } from '../components/settings/BackupSection';
import { ProfilePicker } from '../components/settings/ProfilePicker';
import { ProviderChangeDialog } from '../components/settings/ProviderChangeDialog';
import { IndexingSection } from '../components/settings/IndexingSection';
import { RelationalSection, VectorSection } from '../components/settings/ProviderSections';
import { fieldId, hasErrors, validateDraft } from '../logic/settingsForm';
import { useKb } from '../store';
import { dialogOpen, isEdited } from '../store/settingsSlice';
import '../styles/settings.css';

function ApplyBar({ edited, invalid }: { edited: boolean; invalid: boolean }) {
  const apply = useKb((s) => s.settingsApply);
  const applyDraft = useKb((s) => s.applySettingsDraft);
  const discard = useKb((s) => s.openSettingsDraft);
  const busy = apply.step === 'checking' || apply.step === 'running';
  const note = invalid
    ? 'Fix the marked fields to apply.'
    : apply.step === 'checking'
      ? 'Checking what this change does…'
      : apply.step === 'saved'
        ? 'Saved.'
        : edited
          ? 'Not applied yet: the settings in force are unchanged.'
          : 'No changes.';
  return (
    <div className="settings-actions">
      {apply.step === 'error' && <ErrorNotice error={apply.error} />}
      <div className="settings-actions-row">
        <p className={`settings-actions-note${apply.step === 'saved' ? ' settings-ok' : ' muted'}`} role="status" data-testid="settings-apply-note">
          {note}
        </p>
        <button type="button" className="button" disabled={!edited || busy} onClick={() => void discard({ discard: true })}>
          Discard changes
        </button>
        <button type="button" className="button primary" data-testid="settings-apply" disabled={!edited || invalid || busy} onClick={() => void applyDraft()}>
          Apply
        </button>
      </div>
    </div>
  );
}

/**
 * The Settings screen: where the library lives (profile, providers, their fields), tested and
 * applied safely, what indexing reads, and backups. One Apply for all the fields; backing up and
 * restoring act at once.
 */
export function SettingsView() {
  const draft = useKb((s) => s.settingsDraft);
  const base = useKb((s) => s.draftBase);
  const apply = useKb((s) => s.settingsApply);
  const open = useKb((s) => s.openSettingsDraft);
  const focusTarget = useKb((s) => s.settingsFocus);
  const clearFocus = useKb((s) => s.clearSettingsFocus);
  const restoring = useKb((s) => s.restoreRun.step !== 'idle');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const loaded = draft !== null;

  useEffect(() => {
    void open();
    // Keyboard and screen-reader users land on the page they opened.
    headingRef.current?.focus();
  }, [open]);

  // Opened from an error whose fix is one field: that field, once the form is there.
  useEffect(() => {
    if (!loaded || !focusTarget) return;
    const input = document.getElementById(fieldId(focusTarget));
    if (input) {
      input.scrollIntoView({ block: 'center' });
      input.focus({ preventScroll: true });
    }
    clearFocus();
  }, [loaded, focusTarget, clearFocus]);

  const errors = useMemo(() => (draft ? validateDraft(draft) : {}), [draft]);
  const edited = useMemo(() => (draft && base ? isEdited(draft, base) : false), [draft, base]);

  return (
    <div className="settings" data-testid="settings">
      <div className="settings-head">
        <h2 ref={headingRef} tabIndex={-1}>
          Settings
        </h2>
        <p className="muted">Where your library is stored, what indexing reads, and its backups. Test a connection before you apply; moving the library shows a plan first and copies it safely.</p>
      </div>
      {!draft ? (
        apply.step === 'error' ? <ErrorNotice error={apply.error} /> : <p className="muted">Loading settings…</p>
      ) : (
        <>
          <ProfilePicker />
          <RelationalSection errors={errors} />
          <VectorSection errors={errors} />
          <IndexingSection errors={errors} />
          <BackupSection errors={errors} />
          <ApplyBar edited={edited} invalid={hasErrors(errors)} />
        </>
      )}
      {dialogOpen(apply) && 'plan' in apply && <ProviderChangeDialog apply={apply} />}
      {restoring && <RestoreDialog />}
    </div>
  );
}
