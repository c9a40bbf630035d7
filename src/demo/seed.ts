/** @module First start: demo areas, synthetic households and one demo user per role, written once into an empty database. */
import { SYSTEM_ACTOR, type Role } from '../auth/roles.ts';
import { ensureArea } from '../storage/areas.ts';
import { insertHousehold } from '../storage/households.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { countUsers, createUser } from '../storage/users.ts';
import { DEMO_AREAS, generateHouseholds } from './generate.ts';

export const DEMO_PASSWORD = 'mingbai-demo';

export const DEMO_USERS: readonly { username: string; displayName: string; role: Role; scope: { county: string; town: string | null; village: string | null } }[] = [
  { username: 'demo-admin', displayName: '渝北区管理员（演示）', role: '区县管理员', scope: { county: '渝北区', town: null, village: null } },
  { username: 'demo-dept', displayName: '渝北区医保局（演示）', role: '部门', scope: { county: '渝北区', town: null, village: null } },
  { username: 'demo-town', displayName: '兴隆镇干部（演示）', role: '镇街', scope: { county: '渝北区', town: '兴隆镇', village: null } },
  { username: 'demo-village', displayName: '牌坊村干部（演示）', role: '村社', scope: { county: '渝北区', town: '兴隆镇', village: '牌坊村' } },
  { username: 'demo-helper', displayName: '牌坊村帮扶干部（演示）', role: '帮扶干部', scope: { county: '渝北区', town: '兴隆镇', village: '牌坊村' } },
  { username: 'demo-reader', displayName: '渝北区只读用户（演示）', role: '只读', scope: { county: '渝北区', town: null, village: null } },
  { username: 'demo-yuzhong', displayName: '渝中区管理员（演示）', role: '区县管理员', scope: { county: '渝中区', town: null, village: null } },
  { username: 'demo-zhengan', displayName: '正安县管理员（演示）', role: '区县管理员', scope: { county: '正安县', town: null, village: null } },
];

/** Seeds an empty database (no users yet); returns the number of households written, 0 if it was not empty. */
export async function seedDemo(db: SqlDatabase, households = 240): Promise<number> {
  if ((await countUsers(db)) > 0) return 0;
  const inputs = generateHouseholds(households);
  await db.transaction(async (tx) => {
    for (const area of DEMO_AREAS) await ensureArea(tx, area);
    for (const h of inputs) await insertHousehold(tx, SYSTEM_ACTOR, h);
  });
  for (const u of DEMO_USERS) await createUser(db, SYSTEM_ACTOR, { ...u, password: DEMO_PASSWORD });
  return inputs.length;
}
