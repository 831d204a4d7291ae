// A throwaway PostgreSQL cluster for the platform's tests: initdb in a temporary folder, a free
// port on 127.0.0.1, trust authentication, stopped and deleted afterwards. Uses the server binaries
// of the machine (Debian's `postgresql` package, or any initdb/pg_ctl on PATH); never a system service.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

export interface ThrowawayPostgres {
  port: number;
  /** Connection string for a database of this cluster (default: the `postgres` database). */
  url(database?: string): string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const superuser = 'platform_test';

export const missingPostgresMessage =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, in /usr/lib/postgresql/*/bin or in /usr/local/pgsql/bin. ' +
  'Install them to run the platform tests against PostgreSQL: `apt-get install postgresql` on Debian/Ubuntu ' +
  '(the service need not run), `brew install postgresql` on macOS.';

function binariesIn(directory: string): PostgresBinaries | null {
  const initdb = join(directory, 'initdb');
  const pgCtl = join(directory, 'pg_ctl');
  return existsSync(initdb) && existsSync(pgCtl) ? { initdb, pgCtl } : null;
}

/** initdb and pg_ctl from PATH, else from Debian's versioned folders (newest first), else the source-build default. */
export function findPostgresBinaries(): PostgresBinaries | null {
  const pathDirectories = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debianDirectories = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  for (const directory of [...pathDirectories, ...debianDirectories, '/usr/local/pgsql/bin']) {
    const found = binariesIn(directory);
    if (found) return found;
  }
  return null;
}

interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root (CI, containers) the cluster runs as the `postgres`
 * user that Debian's package creates, else as `nobody`; otherwise as whoever runs the tests.
 */
function clusterOwner(): OsUser | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // No such user; try the next.
    }
  }
  throw new Error('Running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as.');
}

function runAs(owner: OsUser | null, command: string, args: string[], cwd: string): { ok: boolean; output: string } {
  const [file, fileArgs] = owner ? ['runuser', ['-u', owner.name, '--', command, ...args]] : [command, args];
  const result = spawnSync(file, fileArgs, { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port assigned.'))));
    });
  });
}

/** Starts a new cluster; throws `missingPostgresMessage` when the binaries are not installed. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error(missingPostgresMessage);
  const owner = clusterOwner();
  const root = await mkdtemp(join(tmpdir(), 'platform-postgres-'));
  if (owner) await chown(root, owner.uid, owner.gid);
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');

  const initialised = runAs(owner, binaries.initdb, ['-D', dataDir, '-U', superuser, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], root);
  if (!initialised.ok) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`initdb failed:\n${initialised.output}`);
  }

  const stopCluster = () => {
    runAs(owner, binaries.pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], root);
  };
  let port = 0;
  let lastFailure = '';
  // The free port may be taken between the probe and the start; a few tries make that harmless.
  for (let attempt = 0; attempt < 3 && port === 0; attempt += 1) {
    const candidate = await freePort();
    // Durability is pointless for a throwaway cluster: without fsync the tests run faster.
    const serverOptions = `-p ${candidate} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    const started = runAs(owner, binaries.pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'], root);
    if (started.ok) port = candidate;
    else lastFailure = `${started.output}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`;
  }
  if (port === 0) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start:\n${lastFailure}`);
  }
  // Should the test process end without calling stop(), the postmaster (a daemon) must not outlive it.
  process.once('exit', stopCluster);

  const url = (database = 'postgres') => `postgres://${superuser}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop: async () => {
      process.removeListener('exit', stopCluster);
      stopCluster();
      await rm(root, { recursive: true, force: true });
    },
  };
}
