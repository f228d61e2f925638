import { useState } from 'react';
import { kbStore, useKb } from '../store';
import { refreshAll } from '../store/connect';
import { ErrorNotice } from './ErrorNotice';

/** Shown when the core cannot be asked for its status: nothing else will work until it can. */
export function ConnectionBanner() {
  const error = useKb((s) => s.statusError);
  const [retrying, setRetrying] = useState(false);
  if (!error) return null;

  const retry = async () => {
    setRetrying(true);
    try {
      await refreshAll(kbStore);
    } finally {
      setRetrying(false);
    }
  };

  return (
    <div className="banner" data-testid="connection-banner">
      <ErrorNotice error={error} />
      <button type="button" className="button retry" onClick={() => void retry()} disabled={retrying}>
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
