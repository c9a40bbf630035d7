/** @module Opening the registry: PostgreSQL when DATABASE_URL is set, else the embedded database; migrations run on open. */
import { migrate } from './migrations.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { SqlDatabase } from './sql.ts';

export interface StoreConfig {
  /** postgres://… → PostgreSQL; absent → PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; absent → in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (tests give each file its own). */
  schema?: string | undefined;
}

export async function openDatabase(config: StoreConfig): Promise<SqlDatabase> {
  const db = config.databaseUrl
    ? await openPostgres({ connectionString: config.databaseUrl, schema: config.schema })
    : await openPglite(config.dataDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: env.MINGBAI_DATA_DIR || 'data/mingbai' };
}

export * from './sql.ts';
export * from './households.ts';
export * from './screenings.ts';
export * from './users.ts';
export * from './areas.ts';
export * from './audit.ts';
export * from './rescreen.ts';
