import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SpeechWorkerLauncher, SpeechWorkerPort, WorkerMessage } from './speech-worker-protocol';

/**
 * The speech worker as a Node worker thread (the CLI, the browser mode, the tests). The thread is
 * returned too, for tests that stop it the hard way.
 */
export function startNodeSpeechWorker(): { port: SpeechWorkerPort; thread: Worker } {
  const bundled = new URL('./speech-worker-thread.js', import.meta.url);
  // From the sources, a small JavaScript entry registers tsx in the thread, then loads the TypeScript.
  const fromSource = new URL('./speech-worker-from-source.mjs', import.meta.url);
  const worker = new Worker(existsSync(fileURLToPath(bundled)) ? bundled : fromSource, {
    // Recognition must not take the console down with it: a runaway heap ends the worker, not the app.
    resourceLimits: { maxOldGenerationSizeMb: 4096 },
  });
  let terminating = false;
  const exitListeners: ((reason: string) => void)[] = [];
  let exitReported = false;
  const reportExit = (reason: string) => {
    if (terminating || exitReported) return;
    exitReported = true;
    for (const listener of exitListeners) listener(reason);
  };
  worker.on('error', (error) => reportExit(error.message));
  worker.on('exit', (code) => reportExit(`the speech worker stopped (exit code ${code})`));
  const port: SpeechWorkerPort = {
    post: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => worker.on('message', (message: WorkerMessage) => listener(message)),
    onExit: (listener) => exitListeners.push(listener),
    terminate: async () => {
      terminating = true;
      await worker.terminate();
    },
  };
  return { port, thread: worker };
}

export const launchNodeSpeechWorker: SpeechWorkerLauncher = () => startNodeSpeechWorker().port;
