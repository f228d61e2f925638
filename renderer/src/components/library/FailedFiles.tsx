import { useState } from 'react';
import { failureTitle, type FailedFile } from '../../logic/library';

/** How many failures show before "Show all". */
const FOLDED_AFTER = 4;

/**
 * Files that could not be indexed, above the table: each with its whole name, why, and where it
 * is. They come first and stand out, so a failure is never lost below hundreds of good rows.
 */
export function FailedFiles({ failed }: { failed: readonly FailedFile[] }) {
  const [open, setOpen] = useState(false);
  if (failed.length === 0) return null;
  const shown = open ? failed : failed.slice(0, FOLDED_AFTER);
  const n = failed.length;
  return (
    <section className="lib-failed" aria-labelledby="lib-failed-heading" data-testid="library-failed">
      <h3 id="lib-failed-heading" className="lib-failed-title">
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <circle cx="10" cy="10" r="8.2" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M10 5.5v5.5M10 13.6v.4" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        {n === 1 ? '1 file could not be indexed' : `${n.toLocaleString('en-US')} files could not be indexed`}
      </h3>
      <ul className="lib-failed-list">
        {shown.map((f) => (
          <li key={f.jobId} className="lib-failed-item" data-testid="library-failed-file">
            <div className="lib-failed-head">
              <span className="lib-failed-name">{f.fileName}</span>
              <span className="lib-failed-kind">{failureTitle(f.kind)}</span>
            </div>
            <p className="lib-failed-reason" data-testid="library-failed-reason">
              {f.message}
            </p>
            {f.sourcePath && <p className="lib-failed-path">{f.sourcePath}</p>}
          </li>
        ))}
      </ul>
      {n > FOLDED_AFTER && (
        <button type="button" className="button subtle small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show fewer' : `Show all ${n.toLocaleString('en-US')}`}
        </button>
      )}
    </section>
  );
}
