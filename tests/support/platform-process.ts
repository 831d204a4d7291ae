// The central platform in a process of its own, for the sync benchmark: the load it measures must
// not share the platform's event loop. Started with `fork(…, [JSON.stringify(options)], { execArgv:
// ['--import', 'tsx'] })`; sends `{ url }` over the IPC channel once it listens, and closes (database
// included) when told 'stop' or when the parent goes away.
import { startPlatform, type PlatformOptions } from '../../src-platform/server';

const options = JSON.parse(process.argv[2] ?? '{}') as Omit<PlatformOptions, 'host' | 'port'>;
const platform = await startPlatform({ ...options, host: '127.0.0.1', port: 0, logLevel: 'silent' });
let closing: Promise<void> | null = null;
const stop = () => {
  closing ??= platform.close().then(() => process.exit(0));
  return closing;
};
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
process.once('disconnect', () => void stop());
process.send?.({ url: platform.url });
