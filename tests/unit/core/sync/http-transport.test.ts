import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../../../src-main/core/sync/http-transport';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
const servers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A loopback server; each request's body is read before `handler` runs. */
async function serve(handler: Handler): Promise<{ url: string; remotePorts: number[]; close(): Promise<void> }> {
  const remotePorts: number[] = [];
  const server = createServer((request, response) => {
    remotePorts.push(request.socket.remotePort ?? 0);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    return closing;
  };
  servers.push({ close });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, remotePorts, close };
}

describe('the HTTP transport of the sync', () => {
  it('sends the method, headers and body, returns status, headers and body, and keeps the connection for the next request', async () => {
    const seen: { method: string | undefined; url: string | undefined; authorization: string | undefined; length: string | undefined; body: string }[] = [];
    const { url, remotePorts } = await serve((request, body, response) => {
      seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization, length: request.headers['content-length'], body });
      response.writeHead(201, { 'content-type': 'application/json', 'retry-after': '3' }).end('{"platformNumber":"P-1"}');
    });
    const body = JSON.stringify({ summary: '电梯停运' });
    const answer = await nodeHttpFetch(`${url}/v1/cases/abc?x=1`, { method: 'PUT', headers: { authorization: 'Bearer hcp_x', 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('retry-after')).toBe('3');
    expect(await answer.json()).toEqual({ platformNumber: 'P-1' });
    expect(seen).toEqual([{ method: 'PUT', url: '/v1/cases/abc?x=1', authorization: 'Bearer hcp_x', length: String(Buffer.byteLength(body)), body }]);
    await (await nodeHttpFetch(`${url}/v1/health`)).text();
    expect(remotePorts[1]).toBe(remotePorts[0]);
  });

  it('never follows a redirect: the answer is the 3xx itself, with its Location', async () => {
    const { url } = await serve((_request, _body, response) => response.writeHead(301, { location: 'https://elsewhere.example/' }).end());
    const answer = await nodeHttpFetch(`${url}/v1/health`, { redirect: 'manual' });
    expect(answer.status).toBe(301);
    expect(answer.headers.get('location')).toBe('https://elsewhere.example/');
  });

  it('rejects with the abort reason when the signal aborts, and with the system code when there is no answer', async () => {
    const { url } = await serve(() => undefined);
    const controller = new AbortController();
    const pending = nodeHttpFetch(`${url}/v1/health`, { signal: controller.signal });
    const reason = new DOMException('No answer within 100 ms.', 'TimeoutError');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(nodeHttpFetch(`${url}/v1/health`, { signal: controller.signal })).rejects.toBe(reason);

    const reset = await serve((request) => request.socket.resetAndDestroy());
    await expect(nodeHttpFetch(`${reset.url}/v1/health`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    await reset.close();
    await expect(nodeHttpFetch(`${reset.url}/v1/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('reports an answer cut off in the middle as a reset connection', async () => {
    const { url } = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"changes": [');
      setImmediate(() => response.socket?.destroy());
    });
    await expect(nodeHttpFetch(`${url}/v1/changes`)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
