import type { EventEnvelope, Result } from '../../src-main/contract';
import { AudioSockets } from './audio-sockets';
import { isResult, TransportError, type ConnectionState, type Transport } from './transport';

export interface HttpTransportOptions {
  /** Origin of the host, e.g. `http://127.0.0.1:4312`. */
  origin: string;
  token: string | null;
}

const firstRetryMs = 500;
const longestRetryMs = 10_000;

/**
 * The browser side of `src-main/host`: `POST /api/invoke/<method>` for calls, one WebSocket
 * at `/api/events` for events, reopened with growing pauses whenever it closes, and one WebSocket
 * per open audio line (see `AudioSockets`).
 */
export function createHttpTransport({ origin, token }: HttpTransportOptions): Transport {
  const eventListeners = new Set<(envelope: EventEnvelope) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failedAttempts = 0;
  let closed = false;
  const audioSockets = new AudioSockets({ origin, token });

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const eventsUrl = () => {
    const url = new URL('/api/events', origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) url.searchParams.set('token', token);
    return url.toString();
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer !== null) return;
    const pause = Math.min(longestRetryMs, firstRetryMs * 2 ** failedAttempts);
    failedAttempts += 1;
    // A little jitter so that several windows do not knock on the host in step.
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        connect();
      },
      pause + Math.floor(Math.random() * 250),
    );
  };

  const connect = () => {
    if (closed) return;
    let opened: WebSocket;
    try {
      opened = new WebSocket(eventsUrl());
    } catch {
      setState('disconnected');
      scheduleReconnect();
      return;
    }
    socket = opened;
    opened.onopen = () => {
      failedAttempts = 0;
      setState('connected');
    };
    opened.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let envelope: unknown;
      try {
        envelope = JSON.parse(message.data);
      } catch {
        return;
      }
      if (typeof envelope !== 'object' || envelope === null || typeof (envelope as EventEnvelope).event !== 'string') {
        return;
      }
      for (const listener of [...eventListeners]) listener(envelope as EventEnvelope);
    };
    opened.onclose = () => {
      if (socket === opened) socket = null;
      if (closed) return;
      setState('disconnected');
      scheduleReconnect();
    };
    // An error is always followed by close, which does the reconnecting.
    opened.onerror = () => undefined;
  };

  connect();

  return {
    kind: 'http',
    async invoke(method, request): Promise<Result<unknown>> {
      let response: Response;
      try {
        response = await fetch(new URL(`/api/invoke/${encodeURIComponent(method)}`, origin), {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(request ?? {}),
        });
      } catch (error) {
        throw new TransportError(error instanceof Error ? error.message : String(error));
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new TransportError(`HTTP ${response.status}: the answer was not JSON`, response.status);
      }
      if (!isResult(body)) throw new TransportError(`HTTP ${response.status}: malformed answer`, response.status);
      return body;
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },
    getConnectionState: () => state,
    onConnectionStateChanged(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    async upload(file): Promise<Result<unknown>> {
      let response: Response;
      try {
        // The file is the body, streamed by the browser: no JSON envelope, no size limit of the API's.
        response = await fetch(new URL('/api/upload', origin), {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: file,
        });
      } catch (error) {
        throw new TransportError(error instanceof Error ? error.message : String(error));
      }
      const body: unknown = await response.json().catch(() => null);
      if (!isResult(body)) throw new TransportError(`HTTP ${response.status}: malformed answer`, response.status);
      return body;
    },
    sendAudio(lineId, frame) {
      audioSockets.send(lineId, frame);
    },
    endAudio: (lineId) => audioSockets.end(lineId),
    onAudioDeliveryChanged: (listener) => audioSockets.onChanged(listener),
    close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      socket?.close();
      audioSockets.closeAll();
    },
  };
}
