/**
 * @module Stale screenings and bulk re-screening. A household's latest screening is stale when the household changed since
 * (its version moved on) or when the packs that would be used for it now differ from the ones it recorded (a pack was added,
 * removed or got a new version).
 */
import { DomainError } from '../core/errors.ts';
import { screenHousehold, type ScreeningOptions } from '../core/evaluator/evaluate.ts';
import { selectPacks } from '../core/evaluator/select-packs.ts';
import type { Household } from '../core/model/household.ts';
import type { CompiledPack } from '../core/pack/compile.ts';
import { describeScope, requirePermission, scopeCondition, SYSTEM_ACTOR, type Actor } from '../auth/roles.ts';
import { recordAudit } from './audit.ts';
import { storeScreenings, type ScreeningToStore } from './screenings.ts';
import type { SqlDatabase, SqlRunner } from './sql.ts';

export interface StaleCounts {
  /** Live households in the area. */
  households: number;
  /** Of them, households with a stored screening. */
  screened: number;
  /** Screened households whose latest screening is stale (either reason). */
  stale: number;
  /** … because the household changed since. */
  householdChanged: number;
  /** … because the packs for it changed since. */
  packsChanged: number;
  /** Households never screened (not stale, but without any result). */
  unscreened: number;
}

type PackRef = { id: string; version: string };

/** The packs a screening of a household in `county` on `date` would use now, as stored in screenings; '[]' when there are none. */
function packsNow(packs: readonly CompiledPack[], cache: Map<string, string>, county: string, date: string): string {
  const key = `${county}|${date}`;
  let now = cache.get(key);
  if (now === undefined) {
    try {
      now = JSON.stringify(selectPacks(packs, county, date).map((p) => ({ id: p.manifest.id, version: p.manifest.version })));
    } catch {
      now = '[]';
    }
    cache.set(key, now);
  }
  return now;
}

const samePacks = (stored: PackRef[], now: string) => JSON.stringify(stored.map((p) => ({ id: p.id, version: p.version }))) === now;

/** How many households of the actor's area (everything for SYSTEM_ACTOR) have a stale latest screening: one grouped query. */
export async function countStale(db: SqlRunner, actor: Actor, packs: readonly CompiledPack[]): Promise<StaleCounts> {
  requirePermission(actor, 'household.read');
  const params: unknown[] = [];
  const rows = await db.query<{ county: string; date: string | null; packs: PackRef[] | null; n: number; changed: number }>(
    `SELECT h.county, s.date, s.packs, count(*) AS n, count(*) FILTER (WHERE s.household_version <> h.version) AS changed
     FROM households h LEFT JOIN screenings s ON s.id = h.latest_screening_id
     WHERE h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', params)} GROUP BY h.county, s.date, s.packs`, params);
  const counts: StaleCounts = { households: 0, screened: 0, stale: 0, householdChanged: 0, packsChanged: 0, unscreened: 0 };
  const cache = new Map<string, string>();
  for (const r of rows) {
    const n = Number(r.n);
    const changed = Number(r.changed);
    counts.households += n;
    if (r.date === null || r.packs === null) {
      counts.unscreened += n;
      continue;
    }
    counts.screened += n;
    counts.householdChanged += changed;
    const packsChanged = !samePacks(r.packs, packsNow(packs, cache, r.county, r.date));
    if (packsChanged) counts.packsChanged += n;
    counts.stale += packsChanged ? n : changed;
  }
  return counts;
}

export interface RescreenOptions {
  /** Date of the new screenings (default today). */
  date?: string | undefined;
  local?: ScreeningOptions['local'];
  /** Also screen households that were never screened (default false). */
  includeUnscreened?: boolean | undefined;
  /** Households per transaction (default 200). */
  batchSize?: number | undefined;
  onProgress?: (progress: { checked: number; rescreened: number; failed: number }) => void;
}

export interface RescreenOutcome extends StaleCounts {
  date: string;
  /** Households screened anew and stored. */
  rescreened: number;
  /** Households the engine could not screen (no pack for the area or date, …), grouped by reason. */
  failed: number;
  failures: { message: string; count: number; households: string[] }[];
}

/**
 * Re-screens every stale household of the actor's area (and, if asked, every unscreened one) in batches: each batch is one
 * transaction that locks its households, screens their current version and stores the results as their latest screenings.
 * A household the engine cannot screen is counted with its reason; the others go on. Audited per household and in total.
 */
export async function rescreenStale(db: SqlDatabase, actor: Actor, packs: readonly CompiledPack[], options: RescreenOptions = {}): Promise<RescreenOutcome> {
  requirePermission(actor, 'screening.store');
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const outcome: RescreenOutcome = { date, households: 0, screened: 0, stale: 0, householdChanged: 0, packsChanged: 0, unscreened: 0, rescreened: 0, failed: 0, failures: [] };
  const failures = new Map<string, { message: string; count: number; households: string[] }>();
  const cache = new Map<string, string>();
  let after = '';
  for (;;) {
    const params: unknown[] = [after];
    const page = await db.query<{ id: string; version: number; county: string; screened_version: number | null; date: string | null; packs: PackRef[] | null }>(
      `SELECT h.id, h.version, h.county, s.household_version AS screened_version, s.date, s.packs
       FROM households h LEFT JOIN screenings s ON s.id = h.latest_screening_id
       WHERE h.deleted_at IS NULL AND h.id > $1 AND ${scopeCondition(actor.scope, 'h', params)} ORDER BY h.id LIMIT ${batchSize}`, params);
    if (page.length === 0) break;
    after = (page[page.length - 1] as { id: string }).id;
    const due: string[] = [];
    for (const r of page) {
      outcome.households += 1;
      if (r.date === null || r.packs === null || r.screened_version === null) {
        outcome.unscreened += 1;
        if (options.includeUnscreened) due.push(r.id);
        continue;
      }
      outcome.screened += 1;
      const householdChanged = r.screened_version !== r.version;
      const packsChanged = !samePacks(r.packs, packsNow(packs, cache, r.county, r.date));
      if (householdChanged) outcome.householdChanged += 1;
      if (packsChanged) outcome.packsChanged += 1;
      if (householdChanged || packsChanged) {
        outcome.stale += 1;
        due.push(r.id);
      }
    }
    if (due.length > 0) {
      await db.transaction(async (tx) => {
        const lockParams: unknown[] = [due];
        const rows = await tx.query<{ id: string; version: number; data: Household }>(`SELECT h.id, h.version, h.data FROM households h
          WHERE h.id = ANY($1::text[]) AND h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', lockParams)} ORDER BY h.id FOR UPDATE`, lockParams);
        const entries: ScreeningToStore[] = [];
        for (const row of rows) {
          try {
            entries.push({ householdId: row.id, householdVersion: row.version, result: screenHousehold(packs, row.data, date, { local: options.local }) });
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            const f = failures.get(error.message) ?? { message: error.message, count: 0, households: [] };
            f.count += 1;
            if (f.households.length < 20) f.households.push(row.id);
            failures.set(error.message, f);
            outcome.failed += 1;
          }
        }
        await storeScreenings(tx, actor, entries, { rescreen: true });
        outcome.rescreened += entries.length;
      });
    }
    options.onProgress?.({ checked: outcome.households, rescreened: outcome.rescreened, failed: outcome.failed });
  }
  outcome.failures = [...failures.values()].sort((a, b) => b.count - a.count);
  await recordAudit(db, actor, 'rescreen', null, { ...outcome, area: describeScope(actor.scope), failures: outcome.failures.map((f) => ({ message: f.message, count: f.count })) });
  return outcome;
}

/**
 * At start-up: records the pack versions now in use and, when they differ from the ones recorded at the previous start,
 * says how many households' latest screenings became stale. Returns the message to log, or null when nothing changed.
 */
export async function checkPackVersions(db: SqlDatabase, packs: readonly CompiledPack[]): Promise<string | null> {
  const now = new Map(packs.map((p) => [p.manifest.id, p.manifest.version]));
  const before = new Map((await db.query<{ id: string; version: string }>('SELECT id, version FROM pack_versions_seen')).map((r) => [r.id, r.version]));
  const changes: string[] = [];
  for (const [id, version] of now) {
    const old = before.get(id);
    if (old === undefined) changes.push(`${id} 新增（${version}）`);
    else if (old !== version) changes.push(`${id} ${old} → ${version}`);
  }
  for (const [id, version] of before) if (!now.has(id)) changes.push(`${id} 已移除（原 ${version}）`);
  if (changes.length === 0) return null;
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM pack_versions_seen WHERE NOT (id = ANY($1::text[]))', [[...now.keys()]]);
    await tx.query(`INSERT INTO pack_versions_seen (id, version) SELECT * FROM unnest($1::text[], $2::text[])
      ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, seen_at = now()`, [[...now.keys()], [...now.values()]]);
  });
  const counts = await countStale(db, SYSTEM_ACTOR, packs);
  const what = before.size === 0 ? `记录政策包版本（${packs.length} 个）` : `政策包版本已变化：${changes.join('；')}`;
  if (counts.screened === 0) return `${what}。`;
  return `${what}。${counts.screened} 户已有测算结果，其中 ${counts.stale} 户需重新测算（政策包变化 ${counts.packsChanged} 户，户信息变化 ${counts.householdChanged} 户）；可调用 POST /api/screenings/rescreen 批量重新测算。`;
}
