/** screen --all on both databases: every stored compact result equals interpretHousehold()'s decisions for that household. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/auth/roles.ts';
import { formatProgress, runPolicies, screenAll, screenArea, type ScreenAllProgress } from '../../src/batch/screen-all.ts';
import { interpretHousehold } from '../../src/core/evaluator/evaluate.ts';
import { FastScreener } from '../../src/core/evaluator/fast-screen.ts';
import type { Household } from '../../src/core/model/household.ts';
import type { CompiledPack } from '../../src/core/pack/compile.ts';
import { loadPacks } from '../../src/packs/load.ts';
import { ensureArea, insertHousehold, type SqlDatabase } from '../../src/storage/store.ts';
import { householdAt } from '../../bench/population.ts';
import { testDatabases } from '../storage/databases.ts';

const DATE = '2023-06-30';
const HOUSEHOLDS = 120;

/** What a stored row should hold for a interpretHousehold result. */
function expected(packs: readonly CompiledPack[], h: Household) {
  const r = interpretHousehold(packs, h, DATE, { explain: false });
  const code = { eligible: '1', ineligible: '0', undetermined: '2' } as const;
  const number = new Map(runPolicies(packs).map((id, i) => [id, i]));
  const who = (d: (typeof r.decisions)[number]) => `${number.get(d.policy)}/${d.member ? d.member.index : '-'}`;
  const eligible = r.decisions.filter((d) => d.status === 'eligible').map((d) => `${who(d)}/${d.amount?.fen ?? ''}`);
  return {
    statuses: r.decisions.map((d) => code[d.status]).join(''),
    eligible: eligible.join(','),
    undetermined: r.decisions.filter((d) => d.status === 'undetermined').map(who).join(','),
    eligible_count: eligible.length,
  };
}

for (const database of testDatabases('batch')) {
  describe(`screen --all on ${database.name}`, () => {
    let db: SqlDatabase;
    const packs = loadPacks();
    beforeAll(async () => {
      db = await database.open();
      await db.transaction(async (tx) => {
        for (let i = 0; i < HOUSEHOLDS; i++) {
          const h = householdAt(7, i);
          await ensureArea(tx, h.area);
          await insertHousehold(tx, SYSTEM_ACTOR, h);
        }
      });
    }, 60_000);
    afterAll(async () => {
      if (db) await database.close(db);
    });

    it('stores, for every household, exactly interpretHousehold()\'s decisions (small pages, one area and all)', async () => {
      const progress: ScreenAllProgress[] = [];
      const outcome = await screenAll(db, packs, { date: DATE, batchSize: 17, onProgress: (p) => progress.push(p) });
      expect(outcome.households).toBe(HOUSEHOLDS);
      expect(outcome.failed).toBe(0);
      expect(progress.length).toBe(Math.ceil(HOUSEHOLDS / 17));
      expect(progress.at(-1)?.persons).toBe(outcome.totalPersons);
      expect(formatProgress(progress.at(-1) as ScreenAllProgress)).toMatch(/^已测算 \d+\/\d+ 人（120 户），每秒 \d+ 人$/);

      const stored = await db.query<{ id: string; data: Household; statuses: string; eligible: string; undetermined: string; eligible_count: number; household_version: number }>(
        `SELECT h.id, h.data, r.statuses, r.eligible, r.undetermined, r.eligible_count, r.household_version
         FROM households h JOIN batch_results r ON r.household_id = h.id AND r.run_id = $1 ORDER BY h.id`, [outcome.runId]);
      expect(stored.length).toBe(HOUSEHOLDS);
      let eligible = 0;
      for (const row of stored) {
        const got = { statuses: row.statuses, eligible: row.eligible, undetermined: row.undetermined, eligible_count: row.eligible_count };
        expect(got, row.id).toEqual(expected(packs, row.data));
        expect(row.household_version).toBe(1);
        eligible += row.eligible_count;
      }
      expect(eligible).toBe(outcome.eligibleDecisions);
      expect(eligible).toBeGreaterThan(0);

      // One town only, and the same run again is idempotent per (run, household).
      const town = (stored[0] as { data: Household }).data.area.town as string;
      const one = await screenAll(db, packs, { date: DATE, area: { county: '渝北区', town } });
      const inTown = stored.filter((r) => r.data.area.town === town).length;
      expect(one.households).toBe(inTown);
      const count = async () => Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM batch_results WHERE run_id = $1', [one.runId]))[0]?.n);
      expect(await count()).toBe(inTown);
      // A retried job (the same area of the same run again) leaves the same rows.
      const before = await db.query('SELECT * FROM batch_results WHERE run_id = $1 ORDER BY household_id', [one.runId]);
      await screenArea(db, new FastScreener(packs), one.runId, DATE, { county: '渝北区', town });
      expect(await db.query('SELECT * FROM batch_results WHERE run_id = $1 ORDER BY household_id', [one.runId])).toEqual(before);
    }, 60_000);
  });
}
