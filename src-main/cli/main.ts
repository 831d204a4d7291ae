import { fileURLToPath } from 'node:url';
import { readFlag, resolveRuntimeOptions } from '../core/config';
import { createConsoleApp } from '../core/console-app';
import { startHost } from '../host/host-server';

const usage = `hotline-console — the 12345 hotline operator's console

Usage:
  hotline-console serve [--port N] [--host 127.0.0.1] [--data-dir DIR] [--station CODE] [--operator NAME]
      Serve the console to a browser on this machine and print its URL (with the access token).
  hotline-console help

Data folder: --data-dir, else $HOTLINE_CONSOLE_DATA_DIR, else the OS application-data folder.`;

const builtRendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

async function serve(argv: string[]): Promise<number> {
  const options = resolveRuntimeOptions(argv);
  const portText = readFlag(argv, 'port') ?? '8123';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not "${portText}".`);
    return 2;
  }
  const app = await createConsoleApp(options);
  if (app.status.storage.state === 'error') {
    console.error(`Storage problem (${app.status.storage.code}): ${app.status.storage.message}`);
    console.error('The console still starts so that the screen can explain it; nothing can be saved until it is fixed.');
  }
  const host = await startHost({ app, rendererDir: builtRendererDir, host: readFlag(argv, 'host') ?? '127.0.0.1', port });
  console.log(`Data folder: ${options.dataDir}`);
  console.log(`Hotline Console is ready: ${host.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await app.close();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error('That port is already in use: choose another with --port, or --port 0 for any free port.');
    } else {
      console.error(error instanceof Error ? error.message : String(error));
    }
    return 1;
  }
}
