// A fault-injecting HTTP proxy on loopback, in front of the real platform, for the sync's fault tests,
// the soak and nothing else. It accepts TCP connections itself (node:net), so that it can refuse
// them or stop listening like a platform that is down, and hands each connection to an HTTP parser
// (node:http) to act on every request: pass it through, or inject one fault. What it did is counted
// and logged, so that a test can check that the faults it asked for really happened.
import { EventEmitter } from 'node:events';
import { request as httpRequest, createServer as createHttpServer, Agent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';

/** Everything the proxy can do to a request, faults first. */
export const faultKinds = [
  /** The connection is reset before the request is read: a platform that is not there. */
  'refuse',
  /** The proxy answers itself, without forwarding: the platform failing (500), overloaded (503) or limiting (429). */
  'http500',
  'http503',
  'http429',
  /** Never answers; the client's own timeout ends it. */
  'hang',
  /** The connection is reset after part of the request was read; nothing reaches the platform. */
  'reset',
  /** Forwarded, and the platform committed, but the connection is cut before the answer is relayed: the console must resend. */
  'lostResponse',
  /** Delivered to the platform twice at once (a retransmitting middlebox); one answer is relayed. */
  'duplicate',
  /** An HTML page with 200 instead of the API's JSON: a captive portal or a wrong address. */
  'html',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
 * `pass` forwards; `holdResponse` forwards (the platform commits) and keeps the answer until
 * `releaseHeld()`: a request in flight for as long as a test needs one.
 */
export type Behaviour = 'pass' | 'holdResponse' | FaultKind;

export interface ProxiedRequest {
  method: string;
  path: string;
}

/** Decides what happens to each request that the scripted queue does not. */
export type FaultPolicy = (request: ProxiedRequest) => Behaviour;

export interface ProxyLogEntry extends ProxiedRequest {
  behaviour: Behaviour;
  /** The platform's status for each forwarded copy (two for `duplicate`); empty when nothing was forwarded. */
  upstreamStatuses: number[];
}

/** mulberry32: a small, fast, seedable generator; the same seed gives the same faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface RandomFaultOptions {
  /** 0..1: the share of requests that meet a fault. */
  rate: number;
  random: () => number;
  /** Relative weights; kinds left out get 1. A weight of 0 leaves a kind out. */
  weights?: Partial<Record<FaultKind, number>>;
  /** A `refuse` starts an outage: this many requests in a row (drawn from 1..maxOutage) are refused. */
  maxOutage?: number;
}

/** A policy that injects faults at random, spread over the kinds by weight, with short outages. */
export function randomFaults(options: RandomFaultOptions): FaultPolicy {
  const kinds = faultKinds.map((kind) => ({ kind, weight: options.weights?.[kind] ?? 1 })).filter((entry) => entry.weight > 0);
  const totalWeight = kinds.reduce((sum, entry) => sum + entry.weight, 0);
  const maxOutage = options.maxOutage ?? 4;
  let outageLeft = 0;
  return () => {
    if (outageLeft > 0) {
      outageLeft -= 1;
      return 'refuse';
    }
    if (options.random() >= options.rate) return 'pass';
    let draw = options.random() * totalWeight;
    const picked = kinds.find((entry) => (draw -= entry.weight) < 0)?.kind ?? 'pass';
    if (picked === 'refuse') outageLeft = Math.floor(options.random() * maxOutage);
    return picked;
  };
}

const htmlPage = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>统一身份认证</title></head><body><h1>请先登录</h1><p>Captive portal</p></body></html>';

// Hop-by-hop headers belong to one connection, never forwarded or relayed.
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !hopByHop.has(name)) kept[name] = value;
  return kept;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class FaultProxy {
  /** How often each behaviour was applied. */
  readonly counts: Record<Behaviour, number> = Object.fromEntries([...faultKinds, 'pass', 'holdResponse'].map((kind) => [kind, 0])) as Record<Behaviour, number>;
  /** Every request in order of arrival; `upstreamStatuses` fills in as the platform answers. */
  readonly log: ProxyLogEntry[] = [];
  /** Emits 'request' (a ProxyLogEntry) when a request has been dealt with, 'held' when an answer is being held. */
  readonly events = new EventEmitter();

  private readonly script: { behaviour: Behaviour; applies: (request: ProxiedRequest) => boolean }[] = [];
  private policy: FaultPolicy = () => 'pass';
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<() => void>();
  private readonly upstreamAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpServer = createHttpServer((request, response) => {
    this.handle(request, response).catch((error: unknown) => {
      // The proxy's own failure must not look like a fault that was asked for: say so loudly and cut the connection.
      console.error('fault proxy: handling a request failed:', error);
      request.socket.destroy();
    });
  });
  private up = false;

  private constructor(
    private readonly target: URL,
    private readonly tcpServer: TcpServer,
    private port: number,
  ) {}

  /** Starts on a free port of 127.0.0.1 in front of `target` (the platform's URL), passing everything through. */
  static async start(target: string, options: { policy?: FaultPolicy } = {}): Promise<FaultProxy> {
    const tcpServer = createTcpServer();
    const proxy = new FaultProxy(new URL(target), tcpServer, 0);
    if (options.policy) proxy.policy = options.policy;
    tcpServer.on('connection', (socket) => proxy.accept(socket));
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests not taken by the script get what `policy` says (default: pass). */
  setPolicy(policy: FaultPolicy): void {
    this.policy = policy;
  }

  /**
   * The next requests (those matching `only`, e.g. `{ method: 'PUT' }`) get these behaviours, one
   * each, in the order they arrive; the others, and any after the script, follow the policy.
   */
  enqueue(behaviours: readonly Behaviour[], only: Partial<ProxiedRequest> = {}): void {
    const applies = (request: ProxiedRequest) =>
      (only.method === undefined || only.method === request.method) && (only.path === undefined || request.path.startsWith(only.path));
    for (const behaviour of behaviours) this.script.push({ behaviour, applies });
  }

  /** Scripted behaviours not yet used. */
  get scriptLeft(): number {
    return this.script.length;
  }

  /** Forgets the scripted behaviours not yet used. */
  clearScript(): void {
    this.script.length = 0;
  }

  /** The platform "goes down": nothing listens on the port any more (connections are refused) and open connections are cut. */
  async goDown(): Promise<void> {
    if (!this.up) return;
    this.up = false;
    const closed = new Promise<void>((resolve) => this.tcpServer.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port. */
  async comeUp(): Promise<void> {
    if (!this.up) await this.listen();
  }

  /** Lets every held answer go (to a client that may be gone by now). */
  releaseHeld(): void {
    for (const release of [...this.held]) release();
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Resolves once `condition()` holds, checked now and after every request the proxy deals with: tests wait on this, never on time. */
  waitUntil(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.events.off('request', check);
        this.events.off('held', check);
        resolve();
      };
      this.events.on('request', check);
      this.events.on('held', check);
    });
  }

  async close(): Promise<void> {
    this.releaseHeld();
    await this.goDown();
    this.upstreamAgent.destroy();
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.tcpServer.once('error', reject);
      this.tcpServer.listen(this.port, '127.0.0.1', () => {
        this.tcpServer.off('error', reject);
        resolve();
      });
    });
    this.port = (this.tcpServer.address() as AddressInfo).port;
    this.up = true;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.httpServer.emit('connection', socket);
  }

  private choose(request: ProxiedRequest): Behaviour {
    const index = this.script.findIndex((entry) => entry.applies(request));
    if (index >= 0) return this.script.splice(index, 1)[0]?.behaviour ?? 'pass';
    return this.policy(request);
  }

  /** The request has been dealt with (its entry is in the log from the start). */
  private record(entry: ProxyLogEntry): void {
    this.events.emit('request', entry);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const proxied: ProxiedRequest = { method: request.method ?? 'GET', path: request.url ?? '/' };
    const behaviour = this.choose(proxied);
    this.counts[behaviour] += 1;
    const entry: ProxyLogEntry = { ...proxied, behaviour, upstreamStatuses: [] };
    this.log.push(entry);
    const socket = request.socket;
    switch (behaviour) {
      case 'refuse':
        socket.resetAndDestroy();
        this.record(entry);
        return;
      case 'reset': {
        // Part of the request is in: the first chunk of the body (a GET has none), then the connection is reset.
        await new Promise<void>((resolve) => {
          request.once('data', () => resolve());
          request.once('end', () => resolve());
          if (request.complete) resolve();
        });
        socket.resetAndDestroy();
        this.record(entry);
        return;
      }
      case 'hang':
        await readBody(request);
        // Nothing is sent; the client gives up (its timeout) and closes the connection.
        this.record(entry);
        return;
      case 'http500':
      case 'http503':
      case 'http429': {
        await readBody(request);
        const status = Number(behaviour.slice(4));
        const code = status === 500 ? 'INTERNAL' : status === 503 ? 'UNAVAILABLE' : 'RATE_LIMITED';
        const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
        if (status !== 500) headers['retry-after'] = '1';
        response.writeHead(status, headers);
        response.end(JSON.stringify({ error: { code, message: `injected by the fault proxy (HTTP ${status})` } }));
        this.record(entry);
        return;
      }
      case 'html':
        await readBody(request);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(htmlPage);
        this.record(entry);
        return;
      default:
        break;
    }

    const body = await readBody(request);
    let answers: UpstreamAnswer[];
    try {
      answers = behaviour === 'duplicate' ? await Promise.all([this.forward(request, body), this.forward(request, body)]) : [await this.forward(request, body)];
    } catch {
      // The platform itself is not answering: the console sees what it would see without a proxy, a cut connection.
      socket.destroy();
      this.record(entry);
      return;
    }
    entry.upstreamStatuses = answers.map((answer) => answer.status);
    if (behaviour === 'lostResponse') {
      socket.resetAndDestroy();
      this.record(entry);
      return;
    }
    if (behaviour === 'holdResponse') {
      await new Promise<void>((resolve) => {
        const release = () => {
          this.held.delete(release);
          resolve();
        };
        this.held.add(release);
        this.events.emit('held', entry);
      });
      if (socket.destroyed) {
        this.record(entry);
        return;
      }
    }
    const [answer] = answers as [UpstreamAnswer];
    response.writeHead(answer.status, { ...endToEnd(answer.headers), 'content-length': String(answer.body.length) });
    response.end(answer.body);
    this.record(entry);
  }

  private forward(request: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          protocol: this.target.protocol,
          hostname: this.target.hostname,
          port: this.target.port,
          method: request.method,
          path: request.url,
          agent: this.upstreamAgent,
          headers: { ...endToEnd(request.headers), 'content-length': String(body.length) },
        },
        (answer) => {
          readBody(answer).then((answerBody) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }), reject);
        },
      );
      upstream.once('error', reject);
      upstream.end(body);
    });
  }
}
