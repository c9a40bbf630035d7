/** @module The embedded database: PostgreSQL compiled to WASM (PGlite), in a data folder or in memory. */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDatabase, SqlRunner } from './sql.ts';

/** `dataDir` undefined → in memory (tests); otherwise the folder is created if needed. */
export async function openPglite(dataDir?: string): Promise<SqlDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Dates stay YYYY-MM-DD text and counts plain numbers, as node-postgres is set up in postgres.ts.
  const db = await PGlite.create(dataDir, { parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) } });
  const runner = (q: { query: PGlite['query']; exec: PGlite['exec'] }): SqlRunner => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await q.query<R>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...runner(db),
    transaction: (work) => db.transaction((tx) => work(runner(tx))),
    close: () => db.close(),
  };
}
