#!/usr/bin/env node
// `npm start`: build the app and launch it in Electron, forwarding our arguments
// (`npm start -- --data-dir D:\hotline --station HC02`).
//
// npm install may have left the Electron runtime out: its download comes from GitHub, which a
// government intranet usually cannot reach. This script therefore looks for the binary itself and,
// when it is missing, says in plain words what is missing and what to do, instead of letting
// `require('electron')` try (and fail) to download it.
//
// Native modules must match Electron's ABI, not Node's. sqlite3 6 is an N-API addon, which Electron
// loads as built for Node; a module built against one Node ABI fails with "NODE_MODULE_VERSION"
// and must be rebuilt for Electron with `npx @electron/rebuild` (this script prints that hint when
// the launch fails that way, as it does for the two other common first-launch failures on Linux).
//
// HOTLINE_CONSOLE_SKIP_BUILD=1 skips the `electron-vite build` step (relaunch after a build).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
const isWindows = process.platform === 'win32';

/** The executable's path inside the Electron zip, as electron/install.js writes it to path.txt. */
function platformExecutablePath(platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/** The folder @electron/get caches downloads in (env-paths('electron').cache, or electron_config_cache). */
function electronCacheRoot(env) {
  if (env.electron_config_cache) return env.electron_config_cache;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'electron');
  if (isWindows) return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'electron');
}

/**
 * Where electron/install.js looks for the zip before downloading it: the cache root, then the
 * sha256 of the download URL's folder (the default GitHub release URL, no mirror).
 */
function electronCachedZipPath(version, zipName, env) {
  const releaseFolderUrl = `https://github.com/electron/electron/releases/download/v${version}`;
  const folder = createHash('sha256').update(releaseFolderUrl).digest('hex');
  return path.join(electronCacheRoot(env), folder, zipName);
}

function locateElectron(env) {
  let electronDir;
  try {
    electronDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { found: false, electronDir: null, version: null, missing: 'node_modules/electron' };
  }
  const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  const pathFile = path.join(electronDir, 'path.txt');
  const executableInZip = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : platformExecutablePath(process.platform);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const executable = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executableInZip);
    return existsSync(executable)
      ? { found: true, electronDir, version, executable }
      : { found: false, electronDir, version, missing: `${executable} (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!existsSync(pathFile)) {
    return { found: false, electronDir, version, missing: pathFile };
  }
  const executable = path.join(electronDir, 'dist', executableInZip);
  return existsSync(executable)
    ? { found: true, electronDir, version, executable }
    : { found: false, electronDir, version, missing: executable };
}

/** `command` run with extra environment variables, spelled for this platform's usual shell. */
function envCommand(variables, command, indent) {
  if (isWindows) {
    return [...variables.map(([name, value]) => `set ${name}=${value}`), command].join(`\n${indent}`);
  }
  return [...variables.map(([name, value]) => `${name}="${value}"`), command].join(' ');
}

function explainMissingElectron(location, env) {
  const version = location.version ?? '<version>';
  const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  const install = 'node node_modules/electron/install.js';
  // Mirrors keep releases under "45.4.1/", GitHub under "v45.4.1/", hence the custom folder.
  const mirrorVariables = [
    ['ELECTRON_MIRROR', 'https://npmmirror.com/mirrors/electron/'],
    ['ELECTRON_CUSTOM_DIR', '{{ version }}'],
  ];
  const lines = [
    '',
    '[hotline-console] 未找到 Electron 运行时，无法启动桌面版。',
    '[hotline-console] The Electron runtime is missing, so the desktop app cannot start.',
    '',
    `  缺少 Missing: ${location.missing}`,
    '',
    `  原因：执行 npm install 时未能下载 Electron 运行时（${zipName}，来自 GitHub）。`,
    `  Why: the Electron runtime (${zipName}, from GitHub) could not be downloaded during npm install.`,
    '',
    '  解决办法 What to do:',
    '    1. 在能上网的机器上（在本项目文件夹中）运行 / On a machine with internet access, in this folder, run:',
    `         ${install}`,
    '       访问 GitHub 较慢或受限时，可使用国内镜像 / If GitHub is slow or blocked, use a mirror:',
    `         ${envCommand(mirrorVariables, install, '         ')}`,
    '    2. 在内网（无外网）环境 / On a closed network:',
    `       a) 从其他机器取得 ${zipName}，复制为 / copy the zip from another machine to:`,
    `            ${electronCachedZipPath(version, zipName, env)}`,
    `          然后运行（不设置 ELECTRON_MIRROR）/ then run, without ELECTRON_MIRROR set: ${install}`,
    '       b) 或把压缩包解压到任意文件夹，并设置环境变量 / or unzip it into any folder and set:',
    `            ELECTRON_OVERRIDE_DIST_PATH=<该文件夹 that folder>`,
    '    3. 在此之前，可用浏览器打开同一个坐席台 / Meanwhile, the same console runs in a browser:',
    '         npm run serve',
    '',
  ];
  console.error(lines.join('\n'));
}

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ child, code, signal }));
  });
}

async function buildApp() {
  const electronViteBin = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const { code, signal } = await run(process.execPath, [electronViteBin, 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (code !== 0) {
    console.error(`[hotline-console] electron-vite build failed (${signal ?? `exit code ${code}`}). 构建失败。`);
    process.exit(code || 1);
  }
}

// Launch failures we can explain, matched against Electron's output.
const launchHints = [
  {
    pattern: /NODE_MODULE_VERSION|was compiled against a different Node\.js version/,
    lines: [
      '[hotline-console] 原生模块与 Electron 的 ABI 不匹配 / A native module does not match Electron\'s ABI.',
      '  原生模块（如 sqlite3）须为 Electron 重新编译 / Rebuild native modules for Electron:',
      '    npx @electron/rebuild',
      '  (npm run serve 使用 Node 本身，不受影响 / `npm run serve` runs on Node and is unaffected.)',
    ],
  },
  {
    pattern: /SUID sandbox helper binary was found, but is not configured correctly/,
    lines: [
      '[hotline-console] Linux 沙箱辅助程序权限不对 / The Linux sandbox helper has the wrong permissions:',
      '    sudo chown root node_modules/electron/dist/chrome-sandbox',
      '    sudo chmod 4755 node_modules/electron/dist/chrome-sandbox',
      '  (坐席台依赖沙箱，请勿用 --no-sandbox 绕过 / the console relies on the sandbox; do not bypass it with --no-sandbox.)',
    ],
  },
  {
    pattern: /Running as root without --no-sandbox is not supported/,
    lines: [
      '[hotline-console] 请勿以 root 身份运行坐席台 / Do not run the console as root: start it as the operator\'s own user.',
    ],
  },
];

async function launch(executable, forwardedArgs) {
  const env = { ...process.env };
  // Set by some shells and tools; it would make Electron run as plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(executable, ['.', ...forwardedArgs], {
    cwd: repoRoot,
    env,
    stdio: ['inherit', 'pipe', 'pipe'],
    windowsHide: false,
  });
  // Output is passed through as it comes, and watched for the failures we can explain.
  const matchedHints = new Set();
  const watch = (stream, target) => {
    stream.on('data', (chunk) => {
      target.write(chunk);
      const text = chunk.toString();
      for (const hint of launchHints) if (hint.pattern.test(text)) matchedHints.add(hint);
    });
  };
  watch(child.stdout, process.stdout);
  watch(child.stderr, process.stderr);

  for (const signal of isWindows ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }

  const { code, signal } = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  for (const hint of matchedHints) console.error(['', ...hint.lines, ''].join('\n'));
  if (signal) console.error(`[hotline-console] Electron exited on ${signal}.`);
  process.exit(code ?? 1);
}

async function main() {
  const forwardedArgs = process.argv.slice(2);
  const location = locateElectron(process.env);
  if (!location.found) {
    explainMissingElectron(location, process.env);
    process.exit(1);
  }
  if (process.env.HOTLINE_CONSOLE_SKIP_BUILD !== '1') await buildApp();
  await launch(location.executable, forwardedArgs);
}

main().catch((error) => {
  console.error('[hotline-console]', error instanceof Error ? error.message : error);
  process.exit(1);
});
