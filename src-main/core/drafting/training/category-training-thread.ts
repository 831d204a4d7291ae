import { parentPort } from 'node:worker_threads';
import { trainCategoryVersion, type TrainingRequest } from './category-training';

// Training takes tens of seconds of pure computation: here it cannot stall the console's event
// loop (live transcripts, suggestions, the UI's requests).
parentPort?.once('message', (request: TrainingRequest) => {
  try {
    parentPort?.postMessage({ ok: true, value: trainCategoryVersion(request) });
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
