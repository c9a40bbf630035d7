/** Both databases for tests that touch storage: PGlite in memory, and PostgreSQL (TEST_DATABASE_URL) in a schema of its own. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SYSTEM_ACTOR } from '../../src/auth/roles.ts';
import { buildApp } from '../../src/http/app.ts';
import { dropSchema } from '../../src/storage/postgres.ts';
import { createUser, ensureArea, openDatabase, type SqlDatabase } from '../../src/storage/store.ts';
import { USERS, type UserKey } from '../http/setup.ts';
import { templatePacks, YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG } from './fixtures.ts';

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

export interface DbApi {
  app: FastifyInstance;
  db: SqlDatabase;
  tokens: Record<UserKey, string>;
  call: (user: UserKey | null, options: InjectOptions) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
}

/** The API of test/http/setup.ts (one user per role, three villages) on the given database. */
export async function startApiOn(database: TestDatabase, options: { excelLimit?: number } = {}): Promise<DbApi> {
  const db = await database.open();
  for (const area of [YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG]) await db.transaction((tx) => ensureArea(tx, area));
  const app = await buildApp({ db, packs: templatePacks, ui: false, ...options });
  const tokens = {} as Record<UserKey, string>;
  for (const [key, u] of Object.entries(USERS)) {
    await createUser(db, SYSTEM_ACTOR, { username: `u-${key}`, displayName: `测试${key}`, password: 'password-123', role: u.role, scope: { county: u.scope.county, town: u.scope.town ?? null, village: u.scope.village ?? null } });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `u-${key}`, password: 'password-123' } });
    tokens[key] = (res.json() as { token: string }).token;
  }
  return {
    app, db, tokens,
    call: (user, opts) => app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}) } }),
    close: async () => {
      await app.close();
      await database.close(db);
    },
  };
}
