import type { BackupStatus } from '../../../../core/api';
import { describeBackupStatus } from '../../logic/backups';

/**
 * A backup or restore under way (or just ended): what it does now, a bar when it can count, and
 * what it means for the library. Shared by Settings, the restore dialog and Status.
 */
export function BackupProgress({ status, titleId, headingLevel = 3 }: { status: BackupStatus; titleId: string; headingLevel?: 3 | 4 }) {
  const v = describeBackupStatus(status);
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className={`backup-progress tone-border-${v.tone}`} data-testid="backup-progress" data-operation={status.operation} data-state={status.state}>
      <div className="backup-progress-head">
        <Heading id={titleId} className="backup-progress-title">
          {v.title}
        </Heading>
        <span className="count" data-testid="backup-phase">
          {v.phase}
        </span>
      </div>
      {v.running && (
        <progress
          className="status-progress"
          aria-labelledby={titleId}
          aria-valuetext={v.percent === null ? v.phase : `${v.percent}%`}
          {...(v.percent === null ? {} : { value: v.percent, max: 100 })}
        />
      )}
      <p className={`status-message${v.tone === 'bad' ? ' status-message-bad' : ''}`} data-testid="backup-progress-detail">
        {v.detail}
      </p>
    </div>
  );
}
