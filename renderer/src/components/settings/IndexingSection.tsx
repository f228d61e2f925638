import { setIngestField, type FieldErrors } from '../../logic/settingsForm';
import { useKb } from '../../store';
import { CheckField, TextAreaField, TextField } from './fields';

const INDEXING_TITLE_ID = 'settings-indexing-title';

/**
 * What indexing takes from the files and folders it is given. These options move nothing: Apply
 * saves them as they are, with the rest of the screen.
 */
export function IndexingSection({ errors }: { errors: FieldErrors }) {
  const ingest = useKb((s) => s.settingsDraft?.ingest);
  const edit = useKb((s) => s.editSettingsDraft);
  if (!ingest) return null;
  return (
    <section className="panel settings-section settings-indexing" aria-labelledby={INDEXING_TITLE_ID} data-testid="indexing-section">
      <h3 id={INDEXING_TITLE_ID} className="settings-section-title">
        Indexing
      </h3>
      <p className="settings-section-intro muted">Which files are read when you add files and folders. Documents already indexed stay as they are.</p>
      <TextField
          field="ingest.maxFileSizeMb"
          label="Maximum file size (MB)"
          numeric="decimal"
          value={ingest.maxFileSizeMb}
          onChange={(v) => edit((d) => setIngestField(d, 'maxFileSizeMb', v))}
          error={errors['ingest.maxFileSizeMb']}
          hint="1–4096. A larger file is not indexed; it is listed with the reason."
        />
      <CheckField
        id="settings-ingest-followExternalLinks"
        label="Follow links that lead outside added folders"
        checked={ingest.followExternalLinks}
        onChange={(v) => edit((d) => setIngestField(d, 'followExternalLinks', v))}
        hint="Off is safer: with it on, a link in a folder to a system file (a password file, say) would be indexed and searchable."
      />
      <TextAreaField
        field="ingest.exclude"
        label="Skip files and folders matching"
        value={ingest.exclude}
        onChange={(v) => edit((d) => setIngestField(d, 'exclude', v))}
        error={errors['ingest.exclude']}
        hint={
          <>
            One pattern a line, relative to the added folder, such as <code>**/node_modules</code>; <code>**/.*</code> skips hidden files. Used when a folder is added: a watched folder keeps
            the patterns it was added with.
          </>
        }
      />
    </section>
  );
}
