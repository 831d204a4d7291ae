import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const script = path.join(repoRoot, 'scripts', 'start-electron.js');
const electronDir = path.join(repoRoot, 'node_modules', 'electron');
const binaryInstalled = existsSync(path.join(electronDir, 'path.txt'));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(args: string[], env: Record<string, string | undefined>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: undefined, HOTLINE_CONSOLE_SKIP_BUILD: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectMissingBinaryExplanation(outcome: Outcome): void {
  expect(outcome.code).toBe(1);
  const text = outcome.stderr;
  expect(text).toContain('未找到 Electron 运行时');
  expect(text).toContain('The Electron runtime is missing');
  expect(text).toContain('node node_modules/electron/install.js');
  expect(text).toContain('ELECTRON_OVERRIDE_DIST_PATH');
  expect(text).toContain('npm run serve');
  expect(text).toMatch(/electron-v\d+\.\d+\.\d+-[a-z0-9]+-[a-z0-9]+\.zip/);
}

describe('scripts/start-electron.js without the Electron binary', () => {
  // True on machines where npm install could not download Electron, such as the build machine.
  it.skipIf(binaryInstalled)('exits 1 and explains what is missing and what to do', async () => {
    const outcome = await runScript(['--data-dir', 'ignored'], {});
    expectMissingBinaryExplanation(outcome);
    expect(outcome.stderr).toContain(path.join(electronDir, 'path.txt'));
  });

  it('says the same when ELECTRON_OVERRIDE_DIST_PATH points at a folder without Electron', async () => {
    const emptyFolder = await mkdtemp(path.join(os.tmpdir(), 'no-electron-'));
    try {
      const outcome = await runScript([], { ELECTRON_OVERRIDE_DIST_PATH: emptyFolder });
      expectMissingBinaryExplanation(outcome);
      expect(outcome.stderr).toContain(emptyFolder);
    } finally {
      await rm(emptyFolder, { recursive: true, force: true });
    }
  });

  it('names the exact file electron/install.js would take from its cache', async () => {
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), 'electron-cache-'));
    try {
      const outcome = await runScript([], { electron_config_cache: cacheRoot, ELECTRON_OVERRIDE_DIST_PATH: cacheRoot });
      // Ask @electron/get itself where that is (its internals are not exported, hence the file URLs).
      const getDir = path.join(repoRoot, 'node_modules', '@electron', 'get', 'dist');
      const { Cache } = await import(pathToFileURL(path.join(getDir, 'Cache.js')).href);
      const { getArtifactRemoteURL, getArtifactFileName } = await import(pathToFileURL(path.join(getDir, 'artifact-utils.js')).href);
      const { version } = await import(pathToFileURL(path.join(electronDir, 'package.json')).href, { with: { type: 'json' } }).then(
        (module) => module.default,
      );
      const details = { version: `v${version}`, artifactName: 'electron', platform: process.platform, arch: process.arch };
      const fileName: string = getArtifactFileName(details);
      const url = `https://github.com/electron/electron/releases/download/v${version}/${fileName}`;
      if (!Object.keys(process.env).some((name) => /electron_(mirror|custom_dir|custom_filename)/i.test(name))) {
        // Without a mirror configured, this is the URL install.js downloads (and caches) from.
        expect(await getArtifactRemoteURL(details)).toBe(url);
      }
      expect(outcome.stderr).toContain(new Cache(cacheRoot).getCachePath(url, fileName));
    } finally {
      await rm(cacheRoot, { recursive: true, force: true });
    }
  });
});

describe.skipIf(process.platform === 'win32')('scripts/start-electron.js with an Electron binary', () => {
  let distFolder = '';

  beforeAll(async () => {
    distFolder = await mkdtemp(path.join(os.tmpdir(), 'fake-electron-'));
  });

  afterAll(async () => {
    await rm(distFolder, { recursive: true, force: true });
  });

  async function fakeElectron(body: string): Promise<void> {
    // The executable's name inside the zip, as the script expects it without path.txt.
    const name = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
    const file = path.join(distFolder, name);
    await import('node:fs/promises').then(({ mkdir }) => mkdir(path.dirname(file), { recursive: true }));
    await writeFile(file, `#!${process.execPath}\n${body}\n`);
    await chmod(file, 0o755);
  }

  it('launches the app folder with our arguments forwarded', async () => {
    await fakeElectron(
      `console.log(JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));`,
    );
    const outcome = await runScript(['--data-dir', '/tmp/hotline data', '--station', 'HC02'], {
      ELECTRON_OVERRIDE_DIST_PATH: distFolder,
      HOTLINE_CONSOLE_SKIP_BUILD: '1',
      ELECTRON_RUN_AS_NODE: '1',
    });
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout.trim());
    expect(report.args).toEqual(['.', '--data-dir', '/tmp/hotline data', '--station', 'HC02']);
    expect(path.resolve(report.cwd)).toBe(path.resolve(repoRoot));
    expect(report.runAsNode).toBeNull();
  });

  it('passes on the exit code and explains a native-module ABI mismatch', async () => {
    await fakeElectron(
      `console.error("Error: The module 'node_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140."); process.exit(3);`,
    );
    const outcome = await runScript([], { ELECTRON_OVERRIDE_DIST_PATH: distFolder, HOTLINE_CONSOLE_SKIP_BUILD: '1' });
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toContain('NODE_MODULE_VERSION 115');
    expect(outcome.stderr).toContain('npx @electron/rebuild');
  });
});
