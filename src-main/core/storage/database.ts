import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlRow = Record<string, unknown>;

/** Statements available inside a transaction and for reads. Parameters are always bound. */
export interface SqlExecutor {
  run(sql: string, parameters?: SqlValue[]): Promise<{ changes: number; lastId: number }>;
  get<T = SqlRow>(sql: string, parameters?: SqlValue[]): Promise<T | undefined>;
  all<T = SqlRow>(sql: string, parameters?: SqlValue[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/**
 * One SQLite connection with one writer at a time. sqlite3 runs statements of one connection in
 * order, but two async transactions would interleave their statements; so every write goes through
 * `transaction`, which queues behind the previous one.
 */
export class Database {
  private writeQueue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly connection: sqlite3.Database,
    readonly path: string,
  ) {}

  /** `readOnly` opens a reader: in WAL mode it sees the last committed state, never a write in progress. */
  static open(path: string, options: { readOnly?: boolean } = {}): Promise<Database> {
    const mode = options.readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    return new Promise((resolve, reject) => {
      const connection = new sqlite3.Database(path, mode, (error) => {
        if (error) reject(error);
        else resolve(new Database(connection, path));
      });
    });
  }

  get<T = SqlRow>(sql: string, parameters: SqlValue[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.connection.get(sql, parameters, (error, row) => (error ? reject(error) : resolve(row as T | undefined)));
    });
  }

  all<T = SqlRow>(sql: string, parameters: SqlValue[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.connection.all(sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows as T[])));
    });
  }

  /** For pragmas and schema scripts run outside any transaction (start-up only). */
  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.connection.exec(sql, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Runs `work` in `BEGIN IMMEDIATE … COMMIT`, rolled back if it throws; writers queue one after another. */
  transaction<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      await this.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.executor());
        await this.exec('COMMIT');
        return result;
      } catch (error) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    };
    const result = this.writeQueue.then(run, run);
    this.writeQueue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeQueue;
    await new Promise<void>((resolve, reject) => this.connection.close((error) => (error ? reject(error) : resolve())));
  }

  private executor(): SqlExecutor {
    return {
      run: (sql, parameters = []) =>
        new Promise((resolve, reject) => {
          this.connection.run(sql, parameters, function (this: sqlite3.RunResult, error: Error | null) {
            if (error) reject(error);
            else resolve({ changes: this.changes, lastId: this.lastID });
          });
        }),
      get: (sql, parameters) => this.get(sql, parameters),
      all: (sql, parameters) => this.all(sql, parameters),
      exec: (sql) => this.exec(sql),
    };
  }
}
