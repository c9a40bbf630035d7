/** Both databases for tests that touch storage: PGlite in memory, and PostgreSQL (TEST_DATABASE_URL) in a schema of its own. */
import { dropSchema } from '../../src/storage/postgres.ts';
import { openDatabase, type SqlDatabase } from '../../src/storage/store.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: 'PGlite' | 'PostgreSQL';
  /** A fresh, migrated database; PostgreSQL fails (never skips) when the server is down. */
  open: () => Promise<SqlDatabase>;
  close: (db: SqlDatabase) => Promise<void>;
}

let counter = 0;

export function testDatabases(tag: string): TestDatabase[] {
  const schemas = new WeakMap<SqlDatabase, string>();
  return [
    { name: 'PGlite', open: () => openDatabase({}), close: (db) => db.close() },
    {
      name: 'PostgreSQL',
      open: async () => {
        counter += 1;
        const schema = `${tag}_${process.pid}_${Date.now().toString(36)}_${counter}`;
        const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema });
        schemas.set(db, schema);
        return db;
      },
      close: async (db) => {
        await db.close();
        const schema = schemas.get(db);
        if (schema) await dropSchema(TEST_DATABASE_URL, schema);
      },
    },
  ];
}

export { startApiOn, type TestApi as DbApi } from '../http/setup.ts';
