import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { EventName, EventPayloads } from '../../src-main/contract';
import type { ApiClient, ConnectionState } from './client';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi must be used inside <ApiProvider>');
  return client;
}

/** Subscribes for the component's lifetime; the listener may change on every render. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
  const client = useApi();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => client.subscribe(event, (payload) => latest.current(payload)), [client, event]);
}

export function useConnectionState(): ConnectionState {
  const client = useApi();
  return useSyncExternalStore(
    (onChange) => client.onConnectionStateChanged(onChange),
    () => client.getConnectionState(),
  );
}

/** Calls `onReconnected` each time the event channel comes back after having been lost. */
export function useReconnected(onReconnected: () => void) {
  const client = useApi();
  const latest = useRef(onReconnected);
  latest.current = onReconnected;
  useEffect(() => {
    let wasLost = false;
    return client.onConnectionStateChanged((state) => {
      if (state === 'disconnected') wasLost = true;
      if (state === 'connected' && wasLost) {
        wasLost = false;
        latest.current();
      }
    });
  }, [client]);
}
