/** The storage contract: the same behaviour from every database the registry can run on. No mocks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/auth/roles.ts';
import {
  authenticate, createHousehold, createUser, deleteHousehold, editHousehold, ensureArea, getHousehold, householdHistory,
  getScreening, importHouseholds, listAudit, login, revealIdNumber, screenStoredHousehold, searchHouseholds, updateHousehold, type SqlDatabase,
} from '../../src/storage/store.ts';
import { migrate } from '../../src/storage/migrations.ts';
import { periodOf } from '../../src/core/evaluator/totals.ts';
import { domainError, household, idNumber, templatePacks, uniqueId, YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG } from './fixtures.ts';

export function storageContract(name: string, open: () => Promise<SqlDatabase>, close: (db: SqlDatabase) => Promise<void>): void {
  describe(`storage contract: ${name}`, () => {
    let db: SqlDatabase;
    let villager: Actor;
    let townUser: Actor;
    const suffix = Math.random().toString(36).slice(2, 8);

    beforeAll(async () => {
      db = await open();
      for (const area of [YUBEI, YUBEI_OTHER_VILLAGE, YUZHONG]) await db.transaction((tx) => ensureArea(tx, area));
      await createUser(db, SYSTEM_ACTOR, { username: `cun-${suffix}`, displayName: '村干部甲', password: 'secret-pass-1', role: '村社', scope: YUBEI });
      const session = await login(db, `cun-${suffix}`, 'secret-pass-1');
      villager = await authenticate(db, session.token);
      await createUser(db, SYSTEM_ACTOR, { username: `zhen-${suffix}`, displayName: '镇干部乙', password: 'secret-pass-2', role: '镇街', scope: { county: '渝北区', town: '兴隆镇' } });
      townUser = await authenticate(db, (await login(db, `zhen-${suffix}`, 'secret-pass-2')).token);
    }, 60_000);
    afterAll(async () => {
      if (db) await close(db);
    });

    it('migrations are recorded and running them again changes nothing', async () => {
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toContain(1);
    });

    it('creates a household at version 1 and lists it with 身份证号 masked', async () => {
      const input = household();
      const created = await createHousehold(db, villager, input);
      expect(created.version).toBe(1);
      expect(created.household.members[0]?.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      const page = await searchHouseholds(db, villager, { name: '张建国', idNumber: input.members[0]?.idNumber });
      expect(page.items.map((i) => i.id)).toEqual([input.id]);
      expect(page.items[0]?.headIdNumber).toMatch(/^500112\*{8}/);
      expect(page.items[0]?.categories).toEqual(['脱贫户']);
      expect(JSON.stringify(page)).not.toContain(input.members[0]?.idNumber);
    });

    it('records who entered a category', async () => {
      const created = await createHousehold(db, villager, household());
      expect(created.household.categories[0]?.recordedBy).toBe('村干部甲');
    });

    it('refuses an invalid 身份证号 with its field path and writes nothing', async () => {
      const input = household();
      (input.members[1] as { idNumber: string }).idNumber = '500112198001011235';
      const error = await domainError(createHousehold(db, villager, input));
      expect(error.code).toBe('invalid_input');
      expect(error.details).toMatchObject({ problems: [{ path: 'members[1].idNumber', message: '身份证号校验码错误' }] });
      expect((await db.query('SELECT 1 FROM households WHERE id = $1', [input.id])).length).toBe(0);
    });

    it('keeps 身份证号 unique across households, and the first household intact', async () => {
      const first = household();
      await createHousehold(db, villager, first);
      const second = household();
      (second.members[0] as { idNumber?: string }).idNumber = first.members[0]?.idNumber;
      const error = await domainError(createHousehold(db, villager, second));
      expect(error.code).toBe('conflict');
      expect(error.message).toContain('members[0].idNumber');
      expect((await db.query('SELECT 1 FROM households WHERE id = $1', [second.id])).length).toBe(0);
    });

    it('refuses an unregistered area', async () => {
      const error = await domainError(createHousehold(db, SYSTEM_ACTOR, household({ county: '渝北区', town: '不存在镇' })));
      expect(error.code).toBe('unknown_area');
    });

    it('updates with the current version, keeps history, and refuses a stale version with the current one', async () => {
      const input = household();
      await createHousehold(db, villager, input);
      const current = await getHousehold(db, villager, input.id);
      // The masked household read back can be sent back: masked numbers are matched to the stored ones.
      const next = { ...current.household, incomePerHead: { amountYuan: 650, period: '月' as const } };
      const updated = await updateHousehold(db, villager, input.id, 1, next);
      expect(updated.version).toBe(2);
      const stale = await domainError(updateHousehold(db, villager, input.id, 1, { ...next, centralWaterSupply: true }));
      expect(stale.code).toBe('conflict');
      expect(stale.details).toEqual({ currentVersion: 2 });
      const history = await householdHistory(db, villager, input.id);
      expect(history.map((h) => [h.version, h.action, h.username])).toEqual([[1, 'create', `cun-${suffix}`], [2, 'update', `cun-${suffix}`]]);
      expect(history[1]?.changes).toEqual([{ path: 'incomePerHead.amountYuan', before: 800, after: 650 }]);
      const stored = await db.query<{ data: { members: { idNumber: string }[] } }>('SELECT data FROM households WHERE id = $1', [input.id]);
      expect(stored[0]?.data.members[0]?.idNumber).toBe(input.members[0]?.idNumber);
    });

    it('an unchanged update keeps its version', async () => {
      const input = household();
      await createHousehold(db, villager, input);
      const same = await updateHousehold(db, villager, input.id, 1, input);
      expect([same.version, same.changed]).toEqual([1, false]);
    });

    it('edits members under the version check and deletes with history kept', async () => {
      const input = household();
      await createHousehold(db, villager, input);
      const added = await editHousehold(db, villager, input.id, 1, (h) => ({ ...h, members: [...h.members, { name: '张小明', idNumber: idNumber('男'), relation: '子女' }] }));
      expect(added.household.members).toHaveLength(3);
      expect((await domainError(deleteHousehold(db, villager, input.id, 2))).code).toBe('forbidden');
      await deleteHousehold(db, townUser, input.id, 2);
      expect((await domainError(getHousehold(db, villager, input.id))).code).toBe('not_found');
      const rows = await db.query<{ action: string }>('SELECT action FROM household_versions WHERE household_id = $1 ORDER BY version', [input.id]);
      expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
      // The deleted household's numbers are free again.
      await createHousehold(db, villager, { ...household(), members: input.members });
    });

    it('confines a 村社 user to its village on every read and write', async () => {
      const other = household(YUBEI_OTHER_VILLAGE);
      await createHousehold(db, SYSTEM_ACTOR, other);
      expect((await domainError(getHousehold(db, villager, other.id))).code).toBe('not_found');
      expect((await domainError(updateHousehold(db, villager, other.id, 1, other))).code).toBe('not_found');
      const elsewhere = household(YUZHONG);
      await createHousehold(db, SYSTEM_ACTOR, elsewhere);
      expect((await domainError(deleteHousehold(db, townUser, elsewhere.id, 1))).code).toBe('not_found');
      expect((await searchHouseholds(db, townUser, { county: '渝中区' })).total).toBe(0);
      expect((await domainError(revealIdNumber(db, villager, other.id, 0))).code).toBe('not_found');
      expect((await domainError(householdHistory(db, villager, other.id))).code).toBe('not_found');
      const byId = await searchHouseholds(db, villager, { idNumber: other.members[0]?.idNumber });
      expect(byId.total).toBe(0);
      const byVillage = await searchHouseholds(db, villager, { village: YUBEI_OTHER_VILLAGE.village });
      expect(byVillage.total).toBe(0);
      const all = await searchHouseholds(db, villager, { pageSize: 200 });
      expect(all.items.every((i) => i.area.village === YUBEI.village)).toBe(true);
      expect((await domainError(createHousehold(db, villager, household(YUBEI_OTHER_VILLAGE)))).code).toBe('forbidden');
      // Moving one's own household out of the village is refused too.
      const mine = household();
      await createHousehold(db, villager, mine);
      expect((await domainError(updateHousehold(db, villager, mine.id, 1, { ...mine, area: YUBEI_OTHER_VILLAGE }))).code).toBe('forbidden');
    });

    it('audits every write and every read of a full 身份证号, and the log cannot be changed', async () => {
      const input = household();
      await createHousehold(db, villager, input);
      const revealed = await revealIdNumber(db, villager, input.id, 1);
      expect(revealed.idNumber).toBe(input.members[1]?.idNumber);
      const log = await listAudit(db, { limit: 5 });
      expect(log[0]).toMatchObject({ action: 'idcard.read', target: input.id, username: `cun-${suffix}` });
      expect(log[1]).toMatchObject({ action: 'household.create', target: input.id });
      await expect(db.query('UPDATE audit_log SET action = $1', ['x'])).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });

    it('stores a screening with the pack versions used and filters by policy status', async () => {
      const input = household();
      await createHousehold(db, villager, input);
      const stored = await screenStoredHousehold(db, villager, input.id, templatePacks(), '2023-06-30');
      expect(stored.householdVersion).toBe(1);
      expect(stored.packs.map((p) => p.id)).toContain('cq-yubei-2022');
      const eligible = stored.result.decisions.find((d) => d.status === 'eligible');
      expect(eligible).toBeDefined();
      const found = await searchHouseholds(db, villager, { policy: eligible?.policy, status: 'eligible', idNumber: input.members[0]?.idNumber });
      expect(found.items.map((i) => i.id)).toEqual([input.id]);
    });

    it('gives each amount its period, also in a screening stored before amounts carried one', async () => {
      const input = household();
      await createHousehold(db, villager, input);
      const stored = await screenStoredHousehold(db, villager, input.id, templatePacks(), '2023-06-30');
      const paid = stored.result.decisions.filter((d) => d.amount);
      expect(paid.length).toBeGreaterThan(0);
      for (const d of paid) expect(d.amount?.period).toBe(periodOf(d.amount?.unit ?? ''));
      // Strip the periods from the stored JSON, as a screening written by an earlier version has none.
      await db.query(`UPDATE screenings SET result = jsonb_set(result, '{decisions}', (SELECT jsonb_agg(CASE WHEN d->'amount' = 'null'::jsonb THEN d
        ELSE jsonb_set(d, '{amount}', (d->'amount') - 'period') END) FROM jsonb_array_elements(result->'decisions') d)) WHERE id = $1`, [stored.id]);
      const [raw] = await db.query<{ result: { decisions: { amount: Record<string, unknown> | null }[] } }>('SELECT result FROM screenings WHERE id = $1', [stored.id]);
      expect(raw?.result.decisions.some((d) => d.amount && 'period' in d.amount)).toBe(false);
      const old = await getScreening(db, villager, input.id, stored.id);
      expect(old.result.decisions.filter((d) => d.amount).map((d) => d.amount?.period)).toEqual(paid.map((d) => d.amount?.period));
      expect(old.totals).toEqual(stored.totals);
    });

    it('imports all or nothing, and re-importing the same households changes nothing', async () => {
      const a = household();
      const b = household();
      const outcome = await importHouseholds(db, villager, [{ household: a }, { household: b }]);
      expect(outcome.created).toEqual([a.id, b.id]);
      const again = await importHouseholds(db, villager, [{ household: { ...a, id: uniqueId() } }, { household: b }]);
      expect(again).toEqual({ created: [], updated: [], unchanged: [a.id, b.id] });
      const c = household();
      const bad = household();
      (bad.members[0] as { idNumber?: string }).idNumber = a.members[1]?.idNumber; // belongs to another household already
      (bad.members[1] as { idNumber?: string }).idNumber = b.members[1]?.idNumber;
      const error = await domainError(importHouseholds(db, villager, [{ household: c }, { household: bad }]));
      expect(error.details).toMatchObject({ problems: [{ index: 1 }] });
      expect((await db.query('SELECT 1 FROM households WHERE id = $1', [c.id])).length).toBe(0);
    });

    it('serialises concurrent updates: exactly one of two writers with the same version wins', async () => {
      const input = household();
      await createHousehold(db, villager, input);
      const results = await Promise.allSettled([
        updateHousehold(db, villager, input.id, 1, { ...input, centralWaterSupply: true }),
        updateHousehold(db, villager, input.id, 1, { ...input, centralWaterSupply: false }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as DomainError).code).toBe('conflict');
    });

    it('rejects a wrong password and an unknown token', async () => {
      expect((await domainError(login(db, `cun-${suffix}`, 'wrong-password'))).code).toBe('unauthenticated');
      expect((await domainError(authenticate(db, 'not-a-token'))).code).toBe('unauthenticated');
    });
  });
}
