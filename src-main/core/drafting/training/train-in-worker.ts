import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../app-error';
import type { TrainedCategoryModel, TrainingRequest } from './category-training';

type TrainingReply = { ok: true; value: TrainedCategoryModel } | { ok: false; message: string };

/**
 * Trains a category-model version in a worker thread and resolves with it. The bundled app ships the
 * thread as its own file next to the main bundle; from the sources a small entry registers tsx first.
 */
export function trainInWorker(request: TrainingRequest): Promise<TrainedCategoryModel> {
  const bundled = new URL('./category-training-thread.js', import.meta.url);
  const fromSource = new URL('./category-training-from-source.mjs', import.meta.url);
  const worker = new Worker(existsSync(fileURLToPath(bundled)) ? bundled : fromSource, {
    resourceLimits: { maxOldGenerationSizeMb: 4096 },
  });
  return new Promise<TrainedCategoryModel>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.once('message', (reply: TrainingReply) =>
      settle(() => (reply.ok ? resolve(reply.value) : reject(new AppError('TRAINING_FAILED', reply.message)))),
    );
    worker.once('error', (error) => settle(() => reject(new AppError('TRAINING_FAILED', `Training stopped: ${error.message}`))));
    worker.once('exit', (code) => settle(() => reject(new AppError('TRAINING_FAILED', `Training stopped before it finished (exit code ${code}).`))));
    worker.postMessage(request);
  });
}
