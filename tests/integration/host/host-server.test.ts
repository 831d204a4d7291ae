import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { audioSocketCloseCodes, type EventEnvelope } from '../../../src-main/contract';
import type { ConsoleApp } from '../../../src-main/core/console-app';
import { maxRequestBytes, startHost, type RunningHost } from '../../../src-main/host/host-server';
import { makeTempDir, openTestConsole, removeTempDir } from '../../support/temp-console';

let dataDir: string;
let rendererDir: string;
let app: ConsoleApp;
let host: RunningHost;

beforeAll(async () => {
  dataDir = await makeTempDir();
  rendererDir = join(dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Hotline Console</title>');
  app = await openTestConsole(join(dataDir, 'data'));
  host = await startHost({ app, rendererDir });
});
afterAll(async () => {
  await host.close();
  await app.close();
  await removeTempDir(dataDir);
});

function invoke(method: string, body: string, headers: Record<string, string> = { authorization: `Bearer ${host.token}` }) {
  return fetch(`${host.origin}/api/invoke/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('the HTTP host', () => {
  it('binds to loopback and prints a URL that carries the token', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('rejects API calls without the token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${host.token}` }] as Record<string, string>[]) {
      const response = await invoke('app.getStatus', '{}', headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('answers a valid call, and malformed or oversized payloads with error codes, then keeps working', async () => {
    const ok = await invoke('calls.start', JSON.stringify({ callerLine: '13800000000' }));
    expect(ok.status).toBe(200);
    const started = (await ok.json()) as { ok: true; value: { id: string } };
    const notJson = await invoke('transcript.addTyped', '{"callId": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const badSpeaker = await invoke('transcript.addTyped', JSON.stringify({ callId: started.value.id, speaker: 'robot', text: '你好' }));
    expect(await badSpeaker.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', fieldIssues: [expect.objectContaining({ field: 'speaker' })] } });
    const huge = await invoke('transcript.addTyped', JSON.stringify({ callId: started.value.id, speaker: 'caller', text: 'x'.repeat(maxRequestBytes) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const unknown = await invoke('calls.explode', '{}');
    expect(unknown.status).toBe(404);
    const after = await invoke('transcript.addTyped', JSON.stringify({ callId: started.value.id, speaker: 'caller', text: '你好' }));
    expect(await after.json()).toMatchObject({ ok: true, value: { text: '你好', speaker: 'caller' } });
  });

  it('refuses requests whose Host header names another site (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolveStatus, reject) => {
      const url = new URL(`${host.origin}/api/invoke/app.getStatus`);
      const request = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host: 'evil.example:80', authorization: `Bearer ${host.token}` } },
        (response) => {
          response.resume();
          resolveStatus(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end('{}');
    });
    expect(status).toBe(401);
  });

  it('serves the page with a strict Content-Security-Policy and never a file outside the UI folder', async () => {
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const escape = await fetch(`${host.origin}/..%2Fdata%2Fhotline-console.sqlite`);
    expect(await escape.text()).not.toMatch(/SQLite format/);
  });

  it('streams events over a WebSocket only to holders of the token', async () => {
    const wsOrigin = host.origin.replace('http', 'ws');
    const refused = await new Promise<string>((resolveOutcome) => {
      const socket = new WebSocket(`${wsOrigin}/api/events?token=wrong`);
      socket.on('open', () => resolveOutcome('open'));
      socket.on('error', (error) => resolveOutcome(error.message));
    });
    expect(refused).toMatch(/401/);

    const socket = new WebSocket(`${wsOrigin}/api/events?token=${host.token}`);
    await new Promise((resolveOpen) => socket.once('open', resolveOpen));
    const segment = new Promise<EventEnvelope>((resolveEvent) => {
      socket.on('message', (data) => {
        const envelope = JSON.parse(String(data)) as EventEnvelope;
        if (envelope.event === 'onTranscriptSegmentAdded') resolveEvent(envelope);
      });
    });
    const started = (await (await invoke('calls.start', '{}')).json()) as { value: { id: string } };
    await invoke('transcript.addTyped', JSON.stringify({ callId: started.value.id, speaker: 'operator', text: '您好，12345' }));
    expect(await segment).toMatchObject({ event: 'onTranscriptSegmentAdded', payload: { text: '您好，12345', speaker: 'operator', source: 'typed' } });
    socket.close();
  });
});

describe('hotline-console serve', () => {
  it('prints the URL with its token, serves it, and releases the data folder on SIGTERM', async () => {
    const cliData = join(dataDir, 'cli-data');
    const child = spawn(process.execPath, [resolve(__dirname, '../../../bin/hotline-console.js'), 'serve', '--port', '0', '--data-dir', cliData], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const url = await new Promise<string>((resolveUrl, reject) => {
      lines.on('line', (line) => {
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
        if (match?.[1]) resolveUrl(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    const token = new URL(url).searchParams.get('token');
    const response = await fetch(new URL('/api/invoke/app.getStatus', url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    expect(await response.json()).toMatchObject({ ok: true, value: { dataDir: cliData, storage: { state: 'ready' } } });
    const exitCode = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    child.kill('SIGTERM');
    expect(await exitCode).toBe(0);
    const reopened = await openTestConsole(cliData);
    expect(reopened.status.storage.state).toBe('ready');
    await reopened.close();
  });
});

describe('the audio socket', () => {
  const audioUrl = (line: string, token = host.token) => `${host.origin.replace('http', 'ws')}/api/audio?token=${token}&line=${line}`;
  const closeOf = (socket: WebSocket) => new Promise<{ code: number; reason: string }>((resolveClose) => socket.on('close', (code, reason) => resolveClose({ code, reason: reason.toString() })));

  async function openLine(): Promise<{ callId: string; lineId: string }> {
    const started = (await (await invoke('calls.start', '{}')).json()) as { value: { id: string } };
    const opened = (await (await invoke('audio.openLine', JSON.stringify({ callId: started.value.id, speaker: 'caller' }))).json()) as { value: { id: string } };
    return { callId: started.value.id, lineId: opened.value.id };
  }

  it('records the binary frames of an open line', async () => {
    const { callId, lineId } = await openLine();
    const socket = new WebSocket(audioUrl(lineId));
    await new Promise((resolveOpen) => socket.once('open', resolveOpen));
    for (let frame = 0; frame < 5; frame += 1) socket.send(new Int16Array(1600).fill(1000)); // 5 × 100 ms
    // A client that is done closes its socket first: every frame sent before the close is delivered.
    const closed = closeOf(socket);
    socket.close(1000);
    await closed;
    const line = (await (await invoke('audio.closeLine', JSON.stringify({ lineId }))).json()) as { value: { receivedMs: number } };
    expect(line.value.receivedMs).toBe(500);
    const recordings = (await (await invoke('recordings.list', JSON.stringify({ callId }))).json()) as { value: { durationMs: number }[] };
    expect(recordings.value).toEqual([expect.objectContaining({ durationMs: 500 })]);
  });

  it('closes the socket when the console closes the line', async () => {
    const { lineId } = await openLine();
    const socket = new WebSocket(audioUrl(lineId));
    await new Promise((resolveOpen) => socket.once('open', resolveOpen));
    const closed = closeOf(socket);
    await invoke('audio.closeLine', JSON.stringify({ lineId }));
    expect(await closed).toMatchObject({ code: 1000 });
  });

  it('refuses a wrong token, an unknown line and text messages', async () => {
    const wrongToken = new WebSocket(audioUrl('x', 'wrong'));
    await expect(new Promise((_resolve, reject) => wrongToken.once('error', reject))).rejects.toThrow(/401/);
    const unknown = new WebSocket(audioUrl('00000000-0000-4000-8000-000000000000'));
    expect(await closeOf(unknown)).toMatchObject({ code: audioSocketCloseCodes.unknownLine });
    const { lineId } = await openLine();
    const texting = new WebSocket(audioUrl(lineId));
    await new Promise((resolveOpen) => texting.once('open', resolveOpen));
    const closed = closeOf(texting);
    texting.send('hello');
    expect(await closed).toMatchObject({ code: audioSocketCloseCodes.unsupportedData });
  });
});

describe('uploads', () => {
  const upload = (body: Uint8Array, token = host.token) =>
    fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body });

  it('stores a file for the token holder only, and says why an import cannot go ahead without a model', async () => {
    expect((await upload(new Uint8Array(10), 'wrong')).status).toBe(401);
    const stored = (await (await upload(new Uint8Array(200_000).fill(7))).json()) as { ok: true; value: { uploadId: string } };
    expect(stored).toMatchObject({ ok: true, value: { uploadId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    const refused = await invoke('calls.importRecording', JSON.stringify({ uploadId: stored.value.uploadId, fileName: 'call.wav' }));
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'SPEECH_UNAVAILABLE', message: expect.stringContaining('speech model') } });
  });
});
