import type { audioSampleRate } from '../../src-main/contract';

// The contract's constant may not be imported at run time; the type keeps this copy honest.
const sampleRate: typeof audioSampleRate = 16_000;
const bytesPerSecond = sampleRate * 2;
/** Audio held back while a line's socket is (re)connecting: at most 5 s, older frames give way. */
export const maxQueuedBytes = 5 * bytesPerSecond;
const firstRetryMs = 500;
const longestRetryMs = 5_000;
/** How long ending a line waits for its socket to take the last frames and close. */
const endLimitMs = 3_000;
// WebSocket.OPEN, spelt out so that this module also runs where WebSocket is not a global (Node tests).
const socketOpen = 1;
const normalClosure = 1000;

/** Close codes the host uses on an audio socket. */
export const audioCloseCodes = { unknownLine: 4404, unauthorized: 4401 } as const;

export type AudioDeliveryState =
  | 'connecting'
  | 'open'
  /** The socket closed unexpectedly; frames wait (up to 5 s) while it is reopened. */
  | 'reconnecting'
  /** The host does not know the line (never opened, or already closed): nothing more is sent. */
  | 'unknown-line'
  /** The host refused the access token: nothing more is sent. */
  | 'unauthorized'
  /** Ended by the page, or closed normally by the host (the line was closed on its side). */
  | 'closed';

/** How a line's audio is getting to the host. */
export interface AudioDelivery {
  lineId: string;
  state: AudioDeliveryState;
  /** Frames given up because they waited too long (more than 5 s of audio queued). */
  droppedFrames: number;
  droppedMs: number;
}

export interface AudioSocketsOptions {
  /** Origin of the host, e.g. `http://127.0.0.1:4312`. */
  origin: string;
  token: string | null;
  /** Opens a socket; the browser's WebSocket unless told otherwise. */
  openSocket?: (url: string) => WebSocket;
}

interface LineSocket {
  lineId: string;
  socket: WebSocket | null;
  queue: ArrayBuffer[];
  queuedBytes: number;
  delivery: AudioDelivery;
  failedAttempts: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  /** Set by `end`: nothing more is sent and the socket is not reopened. */
  ended: boolean;
  /** While `end` waits for the socket to close. */
  onClosed: (() => void) | null;
}

const finalStates: ReadonlySet<AudioDeliveryState> = new Set(['unknown-line', 'unauthorized', 'closed']);

/**
 * The browser mode's audio path: one WebSocket per open line at `/api/audio?token=…&line=…`, each
 * binary message one frame of 16-bit little-endian mono PCM at 16 kHz. Frames sent before the socket
 * is open, or while it is being reopened, are queued in order, but never more than 5 s of audio, so
 * memory stays bounded when the host is away; what is given up is counted.
 */
export class AudioSockets {
  private readonly lines = new Map<string, LineSocket>();
  /** Lines already ended: a frame still in flight for one must not open a socket again. */
  private readonly endedLines = new Set<string>();
  private readonly listeners = new Set<(delivery: AudioDelivery) => void>();
  private readonly openSocket: (url: string) => WebSocket;
  private closed = false;

  constructor(private readonly options: AudioSocketsOptions) {
    this.openSocket = options.openSocket ?? ((url) => new WebSocket(url));
  }

  send(lineId: string, frame: ArrayBuffer): void {
    if (this.closed || frame.byteLength === 0 || this.endedLines.has(lineId)) return;
    let line = this.lines.get(lineId);
    if (!line) {
      line = {
        lineId,
        socket: null,
        queue: [],
        queuedBytes: 0,
        delivery: { lineId, state: 'connecting', droppedFrames: 0, droppedMs: 0 },
        failedAttempts: 0,
        retryTimer: null,
        ended: false,
        onClosed: null,
      };
      this.lines.set(lineId, line);
      this.connect(line);
    }
    if (finalStates.has(line.delivery.state) || line.ended) return;
    const socket = line.socket;
    if (socket && socket.readyState === socketOpen && line.queue.length === 0) {
      // A host that stops reading would otherwise let the socket's own buffer grow without bound.
      if (socket.bufferedAmount > maxQueuedBytes) this.countDropped(line, frame.byteLength, 1);
      else socket.send(frame);
      return;
    }
    line.queue.push(frame);
    line.queuedBytes += frame.byteLength;
    let droppedBytes = 0;
    let droppedFrames = 0;
    while (line.queuedBytes > maxQueuedBytes && line.queue.length > 1) {
      const oldest = line.queue.shift()!;
      line.queuedBytes -= oldest.byteLength;
      droppedBytes += oldest.byteLength;
      droppedFrames += 1;
    }
    if (droppedFrames > 0) this.countDropped(line, droppedBytes, droppedFrames);
  }

  /**
   * The line is over: what is queued is sent, the socket closed, and nothing more goes out. Resolves
   * with how the delivery ended, once the socket has closed (or after a few seconds at most).
   */
  async end(lineId: string): Promise<AudioDelivery | null> {
    this.endedLines.add(lineId);
    const line = this.lines.get(lineId);
    if (!line) return null;
    if (line.ended || finalStates.has(line.delivery.state)) {
      line.ended = true;
      this.forget(line);
      return { ...line.delivery };
    }
    line.ended = true;
    await new Promise<void>((resolve) => {
      const limit = setTimeout(() => {
        line.socket?.close();
        finish();
      }, endLimitMs);
      const finish = () => {
        clearTimeout(limit);
        line.onClosed = null;
        resolve();
      };
      line.onClosed = finish;
      if (line.retryTimer !== null) {
        // Reconnecting: the host is away, so what is queued has nowhere to go.
        clearTimeout(line.retryTimer);
        line.retryTimer = null;
        finish();
      } else if (line.socket?.readyState === socketOpen) {
        this.drain(line);
        line.socket.close(normalClosure, 'line closed');
      }
      // Still connecting: `onopen` sends the queue and closes, `onclose` finishes.
    });
    if (!finalStates.has(line.delivery.state)) this.setState(line, 'closed');
    this.forget(line);
    return { ...line.delivery };
  }

  /** Called for every change of a line's delivery; returns the disposer. */
  onChanged(listener: (delivery: AudioDelivery) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  closeAll(): void {
    this.closed = true;
    for (const line of [...this.lines.values()]) {
      line.ended = true;
      if (line.retryTimer !== null) clearTimeout(line.retryTimer);
      line.socket?.close(normalClosure, 'console closed');
      this.forget(line);
    }
  }

  private url(lineId: string): string {
    const url = new URL('/api/audio', this.options.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.options.token) url.searchParams.set('token', this.options.token);
    url.searchParams.set('line', lineId);
    return url.toString();
  }

  private connect(line: LineSocket): void {
    let socket: WebSocket;
    try {
      socket = this.openSocket(this.url(line.lineId));
    } catch {
      this.scheduleReconnect(line);
      return;
    }
    socket.binaryType = 'arraybuffer';
    line.socket = socket;
    socket.onopen = () => {
      line.failedAttempts = 0;
      this.setState(line, 'open');
      this.drain(line);
      if (line.ended) socket.close(normalClosure, 'line closed');
    };
    socket.onclose = (event: CloseEvent) => {
      if (line.socket === socket) line.socket = null;
      if (event.code === audioCloseCodes.unknownLine) this.setState(line, 'unknown-line');
      else if (event.code === audioCloseCodes.unauthorized) this.setState(line, 'unauthorized');
      // A normal close from the host: the line was closed on its side (its call ended).
      else if (event.code === normalClosure && !line.ended) this.setState(line, 'closed');
      if (line.ended) {
        line.onClosed?.();
        return;
      }
      if (finalStates.has(line.delivery.state) || this.closed) {
        line.queue = [];
        line.queuedBytes = 0;
        return;
      }
      this.scheduleReconnect(line);
    };
    // An error is always followed by close, which decides what happens next.
    socket.onerror = () => undefined;
  }

  private scheduleReconnect(line: LineSocket): void {
    if (this.closed || line.retryTimer !== null) return;
    this.setState(line, 'reconnecting');
    const pause = Math.min(longestRetryMs, firstRetryMs * 2 ** line.failedAttempts);
    line.failedAttempts += 1;
    line.retryTimer = setTimeout(() => {
      line.retryTimer = null;
      if (this.lines.get(line.lineId) === line) this.connect(line);
    }, pause);
  }

  private drain(line: LineSocket): void {
    const socket = line.socket;
    if (!socket || socket.readyState !== socketOpen) return;
    for (const frame of line.queue) socket.send(frame);
    line.queue = [];
    line.queuedBytes = 0;
  }

  private countDropped(line: LineSocket, bytes: number, frames: number): void {
    line.delivery.droppedFrames += frames;
    line.delivery.droppedMs += (bytes / bytesPerSecond) * 1000;
    this.emit(line);
  }

  private setState(line: LineSocket, state: AudioDeliveryState): void {
    if (line.delivery.state === state) return;
    line.delivery.state = state;
    this.emit(line);
  }

  private emit(line: LineSocket): void {
    const snapshot = { ...line.delivery };
    for (const listener of [...this.listeners]) listener(snapshot);
  }

  private forget(line: LineSocket): void {
    if (this.lines.get(line.lineId) === line) this.lines.delete(line.lineId);
  }
}
