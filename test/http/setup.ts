/** An API on a fresh in-memory database with one user per role, and helpers to call it as each of them. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SYSTEM_ACTOR, type Role } from '../../src/auth/roles.ts';
import { buildApp } from '../../src/http/app.ts';
import { createUser, ensureArea, openDatabase, type SqlDatabase } from '../../src/storage/store.ts';
import type { TestDatabase } from '../storage/databases.ts';
import { templatePacks, YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG } from '../storage/fixtures.ts';

export const USERS: Record<string, { role: Role; scope: { county: string | null; town?: string | null; village?: string | null } }> = {
  admin: { role: '区县管理员', scope: { county: '渝北区' } },
  dept: { role: '部门', scope: { county: '渝北区' } },
  town: { role: '镇街', scope: { county: '渝北区', town: '兴隆镇' } },
  village: { role: '村社', scope: YUBEI },
  otherVillage: { role: '村社', scope: YUBEI_OTHER_VILLAGE },
  helper: { role: '帮扶干部', scope: YUBEI },
  reader: { role: '只读', scope: { county: '渝北区' } },
  yuzhong: { role: '区县管理员', scope: { county: '渝中区' } },
};
export type UserKey = keyof typeof USERS;

export interface TestApi {
  app: FastifyInstance;
  db: SqlDatabase;
  tokens: Record<UserKey, string>;
  call: (user: UserKey | null, options: InjectOptions) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
}

type HarnessOptions = { bodyLimit?: number; excelLimit?: number; ui?: boolean };

/** The API on a fresh in-memory PGlite database. */
export function startApi(options: HarnessOptions = {}): Promise<TestApi> {
  return startApiOn({ name: 'PGlite', open: () => openDatabase({}), close: (db) => db.close() }, options);
}

/** The API on the given database (one user per role, three villages), for tests run on both databases. */
export async function startApiOn(database: TestDatabase, options: HarnessOptions = {}): Promise<TestApi> {
  const db = await database.open();
  for (const area of [YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG]) await db.transaction((tx) => ensureArea(tx, area));
  const app = await buildApp({ db, packs: templatePacks, ...options });
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
