/** @module Users, their role and area, and login sessions with opaque tokens (only a hash of the token is stored). */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { describeScope, inScope, requirePermission, ROLE_SCOPE_LEVEL, ROLES, type Actor, type AreaScope, type Role } from '../auth/roles.ts';
import { recordAudit } from './audit.ts';
import { isoTime, uniqueViolation, type SqlDatabase } from './sql.ts';

export const SESSION_HOURS = 12;
/** Login throttling: this many failed attempts for one username from one address … */
export const LOGIN_FAILURE_LIMIT = 5;
/** … within this many minutes block further attempts until the oldest of them is this old. */
export const LOGIN_FAILURE_MINUTES = 15;

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
  /** A deactivated user cannot log in; its sessions were ended. */
  active: boolean;
}

type UserRow = { id: number; username: string; display_name: string; password_hash: string; role: Role; scope_county: string | null; scope_town: string | null; scope_village: string | null; created_at: Date; active: boolean };

const toUser = (r: UserRow): User => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role,
  scope: { county: r.scope_county, town: r.scope_town, village: r.scope_village }, createdAt: isoTime(r.created_at), active: r.active,
});

export const actorOf = (u: User): Actor => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role, scope: u.scope });

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions already checked, for the embedded database only: it belongs to this one process, so every logout, deactivation and
 * password change passes through here and drops the entries it ends. It keeps requests that need no data (polling an import's
 * progress) answering while a long import holds the embedded database. PostgreSQL may be shared by several servers: never cached.
 */
const sessionCache = new WeakMap<SqlDatabase, Map<string, { actor: Actor; expires: number }>>();
const SESSION_CACHE_MAX = 10_000;

function cacheFor(db: SqlDatabase): Map<string, { actor: Actor; expires: number }> | null {
  if (db.kind !== 'pglite') return null;
  let cache = sessionCache.get(db);
  if (!cache) sessionCache.set(db, (cache = new Map()));
  return cache;
}

function forgetSessions(db: SqlDatabase, which: (hash: string, actor: Actor) => boolean): void {
  const cache = cacheFor(db);
  if (!cache) return;
  for (const [hash, entry] of cache) if (which(hash, entry.actor)) cache.delete(hash);
}

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

/** A user whose area lies inside the actor's area (a user without a county only for an actor without one). */
function userInScope(actor: Actor, u: User): boolean {
  return actor.scope.county === null || (u.scope.county !== null && inScope(actor.scope, { county: u.scope.county, town: u.scope.town ?? '', village: u.scope.village ?? '' }));
}

export async function listUsers(db: SqlDatabase, actor: Actor): Promise<User[]> {
  requirePermission(actor, 'user.manage');
  const rows = await db.query<UserRow>('SELECT * FROM users ORDER BY id');
  return rows.map(toUser).filter((u) => userInScope(actor, u));
}

/** Deactivates (ends every session) or reactivates a user of the actor's area; one cannot deactivate oneself. */
export async function setUserActive(db: SqlDatabase, actor: Actor, userId: number, active: boolean): Promise<User> {
  requirePermission(actor, 'user.manage');
  if (!active && actor.userId === userId) throw new DomainError('invalid_input', '不能停用自己的账号', { problems: [{ path: 'id', message: '不能停用自己的账号' }] });
  const user = await db.transaction(async (tx) => {
    const [row] = await tx.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [userId]);
    if (!row || !userInScope(actor, toUser(row))) throw new DomainError('not_found', `用户 ${userId} 不存在或不在您的管辖范围内`);
    if (row.active === active) return toUser(row);
    const [updated] = await tx.query<UserRow>('UPDATE users SET active = $2 WHERE id = $1 RETURNING *', [userId, active]);
    if (!active) await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    await recordAudit(tx, actor, active ? 'user.activate' : 'user.deactivate', String(userId), { username: row.username });
    return toUser(updated as UserRow);
  });
  if (!active) forgetSessions(db, (_hash, a) => a.userId === userId);
  return user;
}

export const PasswordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1, '请填写当前密码').max(200),
  newPassword: z.string().min(8, '新密码至少8位').max(200, '新密码最多200位'),
});

/** Changes one's own password after checking the current one; every other session of the user ends. */
export async function changePassword(db: SqlDatabase, actor: Actor, currentPassword: string, newPassword: string, keepToken: string | null): Promise<void> {
  if (actor.userId === null) throw new DomainError('forbidden', '系统账号没有密码');
  const parsed = PasswordChangeSchema.safeParse({ currentPassword, newPassword });
  if (!parsed.success) throw new DomainError('invalid_input', parsed.error.issues[0]?.message ?? '密码无效', { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  if (newPassword === currentPassword) throw new DomainError('invalid_input', '新密码不能与当前密码相同', { problems: [{ path: 'newPassword', message: '新密码不能与当前密码相同' }] });
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [actor.userId]);
  if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
    throw new DomainError('invalid_input', '当前密码不正确', { problems: [{ path: 'currentPassword', message: '当前密码不正确' }] });
  }
  const hash = await hashPassword(newPassword);
  const keep = keepToken ? hashToken(keepToken) : '';
  await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [actor.userId, hash]);
    await tx.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [actor.userId, keep]);
    await recordAudit(tx, actor, 'user.password', String(actor.userId));
  });
  forgetSessions(db, (h, a) => a.userId === actor.userId && h !== keep);
}

export async function countUsers(db: SqlDatabase): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM users');
  return Number(row?.n ?? 0);
}

/** Too many failed logins for this username from this address: try again after `retryAfterSeconds`. */
export class LoginThrottledError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('forbidden', `登录失败次数过多：同一账号在${LOGIN_FAILURE_MINUTES}分钟内连续${LOGIN_FAILURE_LIMIT}次密码错误，请${Math.max(1, Math.ceil(retryAfterSeconds / 60))}分钟后再试`);
    this.name = 'LoginThrottledError';
  }
}

/** Seconds until this username may try again from this address, or 0. */
export async function loginBlockedFor(db: SqlDatabase, username: string, ip: string): Promise<number> {
  const [row] = await db.query<{ n: number; wait: number | string | null }>(`SELECT count(*) AS n,
      EXTRACT(EPOCH FROM (min(at) + make_interval(mins => $3) - now())) AS wait
    FROM login_failures WHERE username = $1 AND ip = $2 AND at > now() - make_interval(mins => $3)`, [username, ip, LOGIN_FAILURE_MINUTES]);
  return Number(row?.n ?? 0) >= LOGIN_FAILURE_LIMIT ? Math.max(1, Math.ceil(Number(row?.wait ?? 1))) : 0;
}

/**
 * Checks the password and opens a session; the same message for an unknown user and a wrong password.
 * After LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_MINUTES for one username from one address, refuses with
 * LoginThrottledError without checking the password; a successful login clears the count.
 */
export async function login(db: SqlDatabase, username: string, password: string, ip = ''): Promise<{ token: string; expiresAt: string; user: User }> {
  const wait = await loginBlockedFor(db, username, ip);
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  if (wait > 0) {
    await recordAudit(db, { userId: row?.id ?? null, username }, 'login.throttled', null, { ip });
    throw new LoginThrottledError(wait);
  }
  const ok = row !== undefined && row.active && await verifyPassword(password, row.password_hash);
  if (!ok || !row) {
    await db.transaction(async (tx) => {
      await tx.query(`DELETE FROM login_failures WHERE username = $1 AND ip = $2 AND at <= now() - make_interval(mins => $3)`, [username, ip, LOGIN_FAILURE_MINUTES]);
      await tx.query('INSERT INTO login_failures (username, ip) VALUES ($1, $2)', [username, ip]);
      await recordAudit(tx, { userId: row?.id ?? null, username }, 'login.failed', null, { ip });
    });
    throw new DomainError('unauthenticated', '用户名或密码错误');
  }
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
  const user = toUser(row);
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM login_failures WHERE username = $1 AND ip = $2', [username, ip]);
    await tx.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashToken(token), row.id, expires]);
    await recordAudit(tx, actorOf(user), 'login', String(row.id), { ip });
  });
  return { token, expiresAt: expires.toISOString(), user };
}

/** The actor behind a session token, or an unauthenticated error. */
export async function authenticate(db: SqlDatabase, token: string): Promise<Actor> {
  const hash = hashToken(token);
  const cache = cacheFor(db);
  const cached = cache?.get(hash);
  if (cached && cached.expires > Date.now()) return cached.actor;
  const [row] = await db.query<UserRow & { expires_at: Date }>(`SELECT u.*, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`, [hash]);
  if (!row) {
    cache?.delete(hash);
    throw new DomainError('unauthenticated', '登录已失效，请重新登录');
  }
  const actor = actorOf(toUser(row));
  if (cache) {
    if (cache.size >= SESSION_CACHE_MAX) cache.clear();
    cache.set(hash, { actor, expires: new Date(row.expires_at).getTime() });
  }
  return actor;
}

export async function logout(db: SqlDatabase, actor: Actor, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
    await recordAudit(tx, actor, 'logout', actor.userId === null ? null : String(actor.userId));
  });
  forgetSessions(db, (h) => h === hashToken(token));
}
