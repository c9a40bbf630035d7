/** @module The append-only audit log: every write and every read of a full 身份证号, with who and when. */
import type { Actor, AreaScope } from '../auth/roles.ts';
import { isoTime, type SqlRunner } from './sql.ts';

export type AuditAction =
  | 'household.create' | 'household.update' | 'household.delete' | 'idcard.read'
  | 'screening.store' | 'rescreen' | 'import' | 'export' | 'area.create'
  | 'user.create' | 'user.deactivate' | 'user.activate' | 'user.password'
  | 'login' | 'login.failed' | 'login.throttled' | 'logout';

/** Entries whose target is a household id. */
const HOUSEHOLD_ACTIONS: readonly AuditAction[] = ['household.create', 'household.update', 'household.delete', 'idcard.read', 'screening.store', 'export'];
/** Entries whose target is a user id. */
const USER_ACTIONS: readonly AuditAction[] = ['user.create', 'user.deactivate', 'user.activate', 'user.password', 'login', 'logout'];

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}

export interface AuditRecord { action: AuditAction; target: string | null; detail?: Record<string, unknown> }

export async function recordAudit(tx: SqlRunner, actor: Pick<Actor, 'userId' | 'username'>, action: AuditAction, target: string | null, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query('INSERT INTO audit_log (user_id, username, action, target, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [actor.userId, actor.username, action, target, JSON.stringify(detail)]);
}

/** Many entries by one actor in one statement (bulk import, bulk re-screening). */
export async function recordAuditMany(tx: SqlRunner, actor: Pick<Actor, 'userId' | 'username'>, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await tx.query(`INSERT INTO audit_log (user_id, username, action, target, detail)
    SELECT $1, $2, t.action, t.target, t.detail::jsonb FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(action, target, detail, n) ORDER BY t.n`,
  [actor.userId, actor.username, records.map((r) => r.action), records.map((r) => r.target), records.map((r) => JSON.stringify(r.detail ?? {}))]);
}

/** SQL: the user row `u` has a scope inside `scope` (a 渝北区 admin sees users of 渝北区 and its towns and villages). */
function userInScope(scope: AreaScope, params: unknown[]): string {
  const parts: string[] = [];
  if (scope.county !== null) parts.push(`u.scope_county = $${params.push(scope.county)}`);
  if (scope.town !== null) parts.push(`COALESCE(u.scope_town, '') = $${params.push(scope.town)}`);
  if (scope.village !== null) parts.push(`COALESCE(u.scope_village, '') = $${params.push(scope.village)}`);
  return parts.join(' AND ') || 'TRUE';
}

function areaInScope(scope: AreaScope, alias: string, params: unknown[]): string {
  const parts: string[] = [];
  for (const key of ['county', 'town', 'village'] as const) {
    if (scope[key] !== null) parts.push(`${alias}.${key} = $${params.push(scope[key])}`);
  }
  return parts.join(' AND ') || 'TRUE';
}

/**
 * Newest first. With a `scope` that is not everything, only entries about the area: entries about a household of the area,
 * entries made by a user of the area, entries about a user or an area of the area.
 */
export async function listAudit(db: SqlRunner, options: { limit: number; beforeId?: number | undefined; action?: string | undefined; scope?: AreaScope | undefined }): Promise<AuditEntry[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.beforeId !== undefined) where.push(`a.id < $${params.push(options.beforeId)}`);
  if (options.action !== undefined) where.push(`a.action = $${params.push(options.action)}`);
  const scope = options.scope;
  if (scope && scope.county !== null) {
    const householdActions = `$${params.push(HOUSEHOLD_ACTIONS)}::text[]`;
    const userActions = `$${params.push(USER_ACTIONS)}::text[]`;
    where.push(`(
      EXISTS (SELECT 1 FROM households h WHERE a.action = ANY(${householdActions}) AND h.id = a.target AND ${areaInScope(scope, 'h', params)})
      OR EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id AND ${userInScope(scope, params)})
      OR EXISTS (SELECT 1 FROM users u WHERE a.action = ANY(${userActions}) AND u.id::text = a.target AND ${userInScope(scope, params)})
      OR EXISTS (SELECT 1 FROM areas r WHERE a.action = 'area.create' AND r.id::text = a.target AND ${areaInScope(scope, 'r', params)}))`);
  }
  params.push(options.limit);
  const rows = await db.query<{ id: number | string; at: Date; user_id: number | null; username: string | null; action: string; target: string | null; detail: unknown }>(
    `SELECT a.id, a.at, a.user_id, a.username, a.action, a.target, a.detail FROM audit_log a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT $${params.length}`, params);
  return rows.map((r) => ({ id: Number(r.id), at: isoTime(r.at), userId: r.user_id, username: r.username, action: r.action, target: r.target, detail: r.detail }));
}
