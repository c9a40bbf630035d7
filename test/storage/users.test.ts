/** Accounts on both databases: login throttling, password change, deactivation, and the audit log confined to an area. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type Actor } from '../../src/auth/roles.ts';
import {
  authenticate, changePassword, createArea, createHousehold, createUser, ensureArea, listAudit, login, LoginThrottledError, revealIdNumber,
  setUserActive, type SqlDatabase,
} from '../../src/storage/store.ts';
import { testDatabases } from './databases.ts';
import { domainError, household, YUBEI, YUZHONG } from './fixtures.ts';

describe.each(testDatabases('users'))('accounts: $name', (database) => {
  let db: SqlDatabase;
  let admin: Actor;
  let yuzhongAdmin: Actor;
  beforeAll(async () => {
    db = await database.open();
    for (const area of [YUBEI, YUZHONG]) await db.transaction((tx) => ensureArea(tx, area));
    await createUser(db, SYSTEM_ACTOR, { username: 'yb-admin', displayName: '渝北管理员', password: 'admin-pass-1', role: '区县管理员', scope: { county: '渝北区', town: null, village: null } });
    await createUser(db, SYSTEM_ACTOR, { username: 'yz-admin', displayName: '渝中管理员', password: 'admin-pass-2', role: '区县管理员', scope: { county: '渝中区', town: null, village: null } });
    admin = await authenticate(db, (await login(db, 'yb-admin', 'admin-pass-1')).token);
    yuzhongAdmin = await authenticate(db, (await login(db, 'yz-admin', 'admin-pass-2')).token);
  }, 60_000);
  afterAll(async () => {
    if (db) await database.close(db);
  });

  it('blocks a username from one address after 5 failures in 15 minutes, not from another address; success clears the count', async () => {
    await createUser(db, admin, { username: 'thr-user', displayName: '甲', password: 'right-pass-1', role: '村社', scope: YUBEI });
    for (let i = 0; i < 4; i++) expect((await domainError(login(db, 'thr-user', 'wrong', '10.0.0.1'))).code).toBe('unauthenticated');
    await login(db, 'thr-user', 'right-pass-1', '10.0.0.1');
    for (let i = 0; i < 5; i++) expect((await domainError(login(db, 'thr-user', 'wrong', '10.0.0.1'))).message).toBe('用户名或密码错误');
    const blocked = await domainError(login(db, 'thr-user', 'right-pass-1', '10.0.0.1'));
    expect(blocked).toBeInstanceOf(LoginThrottledError);
    expect(blocked.message).toMatch(/登录失败次数过多.*请\d+分钟后再试/);
    expect((blocked as LoginThrottledError).retryAfterSeconds).toBeGreaterThan(14 * 60);
    await login(db, 'thr-user', 'right-pass-1', '10.0.0.2');
    // Unknown usernames are counted the same way, so probing reveals nothing.
    for (let i = 0; i < 5; i++) await domainError(login(db, 'nobody-here', 'x', '10.0.0.3'));
    expect(await domainError(login(db, 'nobody-here', 'x', '10.0.0.3'))).toBeInstanceOf(LoginThrottledError);
    // Once the failures are older than 15 minutes the account opens again.
    await db.query(`UPDATE login_failures SET at = at - interval '16 minutes' WHERE username = 'thr-user'`);
    await login(db, 'thr-user', 'right-pass-1', '10.0.0.1');
    const log = await listAudit(db, { limit: 20, action: 'login.throttled' });
    expect(log.map((e) => e.username)).toEqual(expect.arrayContaining(['thr-user', 'nobody-here']));
  });

  it('changes one\'s own password after checking the current one, ending the other sessions', async () => {
    await createUser(db, admin, { username: 'pw-user', displayName: '乙', password: 'first-pass-1', role: '村社', scope: YUBEI });
    const keep = (await login(db, 'pw-user', 'first-pass-1')).token;
    const other = (await login(db, 'pw-user', 'first-pass-1')).token;
    const actor = await authenticate(db, keep);
    expect((await domainError(changePassword(db, actor, 'not-it', 'second-pass-2', keep))).message).toBe('当前密码不正确');
    expect((await domainError(changePassword(db, actor, 'first-pass-1', 'short', keep))).message).toBe('新密码至少8位');
    await changePassword(db, actor, 'first-pass-1', 'second-pass-2', keep);
    expect((await authenticate(db, keep)).username).toBe('pw-user');
    expect((await domainError(authenticate(db, other))).code).toBe('unauthenticated');
    expect((await domainError(login(db, 'pw-user', 'first-pass-1'))).code).toBe('unauthenticated');
    await login(db, 'pw-user', 'second-pass-2');
  });

  it('an admin deactivates a user of its area: sessions end at once and login is refused; reactivation lets it in again', async () => {
    const user = await createUser(db, admin, { username: 'off-user', displayName: '丙', password: 'off-pass-1', role: '村社', scope: YUBEI });
    const token = (await login(db, 'off-user', 'off-pass-1')).token;
    await authenticate(db, token);
    expect((await domainError(setUserActive(db, yuzhongAdmin, user.id, false))).code).toBe('not_found');
    expect((await domainError(setUserActive(db, admin, admin.userId as number, false))).message).toBe('不能停用自己的账号');
    const off = await setUserActive(db, admin, user.id, false);
    expect(off.active).toBe(false);
    expect((await domainError(authenticate(db, token))).code).toBe('unauthenticated');
    expect((await domainError(login(db, 'off-user', 'off-pass-1'))).code).toBe('unauthenticated');
    expect((await setUserActive(db, admin, user.id, true)).active).toBe(true);
    await login(db, 'off-user', 'off-pass-1');
    const log = await listAudit(db, { limit: 10 });
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['user.deactivate', 'user.activate']));
  });

  it('a 区县管理员 sees only audit entries about its own area\'s households, users and areas', async () => {
    const yb = await createHousehold(db, SYSTEM_ACTOR, household(YUBEI));
    const yz = await createHousehold(db, SYSTEM_ACTOR, household(YUZHONG));
    await revealIdNumber(db, admin, yb.id, 0);
    await revealIdNumber(db, yuzhongAdmin, yz.id, 0);
    await createArea(db, yuzhongAdmin, { county: '渝中区', town: '化龙桥街道' });
    await createUser(db, yuzhongAdmin, { username: 'yz-user', displayName: '丁', password: 'yz-pass-11', role: '村社', scope: YUZHONG });
    const seen = await listAudit(db, { limit: 500, scope: admin.scope });
    const targets = (action: string) => seen.filter((e) => e.action === action).map((e) => e.target);
    expect(targets('household.create')).toContain(yb.id);
    expect(targets('household.create')).not.toContain(yz.id);
    expect(targets('idcard.read')).toEqual([yb.id]);
    expect(seen.some((e) => e.username?.startsWith('yz-'))).toBe(false);
    expect(seen.some((e) => e.action === 'area.create')).toBe(false);
    expect(seen.filter((e) => e.action === 'user.create').length).toBeGreaterThanOrEqual(3);
    const theirs = await listAudit(db, { limit: 500, scope: yuzhongAdmin.scope });
    expect(theirs.map((e) => e.target)).toEqual(expect.arrayContaining([yz.id]));
    expect(theirs.some((e) => e.target === yb.id)).toBe(false);
    expect(theirs.some((e) => e.action === 'area.create')).toBe(true);
    expect(theirs.some((e) => e.username === 'yb-admin')).toBe(false);
    // Everything for an actor without a county.
    const all = await listAudit(db, { limit: 500, scope: SYSTEM_ACTOR.scope });
    expect(all.length).toBeGreaterThan(theirs.length);
  });
});
