/** Stale screenings and bulk re-screening on both databases: which households are stale and why, area scope, audit, start-up check. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledPack } from '../../src/core/pack/compile.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/auth/roles.ts';
import {
  checkPackVersions, countStale, createHousehold, ensureArea, listAudit, rescreenStale, screenStoredHousehold, updateHousehold, type SqlDatabase,
} from '../../src/storage/store.ts';
import { testDatabases } from './databases.ts';
import { household, templatePacks } from './fixtures.ts';

/** The template pack under a new version number, as after a pack update. */
function bumped(packs: readonly CompiledPack[]): CompiledPack[] {
  return packs.map((p) => ({ ...p, manifest: { ...p.manifest, version: `${p.manifest.version}-next` } }));
}

describe.each(testDatabases('rescreen'))('re-screening: $name', (database) => {
  let db: SqlDatabase;
  const suffix = Math.random().toString(36).slice(2, 6);
  const mine = { county: '渝北区', town: '兴隆镇', village: `重测村${suffix}` };
  const next = { county: '渝北区', town: '兴隆镇', village: `邻村${suffix}` };
  const nowhere = { county: '无包县', town: '某镇', village: `某村${suffix}` };
  const villageActor: Actor = { userId: null, username: 'rescreen-village', displayName: '村干部', role: '村社', scope: mine };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await database.open();
    for (const area of [mine, next, nowhere]) await db.transaction((tx) => ensureArea(tx, area));
    for (const key of ['a', 'b', 'c', 'never']) ids[key] = (await createHousehold(db, SYSTEM_ACTOR, household(mine))).id;
    ids.neighbour = (await createHousehold(db, SYSTEM_ACTOR, household(next))).id;
    for (const key of ['a', 'b', 'c']) await screenStoredHousehold(db, SYSTEM_ACTOR, ids[key] as string, templatePacks(), '2024-06-30');
    await screenStoredHousehold(db, SYSTEM_ACTOR, ids.neighbour as string, templatePacks(), '2024-06-30');
    // b changes after its screening.
    const b = household(mine);
    await updateHousehold(db, SYSTEM_ACTOR, ids.b as string, 1, { ...b, id: ids.b, centralWaterSupply: true });
  }, 60_000);
  afterAll(async () => {
    if (db) await database.close(db);
  });

  it('counts stale households in the area: changed households, then every screened one when a pack version changes', async () => {
    expect(await countStale(db, villageActor, templatePacks())).toEqual({ households: 4, screened: 3, stale: 1, householdChanged: 1, packsChanged: 0, unscreened: 1 });
    expect(await countStale(db, villageActor, bumped(templatePacks()))).toEqual({ households: 4, screened: 3, stale: 3, householdChanged: 1, packsChanged: 3, unscreened: 1 });
  });

  it('re-screens only the stale households of the area, stores the results with the household version, and audits them', async () => {
    const outcome = await rescreenStale(db, villageActor, templatePacks(), { date: '2024-07-01', batchSize: 2 });
    expect(outcome).toMatchObject({ date: '2024-07-01', households: 4, screened: 3, stale: 1, householdChanged: 1, rescreened: 1, failed: 0, unscreened: 1 });
    const latest = await db.query<{ id: string; household_version: number; date: string; version: number }>(
      'SELECT h.id, h.version, s.household_version, s.date FROM households h JOIN screenings s ON s.id = h.latest_screening_id WHERE h.id = ANY($1::text[]) ORDER BY h.id', [[ids.a, ids.b, ids.neighbour]]);
    const byId = new Map(latest.map((r) => [r.id, r]));
    expect(byId.get(ids.b as string)).toMatchObject({ household_version: 2, version: 2, date: '2024-07-01' });
    expect(byId.get(ids.a as string)?.date).toBe('2024-06-30');
    expect(byId.get(ids.neighbour as string)?.date).toBe('2024-06-30');
    expect(await countStale(db, villageActor, templatePacks())).toMatchObject({ stale: 0 });
    const log = await listAudit(db, { limit: 5 });
    expect(log[0]).toMatchObject({ action: 'rescreen', username: 'rescreen-village', detail: { rescreened: 1, area: `渝北区兴隆镇${mine.village}` } });
    expect(log[1]).toMatchObject({ action: 'screening.store', target: ids.b, detail: { rescreen: true, householdVersion: 2 } });
  });

  it('after a pack version change re-screens every screened household of the area, and the unscreened ones when asked', async () => {
    const packs = bumped(templatePacks());
    const outcome = await rescreenStale(db, villageActor, packs, { date: '2024-07-02', includeUnscreened: true });
    expect(outcome).toMatchObject({ stale: 3, packsChanged: 3, rescreened: 4, unscreened: 1 });
    const [row] = await db.query<{ packs: { version: string }[] }>('SELECT s.packs FROM households h JOIN screenings s ON s.id = h.latest_screening_id WHERE h.id = $1', [ids.never]);
    expect(row?.packs[0]?.version).toBe('1.0.0-next');
    expect(await countStale(db, villageActor, packs)).toMatchObject({ stale: 0, unscreened: 0 });
    // The neighbouring village was not touched.
    expect((await countStale(db, { ...villageActor, scope: next }, packs)).stale).toBe(1);
  });

  it('counts households the engine cannot screen as failures with their reason, and goes on', async () => {
    const lost = await createHousehold(db, SYSTEM_ACTOR, household(nowhere));
    const outcome = await rescreenStale(db, { ...villageActor, scope: { county: '无包县', town: null, village: null }, role: '区县管理员' }, templatePacks(), { includeUnscreened: true });
    expect(outcome).toMatchObject({ rescreened: 0, failed: 1 });
    expect(outcome.failures[0]).toMatchObject({ count: 1, households: [lost.id] });
    expect(outcome.failures[0]?.message).toContain('无包县');
  });

  it('at start-up records the pack versions, and after a change says how many households became stale', async () => {
    const packs = templatePacks();
    const first = await checkPackVersions(db, packs);
    expect(first).toMatch(/^记录政策包版本/);
    expect(await checkPackVersions(db, packs)).toBeNull();
    const changed = await checkPackVersions(db, bumped(packs));
    expect(changed).toContain('cq-yubei-2022 1.0.0 → 1.0.0-next');
    expect(changed).toMatch(/其中 \d+ 户需重新测算/);
    expect(changed).toContain('POST /api/screenings/rescreen');
  });
});
