export type DatabaseKind = 'pglite' | 'postgres';

/**
 * Values bound to `$1, $2, …`. Timestamps travel as ISO strings and JSON as text, cast in the SQL
 * (`$3::timestamptz`, `$4::jsonb`): `pg` would turn a JS array into a PostgreSQL array literal and
 * PGlite serialises by the parameter's inferred type, so plain strings are what both bind alike.
 */
export type SqlParameter = string | number | boolean | null;

/**
 * What a query sees, in or out of a transaction. Both implementations hand rows back in the same
 * shapes: bigint/bigserial as decimal strings, timestamptz as Date, jsonb parsed, uuid as text.
 */
export interface SqlSession {
  query<Row extends object>(sql: string, parameters?: readonly SqlParameter[]): Promise<Row[]>;
  /** Several statements, no parameters: for migrations only. */
  executeScript(sql: string): Promise<void>;
}

/** The platform's one storage seam: embedded PGlite or a PostgreSQL server, with the same SQL. */
export interface Database extends SqlSession {
  readonly kind: DatabaseKind;
  /** Runs `work` in one READ COMMITTED transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The database could not be reached (server down, connection refused or dropped, pool exhausted).
 * The request may succeed later, so the API answers 503 with Retry-After rather than 500.
 */
export class DatabaseUnavailableError extends Error {
  constructor(options: { cause: unknown }) {
    super('The database is not answering.', options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Transaction-level advisory locks (released at commit or rollback). Fixed numbers, so that every
 * platform instance over the same database takes the same lock.
 */
export const advisoryLocks = {
  /** Two instances starting at once must not both apply the same migration. */
  migrations: 7_265_001,
  /**
   * Change-log appends, held from the cursor's `nextval` to the commit, so that cursors become
   * visible in order: a reader never sees cursor 11 committed while 10 is still to come, and so never
   * skips 10 by resuming after 11.
   */
  changeLog: 7_265_002,
} as const;
