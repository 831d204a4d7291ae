#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so that the same sources run here and in Electron.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
