import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { AudioSockets, maxQueuedBytes, type AudioDelivery, type AudioDeliveryState } from '../../../../src-renderer/api/audio-sockets';

// A WebSocket server that speaks the host's audio protocol: `/api/audio?token=…&line=…`, binary
// frames in, 4401 for a wrong token, 4404 for a line it does not know. The client side is the real
// `AudioSockets`, over `ws` (Node 20 has no WebSocket of its own).
const token = 'secret-token';
const frameBytes = 3200; // 100 ms of 16 kHz 16-bit mono

interface TestHost {
  origin: string;
  knownLines: Set<string>;
  received: Map<string, number[]>;
  urls: URL[];
  /** While set, new connections wait here before being accepted (the socket stays "connecting"). */
  hold: Promise<void> | null;
  /** Resolves once `count` frames in all have arrived for the line. */
  framesArrived(lineId: string, count: number): Promise<number[]>;
  closeConnections(): void;
  /** Closes every socket of a line the way the host does when the line is closed on its side. */
  closeLine(lineId: string): void;
  stop(): Promise<void>;
}

async function startHost(): Promise<TestHost> {
  const waiters: { lineId: string; count: number; resolve: (frames: number[]) => void }[] = [];
  const host: Omit<TestHost, 'origin'> = {
    knownLines: new Set(),
    received: new Map(),
    urls: [],
    hold: null,
    framesArrived(lineId, count) {
      const frames = host.received.get(lineId) ?? [];
      if (frames.length >= count) return Promise.resolve(frames);
      return new Promise((resolve) => waiters.push({ lineId, count, resolve }));
    },
    closeConnections() {
      for (const client of server.clients) client.terminate();
    },
    closeLine(lineId) {
      host.knownLines.delete(lineId);
      for (const [client, ofLine] of lineOf) if (ofLine === lineId) client.close(1000, 'line closed');
    },
    stop: () => new Promise<void>((resolve) => {
      host.closeConnections();
      server.close(() => resolve());
    }),
  };
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, accept) => {
      void (host.hold ?? Promise.resolve()).then(() => accept(true));
    },
  });
  const lineOf = new Map<WebSocket, string>();
  server.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    host.urls.push(url);
    const lineId = url.searchParams.get('line') ?? '';
    lineOf.set(socket, lineId);
    if (url.pathname !== '/api/audio' || url.searchParams.get('token') !== token) {
      socket.close(4401, 'unauthorized');
      return;
    }
    if (!host.knownLines.has(lineId)) {
      socket.close(4404, 'unknown line');
      return;
    }
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return;
      const frames = host.received.get(lineId) ?? [];
      // Each test frame carries its sequence number in its first two bytes.
      frames.push(data.readUInt16LE(0));
      host.received.set(lineId, frames);
      for (const waiter of [...waiters]) {
        if (waiter.lineId === lineId && frames.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(frames);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return Object.assign(host, { origin: `http://127.0.0.1:${port}` });
}

function frame(sequence: number): ArrayBuffer {
  const buffer = new ArrayBuffer(frameBytes);
  new DataView(buffer).setUint16(0, sequence, true);
  return buffer;
}

function deliveryReaching(sockets: AudioSockets, lineId: string, state: AudioDeliveryState): Promise<AudioDelivery> {
  return new Promise((resolve) => {
    const dispose = sockets.onChanged((delivery) => {
      if (delivery.lineId === lineId && delivery.state === state) {
        dispose();
        resolve(delivery);
      }
    });
  });
}

let host: TestHost;
let sockets: AudioSockets;
/** Sockets the client has opened so far. */
let socketsOpened = 0;

beforeEach(async () => {
  host = await startHost();
});

afterEach(async () => {
  sockets?.closeAll();
  await host.stop();
});

function connect(withToken: string | null = token): AudioSockets {
  socketsOpened = 0;
  sockets = new AudioSockets({
    origin: host.origin,
    token: withToken,
    openSocket: (url) => {
      socketsOpened += 1;
      return new WebSocket(url) as unknown as globalThis.WebSocket;
    },
  });
  return sockets;
}

describe('audio sockets (browser mode)', () => {
  it('opens one socket per line with the token, and delivers frames sent before it opened, in order', async () => {
    connect();
    host.knownLines.add('line-a').add('line-b');
    const opened = deliveryReaching(sockets, 'line-a', 'open');
    for (let sequence = 0; sequence < 5; sequence += 1) sockets.send('line-a', frame(sequence));
    sockets.send('line-b', frame(100));
    await opened;
    for (let sequence = 5; sequence < 8; sequence += 1) sockets.send('line-a', frame(sequence));

    expect(await host.framesArrived('line-a', 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await host.framesArrived('line-b', 1)).toEqual([100]);
    expect(host.urls.map((url) => url.searchParams.get('line')).sort()).toEqual(['line-a', 'line-b']);
    expect(host.urls.every((url) => url.searchParams.get('token') === token)).toBe(true);
  });

  it('keeps at most 5 s of audio while the socket is connecting, dropping the oldest and counting them', async () => {
    connect();
    host.knownLines.add('line-a');
    let release = () => {};
    host.hold = new Promise((resolve) => {
      release = resolve;
    });
    const changes: AudioDelivery[] = [];
    sockets.onChanged((delivery) => changes.push(delivery));
    // 6 s of frames while the host has not accepted the socket yet.
    for (let sequence = 0; sequence < 60; sequence += 1) sockets.send('line-a', frame(sequence));
    const opened = deliveryReaching(sockets, 'line-a', 'open');
    release();
    const delivered = await opened;

    const kept = maxQueuedBytes / frameBytes;
    expect(kept).toBe(50);
    expect(await host.framesArrived('line-a', kept)).toEqual(Array.from({ length: kept }, (_, index) => 60 - kept + index));
    expect(delivered.droppedFrames).toBe(10);
    expect(delivered.droppedMs).toBeCloseTo(1000, 6);
    expect(changes.at(-1)).toMatchObject({ state: 'open', droppedFrames: 10 });
  });

  it('sends what is queued before closing when the line ends, then sends nothing more', async () => {
    connect();
    host.knownLines.add('line-a');
    for (let sequence = 0; sequence < 3; sequence += 1) sockets.send('line-a', frame(sequence));
    const ended = await sockets.end('line-a');
    expect(ended).toMatchObject({ lineId: 'line-a', state: 'closed', droppedFrames: 0 });
    expect(await host.framesArrived('line-a', 3)).toEqual([0, 1, 2]);
    // A frame still in flight when the line ended goes nowhere: no socket is opened for it again.
    sockets.send('line-a', frame(3));
    expect(socketsOpened).toBe(1);
    expect(await sockets.end('line-a')).toBeNull();
  });

  it('reports a line the host does not know (4404) and stops sending for it', async () => {
    connect();
    const refused = deliveryReaching(sockets, 'gone', 'unknown-line');
    sockets.send('gone', frame(0));
    expect(await refused).toMatchObject({ lineId: 'gone', state: 'unknown-line' });
    sockets.send('gone', frame(1));
    expect(socketsOpened).toBe(1);
    expect(await sockets.end('gone')).toMatchObject({ state: 'unknown-line' });
  });

  it('reports a refused token (4401) without retrying', async () => {
    connect('wrong');
    host.knownLines.add('line-a');
    const refused = deliveryReaching(sockets, 'line-a', 'unauthorized');
    sockets.send('line-a', frame(0));
    expect(await refused).toMatchObject({ state: 'unauthorized' });
    sockets.send('line-a', frame(1));
    expect(socketsOpened).toBe(1);
  });

  it('reopens a socket that drops, delivering the frames sent meanwhile', async () => {
    connect();
    host.knownLines.add('line-a');
    sockets.send('line-a', frame(0));
    await host.framesArrived('line-a', 1);
    const reconnecting = deliveryReaching(sockets, 'line-a', 'reconnecting');
    host.closeConnections();
    await reconnecting;
    const reopened = deliveryReaching(sockets, 'line-a', 'open');
    sockets.send('line-a', frame(1));
    sockets.send('line-a', frame(2));
    await reopened;
    expect(await host.framesArrived('line-a', 3)).toEqual([0, 1, 2]);
    expect(socketsOpened).toBe(2);
  });

  it('takes a normal close from the host as the line being closed there, and does not reopen it', async () => {
    connect();
    host.knownLines.add('line-a');
    sockets.send('line-a', frame(0));
    await host.framesArrived('line-a', 1);
    const closed = deliveryReaching(sockets, 'line-a', 'closed');
    host.closeLine('line-a');
    expect(await closed).toMatchObject({ lineId: 'line-a', state: 'closed' });
    sockets.send('line-a', frame(1));
    expect(socketsOpened).toBe(1);
  });
});
