import type { EventEnvelope, Result } from '../../src-main/contract';
import type { AudioDelivery } from './audio-sockets';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/**
 * What the client needs from a transport: the same shape as the contract's ConsoleBridge, with
 * results always normalised to a `Result`, plus the state of the event channel.
 */
export interface Transport {
  readonly kind: 'electron' | 'http';
  /** Resolves to the method's `Result`; rejects only with a `TransportError` (nothing answered). */
  invoke(method: string, request: unknown): Promise<Result<unknown>>;
  /** Every event envelope; returns the disposer. */
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
  getConnectionState(): ConnectionState;
  /** Returns the disposer. */
  onConnectionStateChanged(listener: (state: ConnectionState) => void): () => void;
  /** One frame of an open audio line (16-bit LE mono PCM at 16 kHz). Fire and forget. */
  sendAudio(lineId: string, frame: ArrayBuffer): void;
  /**
   * No more frames for this line (call it before `audio.closeLine`): what is still queued is sent
   * first. Resolves with how the delivery ended, or null where frames need no connection of their own.
   */
  endAudio(lineId: string): Promise<AudioDelivery | null>;
  /** Stores a file (a recorded call) on the console's side; resolves to a `Result` of `{ uploadId }`. */
  upload(file: Blob): Promise<Result<unknown>>;
  /** Changes in how a line's audio reaches the host (the browser mode's sockets); returns the disposer. */
  onAudioDeliveryChanged(listener: (delivery: AudioDelivery) => void): () => void;
  close(): void;
}

/** Nothing answered: the service is down, the socket is gone, or the reply was not JSON. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; error?: unknown };
  if (candidate.ok === true) return 'value' in candidate;
  if (candidate.ok === false) {
    const error = candidate.error as { code?: unknown; message?: unknown } | undefined;
    return typeof error === 'object' && error !== null && typeof error.code === 'string';
  }
  return false;
}
