/** @module Stored screenings: the engine's answer for a stored household, with the household version and pack versions it used. */
import { DomainError } from '../core/errors.ts';
import type { DecisionAmount, ScreeningResult } from '../core/evaluator/decision.ts';
import { screenHousehold, type ScreeningOptions } from '../core/evaluator/evaluate.ts';
import { selectPacks } from '../core/evaluator/select-packs.ts';
import { periodOf, totalEntitlements, type Totals } from '../core/evaluator/totals.ts';
import type { CompiledPack } from '../core/pack/compile.ts';
import { requirePermission, scopeCondition, type Actor } from '../auth/roles.ts';
import { recordAuditMany } from './audit.ts';
import { getHouseholdUnmasked, maskDeep } from './households.ts';
import { isoTime, type SqlDatabase, type SqlRunner } from './sql.ts';

export interface StoredScreening {
  id: number;
  householdId: string;
  householdVersion: number;
  date: string;
  packs: { id: string; version: string }[];
  createdAt: string;
  username: string | null;
  result: ScreeningResult;
  totals: Totals;
}

export interface Staleness {
  /** The household changed since this screening. */
  householdChanged: boolean;
  /** The packs that would be used today differ (new pack or new version). */
  packsChanged: boolean;
}

type ScreeningRow = { id: number; household_id: string; household_version: number; date: string; packs: StoredScreening['packs']; result: ScreeningResult; created_at: Date; username: string | null };

const toScreening = (r: ScreeningRow): StoredScreening => {
  const result = withPeriods(r.result);
  return {
    id: r.id, householdId: r.household_id, householdVersion: r.household_version, date: r.date, packs: r.packs,
    createdAt: isoTime(r.created_at), username: r.username, result, totals: totalEntitlements(result.decisions),
  };
};

/** Screenings stored before amounts carried their period get it from their unit, as the evaluator gives it now. */
function withPeriods(result: ScreeningResult): ScreeningResult {
  for (const d of result.decisions) {
    const amount = d.amount as (Omit<DecisionAmount, 'period'> & { period?: DecisionAmount['period'] }) | null;
    if (amount && amount.period === undefined) amount.period = periodOf(amount.unit);
  }
  return result;
}

export interface ScreeningToStore { householdId: string; householdVersion: number; result: ScreeningResult }

/** Keeps screenings (one per household) in a few statements and makes each its household's latest; returns their ids by household. */
export async function storeScreenings(tx: SqlRunner, actor: Actor, entries: readonly ScreeningToStore[], auditDetail: Record<string, unknown> = {}): Promise<Map<string, number>> {
  if (entries.length === 0) return new Map();
  const rows = await tx.query<{ id: number; household_id: string }>(`INSERT INTO screenings (household_id, household_version, date, packs, result, user_id)
    SELECT t.household_id, t.household_version, t.date::date, t.packs::jsonb, t.result::jsonb, $1
    FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(household_id, household_version, date, packs, result, n)
    ORDER BY t.n RETURNING id, household_id`,
  [actor.userId, entries.map((e) => e.householdId), entries.map((e) => e.householdVersion), entries.map((e) => e.result.date),
    entries.map((e) => JSON.stringify(e.result.packs)), entries.map((e) => JSON.stringify(e.result))]);
  const ids = new Map(rows.map((r) => [r.household_id, r.id]));
  const cols: unknown[][] = [[], [], [], [], [], [], []];
  for (const e of entries) {
    for (const d of e.result.decisions) {
      [ids.get(e.householdId), e.householdId, d.policy, d.member?.index ?? null, d.status, d.amount?.fen ?? null, d.amount?.unit ?? null].forEach((v, i) => cols[i]?.push(v));
    }
  }
  await tx.query(`INSERT INTO screening_decisions (screening_id, household_id, policy, member_index, status, fen, unit)
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::bigint[], $7::text[])`, cols);
  await tx.query('UPDATE households h SET latest_screening_id = t.sid FROM unnest($1::text[], $2::int[]) AS t(id, sid) WHERE h.id = t.id',
    [[...ids.keys()], [...ids.values()]]);
  await recordAuditMany(tx, actor, entries.map((e) => ({
    action: 'screening.store' as const, target: e.householdId,
    detail: { screening: ids.get(e.householdId), householdVersion: e.householdVersion, date: e.result.date, packs: e.result.packs, ...auditDetail },
  })));
  return ids;
}

/** Screens the stored household (current version) and keeps the result; it becomes the household's latest screening. */
export async function screenStoredHousehold(db: SqlDatabase, actor: Actor, id: string, packs: readonly CompiledPack[], date: string, options: ScreeningOptions = {}): Promise<StoredScreening> {
  requirePermission(actor, 'screening.store');
  return db.transaction(async (tx) => {
    await getHouseholdUnmasked(tx, actor, id);
    await tx.query('SELECT 1 FROM households WHERE id = $1 FOR UPDATE', [id]);
    const record = await getHouseholdUnmasked(tx, actor, id);
    const result = screenHousehold(packs, record.household, date, options);
    const ids = await storeScreenings(tx, actor, [{ householdId: id, householdVersion: record.version, result }]);
    const [stored] = await tx.query<ScreeningRow>(`SELECT s.id, s.household_id, s.household_version, s.date, s.packs, s.result, s.created_at, u.username
      FROM screenings s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = $1`, [ids.get(id)]);
    return toScreening(stored as ScreeningRow);
  });
}

export async function listScreenings(db: SqlRunner, actor: Actor, householdId: string): Promise<Omit<StoredScreening, 'result' | 'totals'>[]> {
  await getHouseholdUnmasked(db, actor, householdId);
  const rows = await db.query<ScreeningRow>(`SELECT s.id, s.household_id, s.household_version, s.date, s.packs, s.created_at, u.username
    FROM screenings s LEFT JOIN users u ON u.id = s.user_id WHERE s.household_id = $1 ORDER BY s.id DESC`, [householdId]);
  return rows.map((r) => ({
    id: r.id, householdId: r.household_id, householdVersion: r.household_version, date: r.date, packs: r.packs, createdAt: isoTime(r.created_at), username: r.username,
  }));
}

/** A stored screening of a household in the actor's scope; member 身份证号 never appear in it. */
export async function getScreening(db: SqlRunner, actor: Actor, householdId: string, screeningId: number): Promise<StoredScreening> {
  await getHouseholdUnmasked(db, actor, householdId);
  const [row] = await db.query<ScreeningRow>(`SELECT s.id, s.household_id, s.household_version, s.date, s.packs, s.result, s.created_at, u.username
    FROM screenings s LEFT JOIN users u ON u.id = s.user_id WHERE s.household_id = $1 AND s.id = $2`, [householdId, screeningId]);
  if (!row) throw new DomainError('not_found', `户“${householdId}”没有编号为 ${screeningId} 的测算记录`);
  return toScreening({ ...row, result: maskDeep(row.result) as ScreeningResult });
}

export function staleness(screening: Pick<StoredScreening, 'householdVersion' | 'packs' | 'date'>, currentVersion: number, county: string, packs: readonly CompiledPack[]): Staleness {
  let now: string;
  try {
    now = JSON.stringify(selectPacks(packs, county, screening.date).map((p) => ({ id: p.manifest.id, version: p.manifest.version })));
  } catch {
    now = '[]';
  }
  return { householdChanged: screening.householdVersion !== currentVersion, packsChanged: now !== JSON.stringify(screening.packs) };
}

/** Latest stored screenings of every household in scope (for export), newest first per household. */
export async function latestScreenings(db: SqlRunner, actor: Actor, limit = 100_000): Promise<{ householdId: string; area: { county: string; town: string; village: string }; screening: StoredScreening }[]> {
  requirePermission(actor, 'export');
  const params: unknown[] = [];
  const rows = await db.query<ScreeningRow & { county: string; town: string; village: string }>(
    `SELECT s.id, s.household_id, s.household_version, s.date, s.packs, s.result, s.created_at, NULL AS username, h.county, h.town, h.village
     FROM households h JOIN screenings s ON s.id = h.latest_screening_id
     WHERE h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', params)} ORDER BY h.id LIMIT $${params.length + 1}`, [...params, limit]);
  return rows.map((r) => ({ householdId: r.household_id, area: { county: r.county, town: r.town, village: r.village }, screening: toScreening(r) }));
}
