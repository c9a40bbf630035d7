/** @module The append-only audit log: every write and every read of a full 身份证号, with who and when. */
import type { Actor } from '../auth/roles.ts';
import { isoTime, type SqlRunner } from './sql.ts';

export type AuditAction =
  | 'household.create' | 'household.update' | 'household.delete' | 'idcard.read'
  | 'screening.store' | 'import' | 'export' | 'area.create'
  | 'user.create' | 'login' | 'login.failed' | 'logout';

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}

export async function recordAudit(tx: SqlRunner, actor: Pick<Actor, 'userId' | 'username'>, action: AuditAction, target: string | null, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query('INSERT INTO audit_log (user_id, username, action, target, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [actor.userId, actor.username, action, target, JSON.stringify(detail)]);
}

export async function listAudit(db: SqlRunner, options: { limit: number; beforeId?: number | undefined; action?: string | undefined }): Promise<AuditEntry[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.beforeId !== undefined) where.push(`id < $${params.push(options.beforeId)}`);
  if (options.action !== undefined) where.push(`action = $${params.push(options.action)}`);
  params.push(options.limit);
  const rows = await db.query<{ id: number | string; at: Date; user_id: number | null; username: string | null; action: string; target: string | null; detail: unknown }>(
    `SELECT id, at, user_id, username, action, target, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
  return rows.map((r) => ({ id: Number(r.id), at: isoTime(r.at), userId: r.user_id, username: r.username, action: r.action, target: r.target, detail: r.detail }));
}
