/** @module PostgreSQL through node-postgres: a pool, optionally confined to one schema (tests run each file in its own). */
import pg from 'pg';
import type { SqlDatabase, SqlRunner } from './sql.ts';

// Dates stay YYYY-MM-DD text (never shifted by the server's time zone); counts (int8) become numbers.
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface PostgresOptions {
  connectionString: string;
  /** Schema to create if absent and put first on the search_path of every connection. */
  schema?: string;
  max?: number;
}

export async function openPostgres(options: PostgresOptions): Promise<SqlDatabase> {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  if (schema) {
    const setup = new pg.Client({ connectionString: options.connectionString });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A dropped idle connection must not crash the server; the next query gets a fresh one.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  const runner = (q: { query: pg.Pool['query'] }): SqlRunner => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await q.query(sql, [...params])).rows as R[];
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...runner(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(runner(client as unknown as { query: pg.Pool['query'] }));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Drops a schema made by `openPostgres({ schema })` (test clean-up). */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
