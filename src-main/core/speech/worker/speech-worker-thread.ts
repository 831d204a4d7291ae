// Entry of the speech worker as a Node worker thread (the CLI, the browser mode and the tests).
import { parentPort } from 'node:worker_threads';
import { runSpeechWorker } from './speech-worker';
import type { WorkerRequest } from './speech-worker-protocol';

const port = parentPort;
if (!port) throw new Error('speech-worker-thread must run as a worker thread');
runSpeechWorker({
  post: (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', (request: WorkerRequest) => listener(request)),
});
