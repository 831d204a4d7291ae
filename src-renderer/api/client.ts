import type {
  bridgeGlobalName,
  ConsoleBridge,
  ErrorInfo,
  EventName,
  EventPayloads,
  MethodName,
  MethodRequest,
  MethodResponse,
} from '../../src-main/contract';
import type { AudioDelivery } from './audio-sockets';
import { createElectronTransport } from './electron-transport';
import { createHttpTransport } from './http-transport';
import { TransportError, type ConnectionState, type Transport } from './transport';

export type { ConnectionState } from './transport';
export type { AudioDelivery, AudioDeliveryState } from './audio-sockets';

// The contract's constant may not be imported at run time; the type keeps this copy honest.
const bridgeName: typeof bridgeGlobalName = 'hotlineConsole';
const tokenStorageKey = 'hotline-console.token';

declare global {
  interface Window {
    hotlineConsole?: ConsoleBridge;
  }
}

/** A method answered `ok: false`, or (with `network` set) nothing answered at all. */
export class ApiError extends Error {
  constructor(
    readonly info: ErrorInfo,
    readonly method: string,
    readonly network = false,
  ) {
    super(`${method}: ${info.code}: ${info.message}`);
    this.name = 'ApiError';
  }

  get code() {
    return this.info.code;
  }
}

export class ApiClient {
  constructor(private readonly transport: Transport) {}

  get transportKind() {
    return this.transport.kind;
  }

  async call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResponse<M>> {
    let result;
    try {
      result = await this.transport.invoke(method, request);
    } catch (error) {
      if (error instanceof TransportError) {
        const code = error.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL';
        throw new ApiError({ code, message: error.message }, method, true);
      }
      throw error;
    }
    if (result.ok) return result.value as MethodResponse<M>;
    throw new ApiError(result.error, method);
  }

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    return this.transport.subscribe((envelope) => {
      if (envelope.event === event) listener(envelope.payload as EventPayloads[E]);
    });
  }

  /** Stores a recorded call on the console's side, for `calls.importRecording`. */
  async upload(file: Blob): Promise<{ uploadId: string }> {
    let result;
    try {
      result = await this.transport.upload(file);
    } catch (error) {
      if (error instanceof TransportError) throw new ApiError({ code: error.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', message: error.message }, 'upload', true);
      throw error;
    }
    if (result.ok) return result.value as { uploadId: string };
    throw new ApiError(result.error, 'upload');
  }

  /** One frame of an open audio line: 16-bit little-endian mono PCM at 16 kHz, about 100 ms. */
  sendAudio(lineId: string, frame: ArrayBuffer): void {
    this.transport.sendAudio(lineId, frame);
  }

  /** Sends what is still queued for the line and stops; call before `audio.closeLine`. */
  endAudio(lineId: string): Promise<AudioDelivery | null> {
    return this.transport.endAudio(lineId);
  }

  onAudioDeliveryChanged(listener: (delivery: AudioDelivery) => void): () => void {
    return this.transport.onAudioDeliveryChanged(listener);
  }

  getConnectionState(): ConnectionState {
    return this.transport.getConnectionState();
  }

  onConnectionStateChanged(listener: (state: ConnectionState) => void): () => void {
    return this.transport.onConnectionStateChanged(listener);
  }

  close() {
    this.transport.close();
  }
}

/**
 * Moves the access token from the address bar into sessionStorage, so that it is not left in
 * the history, in screenshots or in a link someone copies.
 */
export function takeAccessToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(tokenStorageKey, fromUrl);
    } catch {
      // Without storage the token lives only in memory; a reload then needs the link again.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(tokenStorageKey);
  } catch {
    return null;
  }
}

/** The one client: the Electron preload's bridge when there is one, else the host's HTTP + WebSocket. */
export function createApiClient(): ApiClient {
  const bridge = window[bridgeName];
  if (bridge) return new ApiClient(createElectronTransport(bridge));
  return new ApiClient(createHttpTransport({ origin: window.location.origin, token: takeAccessToken() }));
}
