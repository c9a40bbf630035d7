/** @module Stored screenings: the engine's answer for a stored household, with the household version and pack versions it used. */
import { DomainError } from '../core/errors.ts';
import type { ScreeningResult } from '../core/evaluator/decision.ts';
import { screenHousehold, type ScreeningOptions } from '../core/evaluator/evaluate.ts';
import { selectPacks } from '../core/evaluator/select-packs.ts';
import { totalEntitlements, type Totals } from '../core/evaluator/totals.ts';
import type { CompiledPack } from '../core/pack/compile.ts';
import { requirePermission, scopeCondition, type Actor } from '../auth/roles.ts';
import { recordAudit } from './audit.ts';
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

const toScreening = (r: ScreeningRow): StoredScreening => ({
  id: r.id, householdId: r.household_id, householdVersion: r.household_version, date: r.date, packs: r.packs,
  createdAt: isoTime(r.created_at), username: r.username, result: r.result, totals: totalEntitlements(r.result.decisions),
});

/** Screens the stored household (current version) and keeps the result; it becomes the household's latest screening. */
export async function screenStoredHousehold(db: SqlDatabase, actor: Actor, id: string, packs: readonly CompiledPack[], date: string, options: ScreeningOptions = {}): Promise<StoredScreening> {
  requirePermission(actor, 'screening.store');
  return db.transaction(async (tx) => {
    const record = await getHouseholdUnmasked(tx, actor, id);
    await tx.query('SELECT 1 FROM households WHERE id = $1 FOR UPDATE', [id]);
    const result = screenHousehold(packs, record.household, date, options);
    const [row] = await tx.query<{ id: number }>(`INSERT INTO screenings (household_id, household_version, date, packs, result, user_id)
      VALUES ($1, $2, $3::date, $4::jsonb, $5::jsonb, $6) RETURNING id`,
    [id, record.version, date, JSON.stringify(result.packs), JSON.stringify(result), actor.userId]);
    const screeningId = (row as { id: number }).id;
    const d = result.decisions;
    await tx.query(`INSERT INTO screening_decisions (screening_id, household_id, policy, member_index, status, fen, unit)
      SELECT $1, $2, t.policy, t.member_index, t.status, t.fen, t.unit FROM unnest($3::text[], $4::int[], $5::text[], $6::bigint[], $7::text[]) AS t(policy, member_index, status, fen, unit)`,
    [screeningId, id, d.map((x) => x.policy), d.map((x) => x.member?.index ?? null), d.map((x) => x.status), d.map((x) => x.amount?.fen ?? null), d.map((x) => x.amount?.unit ?? null)]);
    await tx.query('UPDATE households SET latest_screening_id = $2 WHERE id = $1', [id, screeningId]);
    await recordAudit(tx, actor, 'screening.store', id, { screening: screeningId, householdVersion: record.version, date, packs: result.packs });
    const [stored] = await tx.query<ScreeningRow>(`SELECT s.id, s.household_id, s.household_version, s.date, s.packs, s.result, s.created_at, u.username
      FROM screenings s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = $1`, [screeningId]);
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
