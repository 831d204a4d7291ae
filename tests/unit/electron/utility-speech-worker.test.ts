import { EventEmitter } from 'node:events';
import type { UtilityProcess } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { WorkerMessage } from '../../../src-main/core/speech/worker/speech-worker-protocol';
import { utilitySpeechWorkerLauncher } from '../../../src-main/electron/utility-speech-worker';

class FakeChild extends EventEmitter {
  postMessage = vi.fn();
  kill = vi.fn(() => true);
}

function launch() {
  const child = new FakeChild();
  const fork = vi.fn(() => child as unknown as UtilityProcess);
  const port = utilitySpeechWorkerLauncher({ fork }, '/opt/hotline-console/out/main')();
  return { child, fork, port };
}

describe('the speech worker in an Electron utility process', () => {
  it('forks the bundled entry beside the main bundle and passes messages both ways', () => {
    const { child, fork, port } = launch();
    expect(fork).toHaveBeenCalledWith('/opt/hotline-console/out/main/speech-utility.js', [], { serviceName: 'Hotline Console speech' });
    port.post({ kind: 'openLine', lineId: 'l1', mode: 'live' });
    expect(child.postMessage).toHaveBeenCalledWith({ kind: 'openLine', lineId: 'l1', mode: 'live' });
    const received: WorkerMessage[] = [];
    port.onMessage((message) => received.push(message));
    child.emit('message', { kind: 'lineClosed', lineId: 'l1' });
    expect(received).toEqual([{ kind: 'lineClosed', lineId: 'l1' }]);
  });

  it('reports a crash, but not its own termination', async () => {
    const crashed = launch();
    const reasons: string[] = [];
    crashed.port.onExit((reason) => reasons.push(reason));
    crashed.child.emit('exit', 139);
    expect(reasons).toEqual(['the speech process stopped (exit code 139)']);

    const stopped = launch();
    stopped.port.onExit((reason) => reasons.push(reason));
    await stopped.port.terminate();
    stopped.child.emit('exit', 0);
    expect(stopped.child.kill).toHaveBeenCalled();
    expect(reasons).toHaveLength(1);
  });
});
