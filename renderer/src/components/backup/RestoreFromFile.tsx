import { useRef, useState, type FormEvent } from 'react';
import { getPlatform } from '../../kb/client';
import { restorePathProblem } from '../../logic/backups';
import { useKb } from '../../store';
import { backupBusy } from '../../store/backupSlice';

const INPUT_ID = 'backup-restore-path';

/**
 * "Restore from file…": the path of a backup anywhere on this machine (a file made elsewhere, or
 * copied from another computer). The desktop app can also pick it; the browser cannot give a path.
 */
export function RestoreFromFile() {
  const [path, setPath] = useState('');
  const [tried, setTried] = useState(false);
  const busy = useKb(backupBusy);
  const askRestore = useKb((s) => s.askRestore);
  const picker = useRef<HTMLInputElement>(null);
  const platform = getPlatform();
  const problem = tried ? restorePathProblem(path) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (restorePathProblem(path)) return;
    askRestore(path.trim());
  };

  const picked = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file || platform.kind !== 'electron') return;
    const chosen = platform.pathForFile(file);
    if (chosen) setPath(chosen);
  };

  return (
    <form className="backup-restore-file" onSubmit={submit} data-testid="restore-from-file" noValidate>
      <div className="settings-field">
        <label htmlFor={INPUT_ID}>Restore from file</label>
        <div className="backup-restore-row">
          <input
            id={INPUT_ID}
            type="text"
            value={path}
            spellCheck={false}
            autoComplete="off"
            placeholder="A backup’s path, ending in .tar.gz"
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${INPUT_ID}-hint${problem ? ` ${INPUT_ID}-error` : ''}`}
            onChange={(e) => setPath(e.target.value)}
          />
          {platform.kind === 'electron' && (
            <button type="button" className="button" onClick={() => picker.current?.click()}>
              Choose file…
            </button>
          )}
          <button type="submit" className="button" data-testid="restore-from-file-button" disabled={busy}>
            Restore…
          </button>
        </div>
        <p id={`${INPUT_ID}-hint`} className="settings-hint">
          A backup made on this or another computer. You confirm before anything is replaced.
        </p>
        {problem && (
          <p id={`${INPUT_ID}-error`} className="settings-error" data-testid="field-error">
            {problem}
          </p>
        )}
      </div>
      {platform.kind === 'electron' && <input ref={picker} type="file" accept=".gz,application/gzip" hidden onChange={(e) => picked(e.currentTarget)} />}
    </form>
  );
}
