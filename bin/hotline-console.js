#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so that the same sources run here and in Electron.
import { register } from 'tsx/esm/api';

register();
const [command, ...rest] = process.argv.slice(2);
if (command === 'platform') {
  // The central platform is a separate service that ships alongside; the console itself never imports it.
  const { platformMain } = await import('../src-platform/cli.ts');
  process.exitCode = await platformMain(rest);
} else {
  const { main } = await import('../src-main/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
