import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope, Result } from '../../../src-main/contract';
import { audioChannel, eventChannel, invokeChannel, uploadChannel } from '../../../src-main/electron/channels';
import { registerConsoleIpc, type EventRecipient, type InvokeEventFacts } from '../../../src-main/electron/ipc';
import { resolveAppPage } from '../../../src-main/electron/window-policy';

const appPage = resolveAppPage({
  isPackaged: true,
  devServerUrl: undefined,
  rendererHtmlPath: '/opt/hotline-console/out/renderer/index.html',
});
const appUrl = pathToFileURL('/opt/hotline-console/out/renderer/index.html').href;

type InvokeHandler = (event: InvokeEventFacts, ...args: unknown[]) => Promise<Result<unknown>>;

class FakeWindow implements EventRecipient {
  destroyed = false;
  sent: Array<{ channel: string; args: unknown[] }> = [];
  constructor(
    readonly id: number,
    public url = appUrl,
  ) {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
}

function setUp(windows: FakeWindow[]) {
  const handlers = new Map<string, InvokeHandler>();
  const listeners = new Map<string, (event: InvokeEventFacts, ...args: unknown[]) => void>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: InvokeHandler) => handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    on: vi.fn((channel: string, listener: (event: InvokeEventFacts, ...args: unknown[]) => void) => listeners.set(channel, listener)),
    removeListener: vi.fn((channel: string) => listeners.delete(channel)),
  };
  let emit: (envelope: EventEnvelope) => void = () => {};
  const unsubscribe = vi.fn();
  const consoleApp = {
    invoke: vi.fn(async (method: string, request: unknown): Promise<Result<unknown>> => ({ ok: true, value: { method, request } })),
    subscribe: vi.fn((listener: (envelope: EventEnvelope) => void) => {
      emit = listener;
      return unsubscribe;
    }),
    receiveAudio: vi.fn((_lineId: string, _frame: Uint8Array) => undefined),
    storeUpload: vi.fn(async (chunks: AsyncIterable<Uint8Array>): Promise<Result<{ uploadId: string }>> => {
      let bytes = 0;
      for await (const chunk of chunks) bytes += chunk.byteLength;
      return { ok: true, value: { uploadId: `upload-of-${bytes}-bytes` } };
    }),
  };
  const log = vi.fn();
  const dispose = registerConsoleIpc({ ipcMain: ipcMain as never, consoleApp, appPage, windows: () => windows, log });
  const invoke = (event: InvokeEventFacts, ...args: unknown[]) => {
    const handler = handlers.get(invokeChannel);
    if (!handler) throw new Error('no invoke handler registered');
    return handler(event, ...args);
  };
  const sendAudio = (event: InvokeEventFacts, ...args: unknown[]) => listeners.get(audioChannel)?.(event, ...args);
  return { ipcMain, handlers, listeners, consoleApp, unsubscribe, dispose, invoke, sendAudio, emit: (envelope: EventEnvelope) => emit(envelope), log };
}

function eventFrom(webContentsId: number, frame: InvokeEventFacts['senderFrame']): InvokeEventFacts {
  return { sender: { id: webContentsId }, senderFrame: frame };
}

const topFrame = (url = appUrl) => ({ url, parent: null });

describe('registerConsoleIpc: invoke', () => {
  it('registers one channel for every method, one for uploads, and one for audio frames', () => {
    const { ipcMain } = setUp([new FakeWindow(1)]);
    expect(ipcMain.handle.mock.calls.map(([channel]) => channel)).toEqual([invokeChannel, uploadChannel]);
    expect(ipcMain.on.mock.calls.map(([channel]) => channel)).toEqual([audioChannel]);
  });

  it('passes a trusted request to the console unchanged', async () => {
    const { invoke, consoleApp } = setUp([new FakeWindow(1)]);
    const request = { callerLine: '13800000000' };
    await expect(invoke(eventFrom(1, topFrame()), 'calls.start', request)).resolves.toEqual({
      ok: true,
      value: { method: 'calls.start', request },
    });
    expect(consoleApp.invoke).toHaveBeenCalledWith('calls.start', request);
  });

  it('refuses a webContents that is not one of our windows', async () => {
    const { invoke, consoleApp } = setUp([new FakeWindow(1)]);
    const result = await invoke(eventFrom(2, topFrame()), 'app.getStatus', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(consoleApp.invoke).not.toHaveBeenCalled();
  });

  it('refuses a window once it is destroyed', async () => {
    const window = new FakeWindow(1);
    const { invoke } = setUp([window]);
    window.destroyed = true;
    expect(await invoke(eventFrom(1, topFrame()), 'app.getStatus', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses sub-frames, vanished frames and foreign pages inside our window', async () => {
    const { invoke, consoleApp } = setUp([new FakeWindow(1)]);
    const refused = [
      eventFrom(1, { url: appUrl, parent: { url: appUrl } }),
      eventFrom(1, null),
      eventFrom(1, topFrame('https://example.com/')),
      eventFrom(1, topFrame('file:///tmp/evil.html')),
    ];
    for (const event of refused) {
      expect(await invoke(event, 'app.getStatus', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(consoleApp.invoke).not.toHaveBeenCalled();
  });

  it('answers a non-string method name with an error, not a throw', async () => {
    const { invoke, consoleApp } = setUp([new FakeWindow(1)]);
    expect(await invoke(eventFrom(1, topFrame()), { toString: 'x' }, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(consoleApp.invoke).not.toHaveBeenCalled();
  });

  it('turns a throwing console into an INTERNAL error', async () => {
    const { invoke, consoleApp, log } = setUp([new FakeWindow(1)]);
    consoleApp.invoke.mockRejectedValueOnce(new Error('boom'));
    expect(await invoke(eventFrom(1, topFrame()), 'app.getStatus', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(log).toHaveBeenCalled();
  });
});

describe('registerConsoleIpc: events', () => {
  const envelope = {
    event: 'onCallChanged',
    payload: { id: 'c1', stationCode: 'HC01', operatorName: 'op', callerLine: null, startedAt: '', endedAt: null, caseId: null },
  } satisfies EventEnvelope;

  it('forwards every console event to every live app window on one channel', () => {
    const first = new FakeWindow(1);
    const second = new FakeWindow(2);
    const { emit } = setUp([first, second]);
    emit(envelope);
    expect(first.sent).toEqual([{ channel: eventChannel, args: [envelope] }]);
    expect(second.sent).toEqual([{ channel: eventChannel, args: [envelope] }]);
  });

  it('skips destroyed windows and windows not showing the app page', () => {
    const destroyed = new FakeWindow(1);
    destroyed.destroyed = true;
    const elsewhere = new FakeWindow(2, 'https://example.com/');
    const { emit } = setUp([destroyed, elsewhere]);
    emit(envelope);
    expect(destroyed.sent).toEqual([]);
    expect(elsewhere.sent).toEqual([]);
  });

  it('keeps delivering to other windows when one send throws', () => {
    const broken = new FakeWindow(1);
    broken.send = () => {
      throw new Error('render process gone');
    };
    const healthy = new FakeWindow(2);
    const { emit, log } = setUp([broken, healthy]);
    emit(envelope);
    expect(healthy.sent).toHaveLength(1);
    expect(log).toHaveBeenCalled();
  });
});

describe('registerConsoleIpc: disposer', () => {
  it('stores uploads from the console window only, and refuses data that is not binary', async () => {
    const { handlers } = setUp([new FakeWindow(1)]);
    const upload = handlers.get(uploadChannel);
    if (!upload) throw new Error('no upload handler registered');
    await expect(upload(eventFrom(1, { url: appPage.url, parent: null }), new Uint8Array(1234).buffer)).resolves.toEqual({
      ok: true,
      value: { uploadId: 'upload-of-1234-bytes' },
    });
    await expect(upload(eventFrom(2, { url: appPage.url, parent: null }), new Uint8Array(4).buffer)).resolves.toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await expect(upload(eventFrom(1, { url: appPage.url, parent: null }), 'text')).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('forwards audio frames from the console window only, as bytes', () => {
    const { sendAudio, consoleApp } = setUp([new FakeWindow(1)]);
    const frame = new Int16Array([1, -1, 300]).buffer;
    sendAudio(eventFrom(1, { url: appPage.url, parent: null }), 'line-1', frame);
    expect(consoleApp.receiveAudio).toHaveBeenCalledTimes(1);
    const [lineId, bytes] = consoleApp.receiveAudio.mock.calls[0] ?? [];
    expect(lineId).toBe('line-1');
    expect(Array.from(new Int16Array((bytes as Uint8Array).slice().buffer))).toEqual([1, -1, 300]);
    // Another window, a sub-frame, or a frame that is not binary: dropped.
    sendAudio(eventFrom(2, { url: appPage.url, parent: null }), 'line-1', frame);
    sendAudio(eventFrom(1, { url: appPage.url, parent: {} }), 'line-1', frame);
    sendAudio(eventFrom(1, { url: appPage.url, parent: null }), 'line-1', 'not audio');
    expect(consoleApp.receiveAudio).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes from the console and removes the handler', () => {
    const { dispose, unsubscribe, ipcMain, handlers, listeners } = setUp([new FakeWindow(1)]);
    dispose();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(invokeChannel);
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(uploadChannel);
    expect(handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
  });
});
