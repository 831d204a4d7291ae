import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { audioSocketCloseCodes as audioCloseCodes, maxAudioFrameBytes, maxUploadBytes, type ErrorCode, type ErrorInfo, type EventPayloads, type Result } from '../contract';
import type { ConsoleApp } from '../core/console-app';

export interface HostOptions {
  app: ConsoleApp;
  /** Built renderer (out/renderer); null serves the API only. */
  rendererDir: string | null;
  host?: string;
  port?: number;
  /** Fixed token for tests; by default a fresh random one per launch. */
  token?: string;
}

export interface RunningHost {
  /** What to open in a browser: the app page with the access token. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/** Largest request body accepted: a work order is a few kilobytes; anything near this is abuse. */
export const maxRequestBytes = 1024 * 1024;

const httpStatusByCode: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  CALL_ENDED: 409,
  CASE_ALREADY_CONFIRMED: 409,
  PAYLOAD_TOO_LARGE: 413,
  STORAGE_CORRUPT: 503,
  STORAGE_READ_ONLY: 503,
  STORAGE_FULL: 507,
  STORAGE_LOCKED: 503,
  STORAGE_TOO_NEW: 503,
  STORAGE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: ErrorInfo): void {
  const result: Result<never> = { ok: false, error };
  sendJson(response, httpStatusByCode[error.code] ?? 400, result);
}

function tokensMatch(expected: Buffer, offered: string | null | undefined): boolean {
  if (!offered) return false;
  const offeredBuffer = Buffer.from(offered);
  return offeredBuffer.length === expected.length && timingSafeEqual(offeredBuffer, expected);
}

function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
}

/** Reads a body up to `maxRequestBytes`; resolves null when the limit is passed. */
function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxRequestBytes) {
      request.resume();
      resolveBody(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolveBody(tooLarge ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * The console's contract over HTTP (calls) and WebSocket (events) on loopback, for browsers and
 * end-to-end tests. Every API request and socket must carry the per-launch token; the Host header
 * must name this server, so that a web page elsewhere cannot reach it through DNS rebinding.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const bindHost = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expectedToken = Buffer.from(token);
  const rendererDir = options.rendererDir ? resolve(options.rendererDir) : null;
  let port = 0;
  const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

  const hostHeaderAllowed = (request: IncomingMessage): boolean => {
    if (bindHost === '0.0.0.0' || bindHost === '::') return true;
    const header = request.headers.host ?? '';
    const separator = header.lastIndexOf(':');
    const name = separator > 0 ? header.slice(0, separator) : header;
    const headerPort = separator > 0 ? Number(header.slice(separator + 1)) : 80;
    return headerPort === port && (loopbackNames.has(name) || name === bindHost);
  };

  const contentSecurityPolicy = () =>
    [
      "default-src 'self'",
      "script-src 'self'",
      // antd writes its theme as inline <style> elements.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ].join('; ');

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!rendererDir) {
      sendJson(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'This host serves the API only.' } });
      return;
    }
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    let filePath = normalize(join(rendererDir, pathname));
    if (filePath !== rendererDir && !filePath.startsWith(rendererDir + sep)) {
      sendJson(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Not found.' } });
      return;
    }
    let info = await stat(filePath).catch(() => null);
    if (!info?.isFile()) {
      // The UI is a single page: unknown paths get the page, which routes on the client.
      filePath = join(rendererDir, 'index.html');
      info = await stat(filePath).catch(() => null);
    }
    if (!info?.isFile()) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The user interface has not been built. Run `npm run build` (npm run serve does it for you).');
      return;
    }
    const isPage = filePath.endsWith('.html');
    response.writeHead(200, {
      'content-type': contentTypes[extname(filePath)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': isPage ? 'no-store' : 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
      // The page URL carries the access token: never send it anywhere as a referrer.
      'referrer-policy': 'no-referrer',
      ...(isPage ? { 'content-security-policy': contentSecurityPolicy(), 'x-frame-options': 'DENY' } : {}),
    });
    createReadStream(filePath).pipe(response);
  }

  async function serveInvoke(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      sendJson(response, 405, { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Use POST for API calls.' } });
      return;
    }
    if (!tokensMatch(expectedToken, bearerToken(request))) {
      request.resume();
      sendError(response, { code: 'UNAUTHORIZED', message: 'Missing or wrong access token. Open the URL printed by `hotline-console serve`.' });
      return;
    }
    const body = await readBody(request);
    if (body === null) {
      sendError(response, { code: 'PAYLOAD_TOO_LARGE', message: `Requests are limited to ${maxRequestBytes} bytes.` });
      return;
    }
    let payload: unknown = {};
    if (body.length > 0) {
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        sendError(response, { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' });
        return;
      }
    }
    const result = await options.app.invoke(method, payload);
    if (result.ok) sendJson(response, 200, result);
    else sendError(response, result.error);
  }

  /** A recorded call for `calls.importRecording`: the raw file as the body, streamed to the data folder. */
  async function serveUpload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      sendJson(response, 405, { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Use POST to upload.' } });
      return;
    }
    if (!tokensMatch(expectedToken, bearerToken(request))) {
      request.resume();
      sendError(response, { code: 'UNAUTHORIZED', message: 'Missing or wrong access token. Open the URL printed by `hotline-console serve`.' });
      return;
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxUploadBytes) {
      request.resume();
      sendError(response, { code: 'PAYLOAD_TOO_LARGE', message: `Uploads are limited to ${maxUploadBytes / 2 ** 30} GiB; split the recording.` });
      return;
    }
    const result = await options.app.storeUpload(request);
    if (result.ok) sendJson(response, 200, result);
    else {
      request.resume();
      sendError(response, result.error);
    }
  }

  const server = createServer((request, response) => {
    if (!hostHeaderAllowed(request)) {
      sendError(response, { code: 'UNAUTHORIZED', message: 'Unexpected Host header.' });
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://host').pathname;
    const handled = pathname.startsWith('/api/invoke/')
      ? serveInvoke(request, response, decodeURIComponent(pathname.slice('/api/invoke/'.length)))
      : pathname === '/api/upload'
        ? serveUpload(request, response)
        : pathname.startsWith('/api/')
        ? Promise.resolve(sendError(response, { code: 'UNKNOWN_METHOD', message: `Nothing at ${pathname}.` }))
        : serveStatic(request, response);
    handled.catch((error: unknown) => {
      console.error('request failed:', error);
      if (!response.headersSent) sendError(response, { code: 'INTERNAL', message: 'The request failed on the console side.' });
      else response.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // One socket per open audio line: binary frames of 16-bit PCM, nothing else.
  const audioSockets = new WebSocketServer({ noServer: true, maxPayload: maxAudioFrameBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://host');
    const target = url.pathname === '/api/events' ? sockets : url.pathname === '/api/audio' ? audioSockets : null;
    if (!target || !hostHeaderAllowed(request) || !tokensMatch(expectedToken, url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    target.handleUpgrade(request, socket, head, (client) => target.emit('connection', client, request));
  });

  const alive = new WeakSet<WebSocket>();
  const watch = (client: WebSocket) => {
    alive.add(client);
    client.on('pong', () => alive.add(client));
  };
  sockets.on('connection', (client: WebSocket) => {
    watch(client);
    // Events flow one way; anything a browser sends on the socket is ignored.
    client.on('message', () => undefined);
  });

  const audioByLine = new Map<string, Set<WebSocket>>();
  audioSockets.on('connection', (client: WebSocket, request: IncomingMessage) => {
    const lineId = new URL(request.url ?? '/', 'http://host').searchParams.get('line') ?? '';
    if (!options.app.hasOpenLine(lineId)) {
      client.close(audioCloseCodes.unknownLine, 'no such open audio line');
      return;
    }
    watch(client);
    const ofLine = audioByLine.get(lineId) ?? new Set<WebSocket>();
    ofLine.add(client);
    audioByLine.set(lineId, ofLine);
    client.on('message', (data, isBinary) => {
      if (!isBinary) {
        client.close(audioCloseCodes.unsupportedData, 'audio frames are binary');
        return;
      }
      const frames = Array.isArray(data) ? data : [data instanceof ArrayBuffer ? Buffer.from(data) : data];
      for (const frame of frames) options.app.receiveAudio(lineId, frame);
    });
    client.on('close', () => {
      ofLine.delete(client);
      if (ofLine.size === 0) audioByLine.delete(lineId);
    });
  });
  // A line closed on the console's side (call ended, failure): its sockets are done.
  const stopAudioFollowing = options.app.subscribe((envelope) => {
    if (envelope.event !== 'onAudioLineChanged') return;
    const line = envelope.payload as EventPayloads['onAudioLineChanged'];
    if (line.state !== 'closed') return;
    for (const client of audioByLine.get(line.id) ?? []) client.close(1000, 'line closed');
  });

  // Drop sockets whose browser went away without closing them, so they do not pile up.
  const heartbeat = setInterval(() => {
    for (const client of [...sockets.clients, ...audioSockets.clients]) {
      if (!alive.has(client)) {
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, 30_000);
  heartbeat.unref();

  const unsubscribe = options.app.subscribe((envelope) => {
    const message = JSON.stringify(envelope);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const origin = `http://${urlHost}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: async () => {
      clearInterval(heartbeat);
      unsubscribe();
      stopAudioFollowing();
      for (const client of [...sockets.clients, ...audioSockets.clients]) client.terminate();
      await new Promise<void>((resolveClose) => sockets.close(() => resolveClose()));
      await new Promise<void>((resolveClose) => audioSockets.close(() => resolveClose()));
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
