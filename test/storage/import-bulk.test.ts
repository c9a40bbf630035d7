/** The bulk import on both databases: one transaction, every problem reported at once, the claims no two rows of a file may share. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import type { Household } from '../../src/core/model/household.ts';
import { maskIdCard } from '../../src/core/model/id-card.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/auth/roles.ts';
import { ensureArea, getHouseholdUnmasked, householdHistory, importHouseholds, listAudit, type SqlDatabase } from '../../src/storage/store.ts';
import { testDatabases } from './databases.ts';
import { household, idNumber, uniqueId, YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG } from './fixtures.ts';

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

const village: Actor = { userId: null, username: 'bulk-village', displayName: '村干部', role: '村社', scope: { county: YUBEI.county, town: YUBEI.town, village: YUBEI.village } };

describe.each(testDatabases('bulk'))('bulk import: $name', (database) => {
  let db: SqlDatabase;
  beforeAll(async () => {
    db = await database.open();
    for (const area of [YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG]) await db.transaction((tx) => ensureArea(tx, area));
  }, 60_000);
  afterAll(async () => {
    if (db) await database.close(db);
  });

  const count = async (ids: string[]) => Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM households WHERE id = ANY($1::text[])', [ids]))[0]?.n);

  it('writes many households in batches, reports progress, and audits each household and the import', async () => {
    const items = Array.from({ length: 23 }, () => ({ household: household() }));
    const seen: number[] = [];
    const outcome = await importHouseholds(db, village, items, { batchSize: 5, onProgress: (done, total) => seen.push(done, total) });
    expect(outcome.created).toEqual(items.map((i) => (i.household as { id: string }).id));
    expect(seen).toEqual([5, 23, 10, 23, 15, 23, 20, 23, 23, 23]);
    const members = await db.query<{ n: number }>('SELECT count(*) AS n FROM members WHERE household_id = ANY($1::text[])', [outcome.created]);
    expect(Number(members[0]?.n)).toBe(46);
    const history = await householdHistory(db, village, outcome.created[7] as string);
    expect(history.map((h) => [h.version, h.action])).toEqual([[1, 'create']]);
    const log = await listAudit(db, { limit: 30 });
    expect(log[0]).toMatchObject({ action: 'import', detail: { created: 23 } });
    expect(log.filter((e) => e.action === 'household.create' && outcome.created.includes(e.target ?? ''))).toHaveLength(23);
  });

  it('checks every household and reports all problems together, with the index of each; nothing is written', async () => {
    const good = household();
    const invalid = household();
    (invalid.members[0] as { idNumber?: string }).idNumber = '500112198001011235';
    const elsewhere = household(YUBEI_OTHER_VILLAGE);
    const unknownArea = household({ county: '渝北区', town: '兴隆镇', village: '不存在村' });
    const error = await refused(importHouseholds(db, SYSTEM_ACTOR, [{ household: good }, { household: invalid }, { household: elsewhere }, { household: unknownArea }], { batchSize: 2 }));
    expect(error.code).toBe('invalid_input');
    expect((error.details as { problems: unknown[] }).problems).toEqual([
      expect.objectContaining({ index: 1, path: 'members[0].idNumber', message: '身份证号校验码错误' }),
      expect.objectContaining({ index: 3, code: 'unknown_area', path: 'area' }),
    ]);
    expect(await count([good.id, elsewhere.id])).toBe(0);
    const scoped = await refused(importHouseholds(db, village, [{ household: household() }, { household: household(YUBEI_OTHER_VILLAGE) }]));
    expect(scoped.code).toBe('forbidden');
    expect((scoped.details as { problems: { index: number }[] }).problems.map((p) => p.index)).toEqual([1]);
  });

  it('refuses one 身份证号 in two households of a file, and two households that are the same registered one', async () => {
    const a = household();
    const b = household();
    (b.members[1] as { idNumber?: string }).idNumber = a.members[0]?.idNumber;
    const dup = await refused(importHouseholds(db, village, [{ household: a }, { household: b }]));
    expect((dup.details as { problems: unknown[] }).problems).toEqual([expect.objectContaining({ index: 1, path: 'members[1].idNumber', message: `身份证号与本文件中的户“${a.id}”的成员重复` })]);
    await importHouseholds(db, village, [{ household: a }]);
    const half1 = { ...a, id: uniqueId(), members: [a.members[0], { name: '新成员', idNumber: idNumber('女'), relation: '配偶' as const }] };
    const half2 = { ...a, id: uniqueId(), members: [{ ...a.members[1], relation: '户主' as const }] };
    const twice = await refused(importHouseholds(db, village, [{ household: half1 }, { household: half2 }]));
    expect((twice.details as { problems: { index: number; message: string }[] }).problems[0]).toMatchObject({ index: 1, message: `与本文件中的户“${half1.id}”对应同一个已登记的户“${a.id}”` });
  });

  it('a household without any 身份证号 is matched by its 户编号 in one\'s own area, so re-importing it changes nothing', async () => {
    const h = household(YUBEI, { members: [{ name: '无证户主', birthDate: '1950-03-04', relation: '户主' }] });
    expect((await importHouseholds(db, village, [{ household: h }])).created).toEqual([h.id]);
    expect(await importHouseholds(db, village, [{ household: h }])).toEqual({ created: [], updated: [], unchanged: [h.id] });
    const changed = await importHouseholds(db, village, [{ household: { ...h, centralWaterSupply: true } }]);
    expect(changed.updated).toEqual([h.id]);
    // Another area's household with that 户编号 is not touched: the 户编号 is taken.
    const other: Actor = { ...village, scope: { county: YUBEI.county, town: YUBEI.town, village: YUBEI_OTHER_VILLAGE.village } };
    const taken = await refused(importHouseholds(db, other, [{ household: { ...h, area: YUBEI_OTHER_VILLAGE } }]));
    expect(taken.code).toBe('conflict');
  });

  it('an update goes through `merge` with the stored household, and masked 身份证号 stand for the registered members', async () => {
    const h = household(YUBEI, { centralWaterSupply: true });
    await importHouseholds(db, village, [{ household: h }]);
    const masked = { ...h, centralWaterSupply: undefined, members: h.members.map((m) => ({ ...m, idNumber: maskIdCard(m.idNumber as string) })) };
    const outcome = await importHouseholds(db, village, [{ household: masked, merge: (stored: Household, input: unknown) => ({ ...(input as object), centralWaterSupply: stored.centralWaterSupply, incomePerHead: { amountYuan: 900, period: '月' } }) }]);
    expect(outcome.updated).toEqual([h.id]);
    const stored = await getHouseholdUnmasked(db, village, h.id);
    expect(stored.household.centralWaterSupply).toBe(true);
    expect(stored.household.incomePerHead?.amountYuan).toBe(900);
    expect(stored.household.members.map((m) => m.idNumber)).toEqual(h.members.map((m) => m.idNumber));
    const unknown = { ...household(), members: [{ name: '某', idNumber: '500112********1234', relation: '户主' }] };
    const error = await refused(importHouseholds(db, village, [{ household: unknown }]));
    expect((error.details as { problems: { path: string; message: string }[] }).problems[0]).toMatchObject({ path: 'members[0].idNumber' });
    expect((error.details as { problems: { message: string }[] }).problems[0]?.message).toContain('脱敏');
  });
});
