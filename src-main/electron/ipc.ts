// The contract over Electron IPC: one invoke channel, one event channel, generic over every method
// and event. Adding a method never touches this file. Electron objects come in as parameters
// (types only are imported), so the whole adapter runs in unit tests with plain fakes.

import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import type { ErrorInfo, EventEnvelope, Result } from '../contract';
import type { ConsoleApp } from '../core/console-app';
import { audioChannel, eventChannel, invokeChannel, uploadChannel } from './channels';
import { isAppPageUrl, isTrustedSender, type AppPage } from './window-policy';

/** The part of `ipcMain` this adapter uses. */
export interface InvokeRegistry {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcMainEvent, ...args: any[]) => void): void;
  removeListener(channel: string, listener: (event: IpcMainEvent, ...args: any[]) => void): void;
}

/** The part of a window's `webContents` this adapter uses. */
export interface EventRecipient {
  readonly id: number;
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
}

/** The part of an invoke event the sender check reads. */
export interface InvokeEventFacts {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface ConsoleIpcOptions {
  ipcMain: InvokeRegistry;
  consoleApp: Pick<ConsoleApp, 'invoke' | 'subscribe' | 'receiveAudio' | 'storeUpload'>;
  appPage: AppPage;
  /** The webContents of the app's windows, asked afresh on every message (windows come and go). */
  windows: () => Iterable<EventRecipient>;
  /** Where to report a failure that cannot be returned to a renderer. */
  log?: (message: string, error?: unknown) => void;
}

function failure(error: ErrorInfo): Result<never> {
  return { ok: false, error };
}

const unauthorized = failure({
  code: 'UNAUTHORIZED',
  message: 'Request refused: it did not come from the console window. 请求并非来自坐席台窗口，已拒绝。',
});

/** Registers the invoke handler and the event forwarding; returns the disposer. */
export function registerConsoleIpc(options: ConsoleIpcOptions): () => void {
  const { ipcMain, consoleApp, appPage } = options;
  const log = options.log ?? ((message, error) => console.error(message, error));

  const trusted = (event: InvokeEventFacts): boolean => {
    // Read the frame first: `senderFrame` is null once the frame navigates or is destroyed.
    const frame = event.senderFrame;
    const windowWebContentsIds = [...options.windows()].filter((target) => !target.isDestroyed()).map((target) => target.id);
    return isTrustedSender(
      { webContentsId: event.sender.id, frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null },
      { windowWebContentsIds, appPage },
    );
  };

  const handleInvoke = async (event: InvokeEventFacts, method: unknown, request: unknown): Promise<Result<unknown>> => {
    if (!trusted(event)) return unauthorized;
    if (typeof method !== 'string') {
      return failure({ code: 'UNKNOWN_METHOD', message: 'The method name must be a string.' });
    }
    try {
      return await consoleApp.invoke(method, request);
    } catch (error) {
      // ConsoleApp.invoke promises never to throw; if it does anyway, the renderer still gets data.
      log(`IPC: ${method} threw`, error);
      return failure({ code: 'INTERNAL', message: 'Internal error while handling the request.' });
    }
  };

  ipcMain.handle(invokeChannel, (event, method: unknown, request: unknown) => handleInvoke(event, method, request));

  // Audio frames are fire and forget: an untrusted sender or a malformed frame is dropped silently
  // (the core fails the line on frames of the wrong size, which the renderer then hears about).
  const handleAudio = (event: InvokeEventFacts, lineId: unknown, frame: unknown): void => {
    if (!trusted(event) || typeof lineId !== 'string') return;
    if (frame instanceof ArrayBuffer) consoleApp.receiveAudio(lineId, new Uint8Array(frame));
    else if (ArrayBuffer.isView(frame)) consoleApp.receiveAudio(lineId, new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
  };
  const audioListener = (event: IpcMainEvent, lineId: unknown, frame: unknown) => handleAudio(event, lineId, frame);
  ipcMain.on(audioChannel, audioListener);

  ipcMain.handle(uploadChannel, async (event, data: unknown): Promise<Result<unknown>> => {
    if (!trusted(event)) return unauthorized;
    if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) return failure({ code: 'VALIDATION_FAILED', message: 'An upload must be binary data.' });
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return consoleApp.storeUpload((async function* () {
      yield bytes;
    })());
  });

  const unsubscribe = consoleApp.subscribe((envelope: EventEnvelope) => {
    for (const target of options.windows()) {
      if (target.isDestroyed()) continue;
      // A window that somehow shows another page must not receive the console's data.
      if (!isAppPageUrl(target.getURL(), appPage)) continue;
      try {
        target.send(eventChannel, envelope);
      } catch (error) {
        log(`IPC: could not send ${envelope.event} to window ${target.id}`, error);
      }
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(invokeChannel);
    ipcMain.removeHandler(uploadChannel);
    ipcMain.removeListener(audioChannel, audioListener);
  };
}
