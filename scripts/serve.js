// `npm run serve`: build the UI, then serve it to a browser on 127.0.0.1 (arguments pass through,
// e.g. `npm run serve -- --port 9000 --data-dir ./my-data`).
import { spawnSync } from 'node:child_process';

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const server = spawnSync(process.execPath, ['bin/hotline-console.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(server.status ?? 0);
