/** Accounts over the API on both databases: own password, deactivating users, login throttling (429), the audit log by area. */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiOn, testDatabases, type DbApi } from '../storage/databases.ts';
import { household, YUZHONG } from '../storage/fixtures.ts';

const HAN = /[\u4e00-\u9fff]/;

describe.each(testDatabases('accounts_api'))('accounts: $name', (database) => {
  let api: DbApi;
  beforeAll(async () => {
    api = await startApiOn(database);
  }, 60_000);
  afterAll(async () => api?.close());

  const loginAs = (username: string, password: string, ip = '127.0.0.1') => api.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
  const as = (token: string, options: InjectOptions) => api.app.inject({ ...options, headers: { authorization: `Bearer ${token}` } });

  it('changes one\'s own password: the current one is checked, other sessions end, this one goes on', async () => {
    const first = (await loginAs('u-helper', 'password-123')).json().token as string;
    const second = (await loginAs('u-helper', 'password-123')).json().token as string;
    const wrong = await as(first, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'nope', newPassword: 'brand-new-pass' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ message: '当前密码不正确', problems: [{ path: 'currentPassword' }] });
    const short = await as(first, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'password-123', newPassword: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().problems[0]).toMatchObject({ path: 'newPassword', message: '新密码至少8位' });
    const ok = await as(first, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'password-123', newPassword: 'brand-new-pass' } });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await as(first, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expect((await as(second, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await loginAs('u-helper', 'password-123')).statusCode).toBe(401);
    expect((await loginAs('u-helper', 'brand-new-pass')).statusCode).toBe(200);
    expect((await api.call(null, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'a', newPassword: 'bbbbbbbbb' } })).statusCode).toBe(401);
  });

  it('an admin deactivates and reactivates a user of its own area only', async () => {
    const created = await api.call('admin', { method: 'POST', url: '/api/users', payload: { username: 'to-stop', displayName: '某人', password: 'password-123', role: '村社', scope: { county: '渝北区', town: '兴隆镇', village: '牌坊村' } } });
    const id = created.json().id as number;
    expect(created.json().active).toBe(true);
    const token = (await loginAs('to-stop', 'password-123')).json().token as string;
    expect((await api.call('yuzhong', { method: 'POST', url: `/api/users/${id}/deactivate` })).statusCode).toBe(404);
    expect((await api.call('village', { method: 'POST', url: `/api/users/${id}/deactivate` })).statusCode).toBe(403);
    const off = await api.call('admin', { method: 'POST', url: `/api/users/${id}/deactivate` });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ id, active: false });
    expect((await as(token, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await loginAs('to-stop', 'password-123')).statusCode).toBe(401);
    const list = (await api.call('admin', { method: 'GET', url: '/api/users' })).json() as { username: string; active: boolean }[];
    expect(list.find((u) => u.username === 'to-stop')?.active).toBe(false);
    expect((await api.call('admin', { method: 'POST', url: `/api/users/${id}/activate` })).json().active).toBe(true);
    expect((await loginAs('to-stop', 'password-123')).statusCode).toBe(200);
    const me = (await api.call('admin', { method: 'GET', url: '/api/auth/me' })).json();
    const self = await api.call('admin', { method: 'POST', url: `/api/users/${me.userId}/deactivate` });
    expect(self.statusCode).toBe(400);
    expect(self.json().message).toBe('不能停用自己的账号');
    expect((await api.call('admin', { method: 'POST', url: '/api/users/abc/deactivate' })).statusCode).toBe(400);
  });

  it('after 5 failed logins in 15 minutes for one username from one address: 429 in Chinese with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await loginAs('u-reader', 'wrong-password', '10.1.1.1')).statusCode).toBe(401);
    const blocked = await loginAs('u-reader', 'password-123', '10.1.1.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: 'too_many_attempts' });
    expect(blocked.json().message).toMatch(/^登录失败次数过多/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    // Another address, or another username from this address, is not blocked.
    expect((await loginAs('u-reader', 'password-123', '10.1.1.2')).statusCode).toBe(200);
    expect((await loginAs('u-dept', 'password-123', '10.1.1.1')).statusCode).toBe(200);
  });

  it('GET /api/audit shows a 区县管理员 only entries about its own area', async () => {
    const yb = household();
    const yz = household(YUZHONG);
    expect((await api.call('village', { method: 'POST', url: '/api/households', payload: yb })).statusCode).toBe(201);
    expect((await api.call('yuzhong', { method: 'POST', url: '/api/households', payload: yz })).statusCode).toBe(201);
    await api.call('yuzhong', { method: 'GET', url: `/api/households/${yz.id}/members/0/id-number` });
    const mine = (await api.call('admin', { method: 'GET', url: '/api/audit?limit=500' })).json() as { target: string | null; username: string | null }[];
    expect(mine.map((e) => e.target)).toContain(yb.id);
    expect(mine.map((e) => e.target)).not.toContain(yz.id);
    expect(mine.some((e) => e.username === 'u-yuzhong')).toBe(false);
    const theirs = (await api.call('yuzhong', { method: 'GET', url: '/api/audit?limit=500' })).json() as { target: string | null; action: string; username: string | null }[];
    expect(theirs.filter((e) => e.target === yz.id).map((e) => e.action)).toEqual(['idcard.read', 'household.create']);
    // Nothing done by the 渝北区 users; the system's creation of the 渝中区 user is theirs to see.
    expect(theirs.filter((e) => e.username?.startsWith('u-') && e.username !== 'u-yuzhong')).toEqual([]);
    expect(theirs.some((e) => e.action === 'user.create' && e.username === 'system')).toBe(true);
    const forbidden = await api.call('town', { method: 'GET', url: '/api/audit' });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().message).toMatch(HAN);
  });
});
