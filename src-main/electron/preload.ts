// The preload of every app window. It runs sandboxed, so it is bundled into one CommonJS file that
// requires only `electron`. It exposes one narrow object, the contract's ConsoleBridge, and never
// ipcRenderer itself: the page can invoke contract methods and hear contract events, nothing else.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ConsoleBridge, EventEnvelope } from '../contract/events';
import { audioChannel, bridgeGlobalName, eventChannel, invokeChannel, uploadChannel } from './channels';

const bridge: ConsoleBridge = {
  invoke(method: string, request: unknown): Promise<unknown> {
    return ipcRenderer.invoke(invokeChannel, method, request);
  },
  subscribe(listener: (envelope: EventEnvelope) => void): () => void {
    // The IPC event object (with its sender) stays here; the page gets the envelope only.
    const forward = (_event: IpcRendererEvent, envelope: EventEnvelope) => listener(envelope);
    ipcRenderer.on(eventChannel, forward);
    return () => {
      ipcRenderer.removeListener(eventChannel, forward);
    };
  },
  sendAudio(lineId: string, frame: ArrayBuffer): void {
    ipcRenderer.send(audioChannel, lineId, frame);
  },
  upload(_fileName: string, data: ArrayBuffer): Promise<unknown> {
    return ipcRenderer.invoke(uploadChannel, data);
  },
};

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
