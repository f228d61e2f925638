import { useEffect } from 'react';
import { BACKUP_SCHEDULE_CHOICES, setBackupField, type BackupSchedule, type FieldErrors } from '../../logic/settingsForm';
import { useKb } from '../../store';
import { BackUpNow } from '../backup/BackUpNow';
import { BackupList } from '../backup/BackupList';
import { RestoreFromFile } from '../backup/RestoreFromFile';
import { CheckField, RadioCards, TextField } from './fields';
import '../../styles/backup.css';

const BACKUP_TITLE_ID = 'settings-backup-title';

/** The schedule's options: part of the draft, saved with Apply like the indexing options. */
function AutomaticBackupFields({ errors }: { errors: FieldErrors }) {
  const backup = useKb((s) => s.settingsDraft?.backup);
  const edit = useKb((s) => s.editSettingsDraft);
  if (!backup) return null;
  return (
    <div className="backup-group" data-testid="backup-schedule">
      <h4 className="backup-group-title">Automatic backups</h4>
      <RadioCards
        name="backup-schedule"
        legend="Automatic backups"
        choices={BACKUP_SCHEDULE_CHOICES}
        value={backup.schedule}
        onChange={(id) => edit((d) => setBackupField(d, 'schedule', id as BackupSchedule))}
        compact
      />
      <TextField
        field="backup.keep"
        label="Automatic backups kept"
        numeric
        value={backup.keep}
        onChange={(v) => edit((d) => setBackupField(d, 'keep', v))}
        error={errors['backup.keep']}
        hint="1–100. The oldest automatic backup is deleted when there are more; backups you make are never deleted."
      />
      <CheckField
        id="settings-backup-includeOriginals"
        label="Include the original files"
        checked={backup.includeOriginals}
        onChange={(v) => edit((d) => setBackupField(d, 'includeOriginals', v))}
        hint="Larger backups, but a restored library can open and re-index its documents. Without them the text and vectors are still backed up."
      />
    </div>
  );
}

/**
 * Backups: the schedule (saved with Apply) and what acts at once — Back up now, the backups in the
 * data folder with Restore…, and Restore from file.
 */
export function BackupSection({ errors }: { errors: FieldErrors }) {
  const refresh = useKb((s) => s.refreshBackups);
  const forgetResult = useKb((s) => s.dismissBackupRun);
  // Opened again later: the list afresh, and no result or error left from an earlier visit.
  useEffect(() => {
    forgetResult();
    void refresh();
  }, [refresh, forgetResult]);
  return (
    <section className="panel settings-section settings-backup" aria-labelledby={BACKUP_TITLE_ID} data-testid="backup-section">
      <h3 id={BACKUP_TITLE_ID} className="settings-section-title">
        Backup
      </h3>
      <p className="settings-section-intro muted">
        One file holds your documents, their passages and vectors (so a restore never re-embeds), the original files and the settings without passwords. It restores into whichever
        databases are configured then.
      </p>
      <AutomaticBackupFields errors={errors} />
      <div className="backup-group" data-testid="backup-actions">
        <h4 className="backup-group-title">Back up and restore now</h4>
        <p className="settings-hint backup-group-note">These act at once; they do not wait for Apply.</p>
        <BackUpNow />
        <BackupList />
        <RestoreFromFile />
      </div>
    </section>
  );
}
