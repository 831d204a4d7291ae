import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = resolve(__dirname, '../../..');
const builtPage = join(repoRoot, 'out/renderer/index.html');
const readyPattern = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/;
const startLimitMs = 60_000;

export interface RunningServer {
  /** The page URL with the token, as printed. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'hotline-e2e-'));
}

/**
 * Starts `hotline-console serve` on a free port and resolves once it prints its URL. Pass a
 * `dataDir` to share one (the caller then removes it); otherwise a fresh one is made and removed.
 */
export async function startServer(options: { dataDir?: string; modelsDir?: string } = {}): Promise<RunningServer> {
  if (!existsSync(builtPage)) {
    throw new Error(
      `The renderer is not built (${builtPage} is missing). Run \`npx electron-vite build\` ` +
        '(`npm test` does it) before the e2e tests.',
    );
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? makeDataDir();
  const child: ChildProcess = spawn(
    process.execPath,
    // Speech models only where a test gives them: a developer's own models/ never changes a test.
    ['bin/hotline-console.js', 'serve', '--port', '0', '--data-dir', dataDir, '--models-dir', options.modelsDir ?? join(dataDir, 'no-models')],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  const ready = await new Promise<{ origin: string; token: string; url: string }>((resolveReady, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const limit = setTimeout(() => {
      reject(new Error(`hotline-console serve printed no URL within ${startLimitMs} ms:\n${output}`));
    }, startLimitMs);
    lines.on('line', (line) => {
      output += `${line}\n`;
      const match = readyPattern.exec(line);
      if (match) {
        clearTimeout(limit);
        resolveReady({ url: match[0], origin: match[1]!, token: match[2]! });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      reject(new Error(`hotline-console serve exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });

  let stopped: Promise<void> | null = null;
  return {
    ...ready,
    dataDir,
    output: () => output,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        }
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
