// Starts the training thread from the TypeScript sources (CLI, browser mode, tests): the thread
// registers tsx itself, because Node 20 does not hand a parent's loader hooks to a worker.
import { register } from 'tsx/esm/api';

register();
await import('./category-training-thread.ts');
