/** @module Users, their role and area, and login sessions with opaque tokens (only a hash of the token is stored). */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { describeScope, inScope, requirePermission, ROLE_SCOPE_LEVEL, ROLES, type Actor, type AreaScope, type Role } from '../auth/roles.ts';
import { recordAudit } from './audit.ts';
import { isoTime, uniqueViolation, type SqlDatabase } from './sql.ts';

export const SESSION_HOURS = 12;

export const NewUserSchema = z.strictObject({
  username: z.string().regex(/^[a-zA-Z0-9_.-]{3,40}$/, '用户名为3至40位字母、数字或 _ . -'),
  displayName: z.string().min(1, '姓名不能为空').max(50),
  password: z.string().min(8, '密码至少8位').max(200),
  role: z.enum(ROLES, { error: () => `角色应为以下之一：${ROLES.join('、')}` }),
  scope: z.strictObject({
    county: z.string().min(1).max(30).nullable(),
    town: z.string().min(1).max(30).nullable().default(null),
    village: z.string().min(1).max(30).nullable().default(null),
  }),
});
export type NewUser = z.input<typeof NewUserSchema>;

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scope: AreaScope;
  createdAt: string;
}

type UserRow = { id: number; username: string; display_name: string; password_hash: string; role: Role; scope_county: string | null; scope_town: string | null; scope_village: string | null; created_at: Date; active: boolean };

const toUser = (r: UserRow): User => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role,
  scope: { county: r.scope_county, town: r.scope_town, village: r.scope_village }, createdAt: isoTime(r.created_at),
});

export const actorOf = (u: User): Actor => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role, scope: u.scope });

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createUser(db: SqlDatabase, actor: Actor, input: NewUser): Promise<User> {
  requirePermission(actor, 'user.manage');
  const parsed = NewUserSchema.safeParse(input);
  if (!parsed.success) throw new DomainError('invalid_input', parsed.error.issues[0]?.message ?? '用户信息无效', { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  const u = parsed.data;
  const level = ROLE_SCOPE_LEVEL[u.role];
  const missing = level === 'village' ? !u.scope.county || !u.scope.town || !u.scope.village : level === 'town' ? !u.scope.county || !u.scope.town : !u.scope.county;
  if (missing) throw new DomainError('invalid_input', `角色“${u.role}”须指定${{ county: '区县', town: '区县和镇街', village: '区县、镇街和村社' }[level]}`, { problems: [{ path: 'scope', message: '管辖范围不完整' }] });
  const scopeArea = { county: u.scope.county as string, town: u.scope.town, village: u.scope.village };
  if (!inScope(actor.scope, scopeArea)) throw new DomainError('forbidden', `只能为${describeScope(actor.scope)}范围内创建用户`);
  const passwordHash = await hashPassword(u.password);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.query<UserRow>(`INSERT INTO users (username, display_name, password_hash, role, scope_county, scope_town, scope_village)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`, [u.username, u.displayName, passwordHash, u.role, u.scope.county, u.scope.town, u.scope.village]);
      const user = toUser(row as UserRow);
      await recordAudit(tx, actor, 'user.create', String(user.id), { username: user.username, role: user.role, scope: user.scope });
      return user;
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new DomainError('conflict', `用户名“${u.username}”已存在`);
    throw error;
  }
}

export async function listUsers(db: SqlDatabase, actor: Actor): Promise<User[]> {
  requirePermission(actor, 'user.manage');
  const rows = await db.query<UserRow>('SELECT * FROM users ORDER BY id');
  return rows.map(toUser).filter((u) => u.scope.county !== null && inScope(actor.scope, { county: u.scope.county, town: u.scope.town ?? '', village: u.scope.village ?? '' }) || actor.scope.county === null);
}

export async function countUsers(db: SqlDatabase): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM users');
  return Number(row?.n ?? 0);
}

/** Checks the password and opens a session; the same message for an unknown user and a wrong password. */
export async function login(db: SqlDatabase, username: string, password: string): Promise<{ token: string; expiresAt: string; user: User }> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  const ok = row !== undefined && row.active && await verifyPassword(password, row.password_hash);
  if (!ok || !row) {
    await recordAudit(db, { userId: row?.id ?? null, username }, 'login.failed', null);
    throw new DomainError('unauthenticated', '用户名或密码错误');
  }
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
  const user = toUser(row);
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashToken(token), row.id, expires]);
    await recordAudit(tx, actorOf(user), 'login', String(row.id));
  });
  return { token, expiresAt: expires.toISOString(), user };
}

/** The actor behind a session token, or an unauthenticated error. */
export async function authenticate(db: SqlDatabase, token: string): Promise<Actor> {
  const [row] = await db.query<UserRow>(`SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`, [hashToken(token)]);
  if (!row) throw new DomainError('unauthenticated', '登录已失效，请重新登录');
  return actorOf(toUser(row));
}

export async function logout(db: SqlDatabase, actor: Actor, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
    await recordAudit(tx, actor, 'logout', actor.userId === null ? null : String(actor.userId));
  });
}
