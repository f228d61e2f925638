import { formatCount } from '../logic/format';
import { toUserError } from '../logic/errors';
import { describeModelActivity, visibleReindex } from '../logic/modelActivity';
import { getPlatform } from '../kb/client';
import { useKb } from '../store';

function StatusLine() {
  const status = useKb((s) => s.status);
  const statusError = useKb((s) => s.statusError);
  const modelDownload = useKb((s) => s.modelDownload);
  const dismissedReindex = useKb((s) => s.dismissedReindex);
  const dismissReindexFailure = useKb((s) => s.dismissReindexFailure);

  if (!status) {
    if (statusError) {
      const u = toUserError(statusError);
      return (
        <p className="status status-bad" data-testid="status" title={u.message}>
          <span className="dot dot-bad" aria-hidden="true" />
          Not connected
        </p>
      );
    }
    return (
      <p className="status" data-testid="status">
        Connecting…
      </p>
    );
  }

  const { embedding, relational, vector } = status;
  const unhealthy = [relational, vector].filter((p) => !p.available);
  const counts = `${formatCount(status.documents, 'document', 'documents')} · ${formatCount(status.chunks, 'chunk', 'chunks')}`;
  const activity = describeModelActivity(modelDownload, visibleReindex(status.reindex, dismissedReindex));
  return (
    <div className="status" data-testid="status">
      <span
        className="status-model"
        data-testid="status-model"
        title={embedding.ready ? `${embedding.dimensions}-dimensional embeddings from ${embedding.source}` : embedding.message}
      >
        <span className={`dot ${embedding.ready ? 'dot-ok' : 'dot-warn'}`} aria-hidden="true" />
        <span className="visually-hidden">Model: </span>
        <span className="status-model-name">{embedding.modelId}</span>
        {!embedding.ready && <span className="status-warn"> (not ready)</span>}
      </span>
      <span className="status-counts" data-testid="status-counts" title={counts}>
        {counts}
      </span>
      {activity && (
        // One short line: a long failure would wrap the header. The whole message is in the Model panel.
        <span className={`status-activity ${activity.tone === 'bad' ? 'status-bad' : 'status-busy'}`} data-testid="model-activity" role="status" title={activity.text}>
          <span className="status-activity-text">{activity.short ?? activity.text}</span>
          {activity.tone === 'bad' && (
            <button type="button" className="icon-button status-dismiss" aria-label="Dismiss this message" title="Dismiss" data-testid="model-activity-dismiss" onClick={dismissReindexFailure}>
              <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
              </svg>
            </button>
          )}
        </span>
      )}
      {status.readOnly && (
        // Another program (kb index, a second app) writes to this library: searching works here.
        <span
          className="status-activity status-busy"
          data-testid="read-only"
          title={`${status.readOnly.holder ? `${status.readOnly.holder.what} (pid ${status.readOnly.holder.pid})` : 'Another program'} is writing to this library. Search works; adding or changing documents waits until it finishes (then restart qckstrt).`}
        >
          <span className="status-activity-text">Read only{status.readOnly.holder ? ` — ${status.readOnly.holder.what} is writing` : ''}</span>
        </span>
      )}
      {unhealthy.map((p) => (
        <span key={p.provider} className="status-bad status-activity" title={p.message}>
          <span className="dot dot-bad" aria-hidden="true" />
          {p.provider} unavailable
        </span>
      ))}
    </div>
  );
}

/** Status and Settings: pages over the main column, toggled from the header (Ctrl/Cmd+, opens settings). */
function HeaderNav() {
  const view = useKb((s) => s.view);
  const setView = useKb((s) => s.setView);
  const setAboutOpen = useKb((s) => s.setAboutOpen);
  const toggle = (to: 'status' | 'settings') => setView(view === to ? 'search' : to);
  return (
    <nav className="header-nav" aria-label="App">
      <button type="button" className="header-button" data-testid="open-status" aria-pressed={view === 'status'} onClick={() => toggle('status')}>
        Status
      </button>
      <button type="button" className="header-button" data-testid="open-settings" aria-pressed={view === 'settings'} onClick={() => toggle('settings')}>
        Settings
      </button>
      {/* The desktop app has Help → About in its menu (with Electron's versions); the browser UI has this. */}
      {getPlatform().kind === 'browser' && (
        <button type="button" className="header-button" data-testid="open-about" aria-haspopup="dialog" onClick={() => setAboutOpen(true)}>
          About
        </button>
      )}
    </nav>
  );
}

export function Header() {
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" strokeWidth="2.4" />
          <path d="M15.5 15.5L21 21" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
        </svg>
        <h1>qckstrt</h1>
      </div>
      <StatusLine />
      <HeaderNav />
    </header>
  );
}
