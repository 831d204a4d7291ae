import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bridgeGlobalName as contractBridgeGlobalName, type ConsoleBridge, type EventEnvelope } from '../../../src-main/contract';
import { audioChannel, bridgeGlobalName, eventChannel, invokeChannel } from '../../../src-main/electron/channels';

// The preload runs against Electron's renderer API; here that API is a recording fake.
const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    listeners,
    exposed: new Map<string, unknown>(),
    contextBridge: {
      exposeInMainWorld: (name: string, api: unknown) => electron.exposed.set(name, api),
    },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ channel, args })),
      send: vi.fn((_channel: string, ..._args: unknown[]) => undefined),
      on(channel: string, listener: (...args: unknown[]) => void) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      },
      removeListener(channel: string, listener: (...args: unknown[]) => void) {
        listeners.get(channel)?.delete(listener);
      },
    },
  };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

const preloadPath = fileURLToPath(new URL('../../../src-main/electron/preload.ts', import.meta.url));

function emitFromMain(channel: string, payload: unknown): void {
  for (const listener of electron.listeners.get(channel) ?? []) listener({ sender: 'ipc-event-object' }, payload);
}

describe('channels', () => {
  it('exposes the bridge under the name the contract (and the renderer) expects', () => {
    expect(bridgeGlobalName).toBe(contractBridgeGlobalName);
  });

  it('uses two distinct, namespaced channels', () => {
    expect(invokeChannel).not.toBe(eventChannel);
    expect(invokeChannel).toMatch(/^hotline-console:/);
    expect(eventChannel).toMatch(/^hotline-console:/);
  });
});

describe('preload bridge', () => {
  let bridge: ConsoleBridge;

  beforeAll(async () => {
    await import('../../../src-main/electron/preload');
    bridge = electron.exposed.get(contractBridgeGlobalName) as ConsoleBridge;
  });

  it('exposes exactly one object, with invoke, subscribe, sendAudio and upload only', () => {
    expect([...electron.exposed.keys()]).toEqual([contractBridgeGlobalName]);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'sendAudio', 'subscribe', 'upload']);
  });

  it('sends audio frames one way on the audio channel', () => {
    const frame = new Int16Array([5, 6]).buffer;
    bridge.sendAudio('line-1', frame);
    expect(electron.ipcRenderer.send).toHaveBeenCalledWith(audioChannel, 'line-1', frame);
  });

  it('never hands out ipcRenderer', () => {
    for (const value of Object.values(bridge)) expect(value).not.toBe(electron.ipcRenderer);
  });

  it('invokes through the one invoke channel', async () => {
    await expect(bridge.invoke('calls.start', { callerLine: null })).resolves.toEqual({
      channel: invokeChannel,
      args: ['calls.start', { callerLine: null }],
    });
  });

  it('delivers the envelope, not the IPC event, and the disposer stops delivery', () => {
    const received: EventEnvelope[] = [];
    const dispose = bridge.subscribe((envelope) => received.push(envelope));
    const envelope = { event: 'onCaseChanged', payload: { id: 'x' } };
    emitFromMain(eventChannel, envelope);
    expect(received).toEqual([envelope]);

    dispose();
    emitFromMain(eventChannel, envelope);
    expect(received).toHaveLength(1);
    expect(electron.listeners.get(eventChannel)?.size).toBe(0);
  });

  it('keeps separate subscriptions independent', () => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    const disposeFirst = bridge.subscribe((envelope) => first.push(envelope));
    const disposeSecond = bridge.subscribe((envelope) => second.push(envelope));
    disposeFirst();
    emitFromMain(eventChannel, { event: 'onCallChanged', payload: {} });
    expect(first).toHaveLength(0);
    expect(second).toHaveLength(1);
    disposeSecond();
  });
});

describe('preload bundle', () => {
  // A sandboxed preload can require only `electron` (and a few Node built-ins we do not use), so
  // the bundle must be self-contained: no zod, no node: modules, nothing else from node_modules.
  it('bundles into one file that requires nothing but electron', async () => {
    const result = await build({
      entryPoints: [preloadPath],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      external: ['electron'],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/zod/i);
  });
});
