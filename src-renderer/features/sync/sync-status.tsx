import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { SyncStatus } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';

interface SyncStatusValue {
  /** Null until the first answer (or when storage is not open). */
  status: SyncStatus | null;
  /** For answers that carry a status (configure, retry), which may overtake the event. */
  setStatus: (status: SyncStatus) => void;
}

const SyncStatusContext = createContext<SyncStatusValue | null>(null);

/** The sync with the central platform for the whole page, as `onSyncStatusChanged` reports it. */
export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [status, setStatusState] = useState<SyncStatus | null>(null);
  // An answer to an older request must not replace what a newer event said.
  const generation = useRef(0);
  const setStatus = useCallback((next: SyncStatus) => {
    generation.current += 1;
    setStatusState(next);
  }, []);
  const load = useCallback(() => {
    const asked = generation.current;
    api.call('sync.getStatus', {}).then(
      (answer) => {
        if (generation.current === asked) setStatus(answer);
      },
      () => undefined,
    );
  }, [api, setStatus]);
  useEffect(load, [load]);
  useEvent('onSyncStatusChanged', setStatus);
  useReconnected(load);
  return <SyncStatusContext.Provider value={{ status, setStatus }}>{children}</SyncStatusContext.Provider>;
}

export function useSyncStatus(): SyncStatusValue {
  const value = useContext(SyncStatusContext);
  if (!value) throw new Error('useSyncStatus must be used inside <SyncStatusProvider>');
  return value;
}
