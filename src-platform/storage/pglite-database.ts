import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { Database, SqlParameter, SqlSession } from './database';

/** Embedded PostgreSQL (WASM) in a folder: the zero-setup default. One connection, one process. */
export async function openPgliteDatabase(folder: string): Promise<Database> {
  const pglite = await PGlite.create({
    dataDir: folder,
    // PGlite turns int8 into a JS number; `pg` keeps it a string. Cursors and sequences are int8,
    // and a string is what both the API and the other backend use, without precision loss.
    parsers: { [types.INT8]: (value: string) => value },
  });
  const sessionOf = (target: PGlite | Transaction): SqlSession => ({
    query: async <Row extends object>(sql: string, parameters: readonly SqlParameter[] = []) =>
      (await target.query<Row>(sql, [...parameters])).rows,
    executeScript: async (sql: string) => {
      await target.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...sessionOf(pglite),
    // PGlite runs one transaction at a time and queues other queries behind it, so concurrent
    // requests are serialised here; READ COMMITTED semantics hold trivially.
    transaction: (work) => pglite.transaction((transaction) => work(sessionOf(transaction))),
    close: () => pglite.close(),
  };
}
