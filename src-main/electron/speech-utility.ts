// Entry of the speech worker as an Electron utility process: recognition runs outside the main
// process, so a crash or a stall there never takes the console window with it.
import { runSpeechWorker } from '../core/speech/worker/speech-worker';
import type { WorkerRequest } from '../core/speech/worker/speech-worker-protocol';

const parentPort = process.parentPort;
runSpeechWorker({
  post: (message) => parentPort.postMessage(message),
  onMessage: (listener) => parentPort.on('message', (event: { data: WorkerRequest }) => listener(event.data)),
});
