import { useEffect } from 'react';
import { useKb } from '../../store';
import { pollStatus } from '../../store/statusPolling';

/** Keeps the store's status fresh while the calling screen is mounted (the Status screen is mounted only while shown). */
export function useStatusPolling(): void {
  const refreshStatus = useKb((s) => s.refreshStatus);
  useEffect(() => pollStatus(refreshStatus, { isVisible: () => document.visibilityState === 'visible' }), [refreshStatus]);
}
