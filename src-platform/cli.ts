import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateStationToken, tokenDigest } from './api/station-tokens';
import { stationRoles, type StationRole } from './model';
import { startPlatform } from './server';
import type { Database } from './storage/database';
import { defaultDataDir, describeLocation, openDatabase, type DatabaseLocation } from './storage/open-database';
import { addStation, listStations, revokeStation, rotateStationToken, stationCodePattern } from './storage/stations';

const usage = `hotline-console platform — the reference central platform that consoles sync to

Usage (\`npm run platform\` is \`platform serve\`; \`npm run platform:stations -- add CODE\` is \`platform stations add CODE\`):
  platform serve [--port 8780] [--host 127.0.0.1] [--data-dir DIR]
      Serve the platform API (documented in src-platform/openapi.yaml).
  platform stations add CODE [--role station|supervisor|dispatcher] [--data-dir DIR]
      Add a station and print its token, once: give it to the console of that station.
  platform stations revoke CODE [--data-dir DIR]
      Revoke the station's token: its requests are refused from now on.
  platform stations rotate CODE [--data-dir DIR]
      Issue the station a new token and print it, once: the old token stops working at once (a
      revoked station is active again with the new one).
  platform stations list [--data-dir DIR]
  platform help

Database: PostgreSQL when DATABASE_URL is set (postgres://user:password@host:5432/database), else
the embedded PostgreSQL (PGlite) in --data-dir (default ${defaultDataDir}). The embedded database
serves one process at a time: stop \`serve\` before changing stations, or use PostgreSQL.`;

const defaultPort = 8780;

class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        role: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function databaseLocation(dataDir: string | undefined): DatabaseLocation {
  const databaseUrl = process.env.DATABASE_URL?.trim();
  return databaseUrl ? { databaseUrl } : { dataDir: resolve(dataDir ?? defaultDataDir) };
}

function parsePort(text: string | undefined): number {
  const port = Number(text ?? defaultPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${text}".`);
  return port;
}

async function serve(location: DatabaseLocation, host: string, port: number): Promise<number> {
  const platform = await startPlatform({ ...location, host, port, logLevel: 'info' });
  const stations = await listStations(platform.database);
  console.log(`Database: ${describeLocation(location)}`);
  if (stations.every((station) => station.revokedAt !== null)) {
    const howToAdd = 'add one with `npm run platform:stations -- add CODE`';
    console.log(`No station can connect yet: ${location.databaseUrl ? howToAdd : `stop the platform (Ctrl+C) and ${howToAdd}`}.`);
  }
  console.log(`Hotline platform is ready: ${platform.url}`);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await platform.close();
  return 0;
}

function requireStationCode(action: string, code: string | undefined): string {
  if (code === undefined || !stationCodePattern.test(code)) {
    throw new UsageError(`stations ${action} needs a station CODE: letters, digits, '-' or '_', at most 60 characters.`);
  }
  return code;
}

function parseRole(roleText: string | undefined): StationRole {
  const role = stationRoles.find((candidate) => candidate === (roleText ?? 'station'));
  if (role === undefined) throw new UsageError(`--role must be one of ${stationRoles.join(', ')}, not "${roleText}".`);
  return role;
}

async function withDatabase(location: DatabaseLocation, work: (database: Database) => Promise<number>): Promise<number> {
  const database = await openDatabase(location);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

async function stationsCommand(location: DatabaseLocation, action: string | undefined, code: string | undefined, roleText: string | undefined): Promise<number> {
  switch (action) {
    case 'add': {
      const stationCode = requireStationCode(action, code);
      const role = parseRole(roleText);
      return withDatabase(location, async (database) => {
        const token = generateStationToken();
        if (!(await addStation(database, { code: stationCode, role, tokenSha256: tokenDigest(token) }, new Date()))) {
          console.error(`Station ${stationCode} already exists (stations list shows it); a station code is never reused.`);
          return 1;
        }
        console.log(`Station ${stationCode} (${role}) added. Its token, shown only this once:\n\n  ${token}\n`);
        return 0;
      });
    }
    case 'revoke': {
      const stationCode = requireStationCode(action, code);
      return withDatabase(location, async (database) => {
        if (!(await revokeStation(database, stationCode, new Date()))) {
          console.error(`There is no active station ${stationCode} to revoke.`);
          return 1;
        }
        console.log(`Station ${stationCode}: token revoked.`);
        return 0;
      });
    }
    case 'rotate': {
      const stationCode = requireStationCode(action, code);
      return withDatabase(location, async (database) => {
        const token = generateStationToken();
        const rotated = await rotateStationToken(database, stationCode, tokenDigest(token));
        if (!rotated) {
          console.error(`There is no station ${stationCode} (stations list shows them; stations add creates one).`);
          return 1;
        }
        const revoked = rotated.wasRevoked ? ' It had been revoked; it is active again.' : '';
        console.log(`Station ${stationCode}: new token issued; the old one no longer works.${revoked} The new token, shown only this once:\n\n  ${token}\n`);
        return 0;
      });
    }
    case 'list':
      return withDatabase(location, async (database) => {
        const stations = await listStations(database);
        if (stations.length === 0) console.log('No stations yet.');
        for (const station of stations) {
          console.log(`${station.code}\t${station.role}\tadded ${station.createdAt}${station.revokedAt ? `\trevoked ${station.revokedAt}` : ''}`);
        }
        return 0;
      });
    default:
      throw new UsageError(`Unknown stations command "${action ?? ''}": add, revoke, rotate or list.`);
  }
}

/** The platform's command line; `hotline-console platform …` forwards here. Resolves to the exit code. */
export async function platformMain(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    const [command, action, code] = positionals;
    const location = databaseLocation(values['data-dir']);
    switch (command) {
      case 'serve':
        return await serve(location, values.host ?? '127.0.0.1', parsePort(values.port));
      case 'stations':
        return await stationsCommand(location, action, code, values.role);
      case undefined:
      case 'help':
        console.log(usage);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      return 2;
    }
    console.error(`Error: ${(error as Error).message}`);
    return 1;
  }
}

// Run directly (`npm run platform`, `tsx src-platform/cli.ts …`), not when imported by the console's CLI.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await platformMain(process.argv.slice(2));
}
