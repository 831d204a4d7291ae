import { createHash } from 'node:crypto';
import pg from 'pg';
import { DatabaseUnavailableError, type Database, type SqlParameter, type SqlSession } from './database';

/** SQLSTATE classes and codes that mean "the server is not there right now", not "the query is wrong". */
function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // 08: connection exception; 57P01–57P03: the server is shutting down or starting; 53300: too many connections.
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code)) return true;
  }
  // pg reports a dropped socket and a pool that could not connect in time without a code.
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

function classified(error: unknown): unknown {
  return isConnectionFailure(error) ? new DatabaseUnavailableError({ cause: error }) : error;
}

const statementNames = new Map<string, string>();
// The platform's SQL is a fixed set of texts; past this many, a text is sent unnamed (parsed each time)
// rather than prepared on every connection for good.
const maxNamedStatements = 500;

/**
 * A name per SQL text, so that `pg` prepares each statement once per connection and afterwards sends
 * only its parameters: the server skips parsing and planning on every request after the first.
 */
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= maxNamedStatements) return undefined;
    name = `hc_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function sessionOf(client: pg.Pool | pg.PoolClient): SqlSession {
  return {
    query: async <Row extends object>(sql: string, parameters: readonly SqlParameter[] = []) => {
      try {
        return (await client.query<Row & pg.QueryResultRow>({ name: statementName(sql), text: sql, values: [...parameters] })).rows;
      } catch (error) {
        throw classified(error);
      }
    },
    executeScript: async (sql: string) => {
      try {
        // Without parameters pg uses the simple query protocol, which accepts several statements.
        await client.query(sql);
      } catch (error) {
        throw classified(error);
      }
    },
  };
}

/** A PostgreSQL server through a `pg` pool: the deployment backend, shared by any number of instances. */
export async function openPostgresDatabase(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    // A request waits at most this long for a connection, then the API answers 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
  });
  // An idle connection that the server drops emits 'error' on the pool; unhandled, it would end the
  // process. The next query simply opens a new connection (or reports the database unavailable).
  pool.on('error', () => undefined);
  const database: Database = {
    kind: 'postgres',
    ...sessionOf(pool),
    transaction: async (work) => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw classified(error);
      }
      let connectionBroken = false;
      try {
        await client.query('BEGIN');
        const result = await work(sessionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          connectionBroken = true;
        });
        throw classified(error);
      } finally {
        // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
        client.release(connectionBroken);
      }
    },
    close: () => pool.end(),
  };
  // Fail at start-up, with the server's own words, rather than on the first request.
  try {
    await database.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  return database;
}
