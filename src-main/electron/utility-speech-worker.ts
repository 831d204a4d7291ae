import { join } from 'node:path';
import type { UtilityProcess } from 'electron';
import type { SpeechWorkerLauncher, WorkerMessage } from '../core/speech/worker/speech-worker-protocol';

/** The part of Electron's `utilityProcess` this launcher uses. */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string }): UtilityProcess;
}

/**
 * Runs the speech worker in an Electron utility process built beside the main bundle
 * (out/main/speech-utility.js). Messages are copied, not transferred: utility processes take only
 * ports as transferables, and a 100 ms frame is 3.2 KB.
 */
export function utilitySpeechWorkerLauncher(utilityProcess: UtilityProcessModule, mainBundleDir: string): SpeechWorkerLauncher {
  return () => {
    const child = utilityProcess.fork(join(mainBundleDir, 'speech-utility.js'), [], { serviceName: 'Hotline Console speech' });
    let terminating = false;
    const exitListeners: ((reason: string) => void)[] = [];
    child.on('exit', (code) => {
      if (terminating) return;
      for (const listener of exitListeners) listener(`the speech process stopped (exit code ${code})`);
    });
    return {
      post: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: WorkerMessage) => listener(message)),
      onExit: (listener) => exitListeners.push(listener),
      terminate: async () => {
        terminating = true;
        child.kill();
      },
    };
  };
}
