import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleAppOptions } from './console-app';
import type { SyncOptions } from './sync/sync-service';

const appFolderName = 'hotline-console';

/** The value of `--name VALUE` or `--name=VALUE`, if given. */
export function readFlag(argv: readonly string[], name: string): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === `--${name}`) return argv[index + 1];
    if (argument.startsWith(`--${name}=`)) return argument.slice(name.length + 3);
  }
  return undefined;
}

// Flags that take a value: the word after them is not a positional argument.
const valuedFlags = new Set([
  '--data-dir',
  '--station',
  '--operator',
  '--region',
  '--resources-dir',
  '--models-dir',
  '--model',
  '--name',
  '--limit',
  '--input',
  '--port',
  '--host',
  '--sync-pull-seconds',
]);

/** The arguments that are neither flags nor flag values, in order. */
export function positionalArguments(argv: readonly string[]): string[] {
  const found: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (valuedFlags.has(argument)) index += 1;
    else if (!argument.startsWith('--')) found.push(argument);
  }
  return found;
}

/** The OS's per-user application-data folder: the data must never live in the install folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appFolderName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appFolderName);
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), appFolderName);
}

export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const chosen = readFlag(argv, 'data-dir') ?? env.HOTLINE_CONSOLE_DATA_DIR;
  return chosen ? resolve(chosen) : defaultDataDir(env);
}

/** Speech models installed beside the app: `models/` at the package root. */
export const bundledModelsDir = fileURLToPath(new URL('../../models', import.meta.url));

/** Where speech models are installed: --models-dir, else $HOTLINE_CONSOLE_MODELS_DIR, else models/ beside the app. */
export function resolveModelsDir(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  return resolve(readFlag(argv, 'models-dir') ?? env.HOTLINE_CONSOLE_MODELS_DIR ?? bundledModelsDir);
}

/** Shipped reference data: `resources/` at the package root, both from src-main/core and from the out/main bundle. */
export const bundledResourcesDir = fileURLToPath(new URL('../../resources', import.meta.url));

const stationCodePattern = /^[A-Z0-9]{2,12}$/;

/**
 * How often the console reads the platform's change feed when nothing else happens:
 * --sync-pull-seconds, else $HOTLINE_CONSOLE_SYNC_PULL_SECONDS, else the sync's default (15 s).
 */
export function resolveSyncOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Partial<SyncOptions> | undefined {
  const text = readFlag(argv, 'sync-pull-seconds') ?? env.HOTLINE_CONSOLE_SYNC_PULL_SECONDS;
  if (text === undefined || text.trim() === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3_600) {
    throw new Error(`--sync-pull-seconds must be a number of seconds from 1 to 3600, not "${text}".`);
  }
  return { pullIntervalMs: Math.round(seconds * 1_000) };
}

export function resolveRuntimeOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ConsoleAppOptions {
  const stationCode = (readFlag(argv, 'station') ?? env.HOTLINE_CONSOLE_STATION ?? 'HC01').toUpperCase();
  if (!stationCodePattern.test(stationCode)) {
    throw new Error(`The station code "${stationCode}" must be 2 to 12 letters or digits (it prefixes every case code).`);
  }
  // Beijing by default: the sample calls and the starter data are set there.
  const regionCode = readFlag(argv, 'region') ?? env.HOTLINE_CONSOLE_REGION ?? '11';
  if (!/^\d{2,9}$/.test(regionCode)) {
    throw new Error(`The region "${regionCode}" must be an administrative-division code such as 11 (Beijing) or 4401 (Guangzhou).`);
  }
  const sync = resolveSyncOptions(argv, env);
  return {
    dataDir: resolveDataDir(argv, env),
    resourcesDir: resolve(readFlag(argv, 'resources-dir') ?? env.HOTLINE_CONSOLE_RESOURCES_DIR ?? bundledResourcesDir),
    modelsDir: resolveModelsDir(argv, env),
    stationCode,
    operatorName: readFlag(argv, 'operator') ?? env.HOTLINE_CONSOLE_OPERATOR ?? userInfo().username,
    regionCode,
    ...(sync ? { sync } : {}),
  };
}
