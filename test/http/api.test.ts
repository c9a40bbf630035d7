/** Every route of the REST API, the access-scope cases, and bad input: 4xx with a Chinese message, nothing written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { household, idNumber, YUBEI_OTHER_VILLAGE, YUZHONG } from '../storage/fixtures.ts';
import { startApi, type TestApi } from './setup.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startApi({ bodyLimit: 64 * 1024 });
}, 60_000);
afterAll(async () => api?.close());

const HAN = /[\u4e00-\u9fff]/;

async function create(user: Parameters<TestApi['call']>[0], h = household()) {
  const res = await api.call(user, { method: 'POST', url: '/api/households', payload: h });
  expect(res.statusCode, res.body).toBe(201);
  return h;
}

async function countHouseholds(): Promise<number> {
  const [row] = await api.db.query<{ n: number }>('SELECT count(*) AS n FROM households');
  return Number(row?.n);
}

describe('login and sessions', () => {
  it('refuses requests without a token, and a wrong password, in Chinese', async () => {
    const none = await api.call(null, { method: 'GET', url: '/api/households' });
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(HAN);
    const wrong = await api.call(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'u-admin', password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toBe('用户名或密码错误');
    const bogus = await api.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer forged' } });
    expect(bogus.statusCode).toBe(401);
  });

  it('tells who is logged in, and logout ends the session', async () => {
    const me = await api.call('village', { method: 'GET', url: '/api/auth/me' });
    expect(me.json()).toMatchObject({ role: '村社', scope: { village: '牌坊村' } });
    const login = await api.call(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'u-reader', password: 'password-123' } });
    const token = login.json().token as string;
    expect((await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
    expect((await api.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });
});

describe('households', () => {
  it('creates, reads (masked), updates with the version, and shows history', async () => {
    const h = await create('village');
    const got = await api.call('village', { method: 'GET', url: `/api/households/${h.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.body).not.toContain(h.members[0]?.idNumber);
    const record = got.json();
    const put = await api.call('helper', { method: 'PUT', url: `/api/households/${h.id}`, payload: { version: 1, household: { ...record.household, centralWaterSupply: true } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().version).toBe(2);
    const stale = await api.call('village', { method: 'PUT', url: `/api/households/${h.id}`, payload: { version: 1, household: record.household } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', currentVersion: 2 });
    expect(stale.json().message).toContain('当前版本为 2');
    const history = await api.call('reader', { method: 'GET', url: `/api/households/${h.id}/history` });
    expect(history.json()).toMatchObject([{ version: 1, action: 'create', username: 'u-village' }, { version: 2, action: 'update', username: 'u-helper', changes: [{ path: 'centralWaterSupply', before: null, after: true }] }]);
  });

  it('searches with filters and pagination', async () => {
    const a = await create('village');
    const b = await create('village', household(undefined, { categories: [{ type: '监测户', class: '边缘易致贫户', from: '2022-03-01' }] }));
    const byName = await api.call('admin', { method: 'GET', url: `/api/households?name=${encodeURIComponent('张建国')}&pageSize=1&page=1` });
    expect(byName.json()).toMatchObject({ page: 1, pageSize: 1 });
    expect(byName.json().items).toHaveLength(1);
    expect(byName.json().total).toBeGreaterThanOrEqual(2);
    const byCategory = await api.call('admin', { method: 'GET', url: `/api/households?category=${encodeURIComponent('监测户')}&pageSize=200` });
    const ids = byCategory.json().items.map((i: { id: string }) => i.id);
    expect(ids).toContain(b.id);
    expect(ids).not.toContain(a.id);
    const byIdTail = await api.call('admin', { method: 'GET', url: `/api/households?idNumber=${a.members[1]?.idNumber}` });
    expect(byIdTail.json().items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    const badPage = await api.call('admin', { method: 'GET', url: '/api/households?page=0' });
    expect(badPage.statusCode).toBe(400);
    expect(badPage.json().problems[0]).toMatchObject({ path: 'querystring.page', message: '页码从1开始' });
  });

  it('adds, changes and removes members under the version check', async () => {
    const h = await create('village');
    const added = await api.call('village', { method: 'POST', url: `/api/households/${h.id}/members`, payload: { version: 1, member: { name: '张小红', idNumber: idNumber('女'), relation: '子女' } } });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().household.members).toHaveLength(3);
    const changed = await api.call('village', { method: 'PUT', url: `/api/households/${h.id}/members/2`, payload: { version: 2, member: { ...added.json().household.members[2], disability: { grade: 2 } } } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().version).toBe(3);
    const missing = await api.call('village', { method: 'DELETE', url: `/api/households/${h.id}/members/9?version=3` });
    expect(missing.statusCode).toBe(404);
    const removed = await api.call('village', { method: 'DELETE', url: `/api/households/${h.id}/members/2?version=3` });
    expect(removed.json().household.members).toHaveLength(2);
    const badMember = await api.call('village', { method: 'POST', url: `/api/households/${h.id}/members`, payload: { version: 4, member: { name: '无名', relation: '子女', idNumber: '123' } } });
    expect(badMember.statusCode).toBe(400);
    expect(badMember.json().problems[0]).toMatchObject({ path: 'members[2].idNumber' });
  });

  it('reveals a full 身份证号 only on its own route, and audits it', async () => {
    const h = await create('village');
    const reveal = await api.call('village', { method: 'GET', url: `/api/households/${h.id}/members/0/id-number` });
    expect(reveal.json()).toEqual({ name: '张建国', idNumber: h.members[0]?.idNumber });
    const readerTry = await api.call('reader', { method: 'GET', url: `/api/households/${h.id}/members/0/id-number` });
    expect(readerTry.statusCode).toBe(403);
    const audit = await api.call('admin', { method: 'GET', url: '/api/audit?limit=5&action=idcard.read' });
    expect(audit.json()[0]).toMatchObject({ action: 'idcard.read', target: h.id, username: 'u-village' });
    expect((await api.call('village', { method: 'GET', url: '/api/audit' })).statusCode).toBe(403);
  });

  it('deletes with the version (roles that may), keeping history', async () => {
    const h = await create('village');
    expect((await api.call('village', { method: 'DELETE', url: `/api/households/${h.id}?version=1` })).statusCode).toBe(403);
    expect((await api.call('town', { method: 'DELETE', url: `/api/households/${h.id}?version=5` })).statusCode).toBe(409);
    expect((await api.call('town', { method: 'DELETE', url: `/api/households/${h.id}?version=1` })).statusCode).toBe(204);
    expect((await api.call('town', { method: 'GET', url: `/api/households/${h.id}` })).statusCode).toBe(404);
  });

  it('enforces roles: read-only and department users cannot write', async () => {
    for (const user of ['reader', 'dept'] as const) {
      const res = await api.call(user, { method: 'POST', url: '/api/households', payload: household() });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(HAN);
    }
  });
});

describe('area scope', () => {
  it('a 村社 user cannot reach another village by id, search, history, screening, members or export', async () => {
    const other = household(YUBEI_OTHER_VILLAGE);
    await create('otherVillage', other);
    const urls = [
      ['GET', `/api/households/${other.id}`], ['GET', `/api/households/${other.id}/history`], ['GET', `/api/households/${other.id}/members/0/id-number`],
      ['GET', `/api/households/${other.id}/screenings`], ['POST', `/api/households/${other.id}/screenings`],
    ] as const;
    for (const [method, url] of urls) {
      const res = await api.call('village', { method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().message).toContain('不在您的管辖范围内');
    }
    const put = await api.call('village', { method: 'PUT', url: `/api/households/${other.id}`, payload: { version: 1, household: other } });
    expect(put.statusCode).toBe(404);
    const member = await api.call('village', { method: 'POST', url: `/api/households/${other.id}/members`, payload: { version: 1, member: { name: 'x', relation: '子女', birthDate: '2010-01-01' } } });
    expect(member.statusCode).toBe(404);
    const search = await api.call('village', { method: 'GET', url: `/api/households?idNumber=${other.members[0]?.idNumber}` });
    expect(search.json().total).toBe(0);
    const byVillage = await api.call('village', { method: 'GET', url: `/api/households?village=${encodeURIComponent(YUBEI_OTHER_VILLAGE.village)}` });
    expect(byVillage.json().total).toBe(0);
    const exported = await api.call('village', { method: 'GET', url: '/api/export/households.xlsx' });
    expect(exported.statusCode).toBe(200);
    const { readHouseholdRows } = await import('../excel/read-back.ts');
    const rows = await readHouseholdRows(exported.rawPayload);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r['村社']).every((r) => r['村社'] === '牌坊村')).toBe(true);
    expect(rows.some((r) => r['户编号'] === other.id)).toBe(false);
    // The other village's user sees it; the 渝中区 admin does not.
    expect((await api.call('otherVillage', { method: 'GET', url: `/api/households/${other.id}` })).statusCode).toBe(200);
    expect((await api.call('yuzhong', { method: 'GET', url: `/api/households/${other.id}` })).statusCode).toBe(404);
  });

  it('refuses creating a household outside one\'s area, and a user outside one\'s area', async () => {
    const res = await api.call('village', { method: 'POST', url: '/api/households', payload: household(YUZHONG) });
    expect(res.statusCode).toBe(403);
    const user = await api.call('admin', { method: 'POST', url: '/api/users', payload: { username: 'x-yz', displayName: '某', password: 'password-123', role: '村社', scope: YUZHONG } });
    expect(user.statusCode).toBe(403);
    const ok = await api.call('admin', { method: 'POST', url: '/api/users', payload: { username: 'x-yb', displayName: '某', password: 'password-123', role: '村社', scope: YUBEI_OTHER_VILLAGE } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.body).not.toContain('password');
    const list = await api.call('admin', { method: 'GET', url: '/api/users' });
    expect(list.json().map((u: { username: string }) => u.username)).toContain('x-yb');
    expect(list.json().map((u: { username: string }) => u.username)).not.toContain('u-yuzhong');
  });
});

describe('bad input', () => {
  it('malformed JSON → 400 in Chinese, nothing written', async () => {
    const before = await countHouseholds();
    const res = await api.call('village', { method: 'POST', url: '/api/households', payload: '{"id": "x",', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('不是有效的 JSON');
    expect(await countHouseholds()).toBe(before);
  });

  it('unknown fields and wrong types → 400 with field paths', async () => {
    const unknown = await api.call('village', { method: 'POST', url: '/api/households', payload: { ...household(), colour: 'red' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('无法识别的字段：colour');
    const h = household();
    const wrongType = await api.call('village', { method: 'POST', url: '/api/households', payload: { ...h, members: [{ ...h.members[0], localHukou: 'yes' }] } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().problems[0].path).toBe('members[0].localHukou');
    expect(wrongType.json().problems[0].message).toMatch(HAN);
  });

  it('invalid 身份证号 → 400 naming the member, nothing written', async () => {
    const before = await countHouseholds();
    const h = household();
    const res = await api.call('village', { method: 'POST', url: '/api/households', payload: { ...h, members: [h.members[0], { ...h.members[1], idNumber: '50011219800101123X' }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toContainEqual({ path: 'members[1].idNumber', message: '身份证号校验码错误' });
    expect(await countHouseholds()).toBe(before);
  });

  it('unknown area → 422; duplicate 身份证号 or 户编号 → 409', async () => {
    const res = await api.call('admin', { method: 'POST', url: '/api/households', payload: household({ county: '渝北区', town: '兴隆镇', village: '没有村' }) });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain('未登记');
    const h = await create('village');
    expect((await api.call('village', { method: 'POST', url: '/api/households', payload: h })).statusCode).toBe(409);
    const dup = household();
    const res2 = await api.call('village', { method: 'POST', url: '/api/households', payload: { ...dup, members: [{ ...dup.members[0], idNumber: h.members[0]?.idNumber }] } });
    expect(res2.statusCode).toBe(409);
    expect(res2.json().problems[0].path).toBe('members[0].idNumber');
  });

  it('oversize body → 413 in Chinese, and the server keeps serving', async () => {
    const big = household(undefined, { members: [{ name: 'x'.repeat(50), relation: '户主', birthDate: '1970-01-01', chronicIllnesses: Array.from({ length: 2000 }, () => 'y'.repeat(50)) }] });
    const res = await api.call('village', { method: 'POST', url: '/api/households', payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toContain('请求体过大');
    expect((await api.call('village', { method: 'GET', url: '/api/households' })).statusCode).toBe(200);
  });

  it('unknown routes and wrong content types answer in Chinese', async () => {
    const res = await api.call('village', { method: 'GET', url: '/api/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('接口不存在');
    const xml = await api.call('village', { method: 'POST', url: '/api/households', payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().message).toMatch(HAN);
  });
});

describe('screening, packs and policies', () => {
  it('screens a stored household, stores it with pack versions, and marks it stale after a change', async () => {
    const h = await create('village');
    const res = await api.call('village', { method: 'POST', url: `/api/households/${h.id}/screenings`, payload: { date: '2023-06-30' } });
    expect(res.statusCode, res.body).toBe(201);
    const stored = res.json();
    expect(stored.packs).toEqual([{ id: 'cq-yubei-2022', version: expect.any(String) }]);
    expect(stored.result.decisions.some((d: { status: string }) => d.status === 'eligible')).toBe(true);
    await api.call('village', { method: 'PUT', url: `/api/households/${h.id}`, payload: { version: 1, household: { ...h, centralWaterSupply: true } } });
    const list = await api.call('village', { method: 'GET', url: `/api/households/${h.id}/screenings` });
    expect(list.json()[0]).toMatchObject({ id: stored.id, householdVersion: 1, stale: { householdChanged: true, packsChanged: false } });
    const one = await api.call('reader', { method: 'GET', url: `/api/households/${h.id}/screenings/${stored.id}` });
    expect(one.json().result.decisions.length).toBe(stored.result.decisions.length);
    const policy = stored.result.decisions.find((d: { status: string }) => d.status === 'eligible').policy as string;
    const filtered = await api.call('village', { method: 'GET', url: `/api/households?policy=${policy}&status=eligible&idNumber=${h.members[0]?.idNumber}` });
    expect(filtered.json().total).toBe(1);
    expect((await api.call('reader', { method: 'POST', url: `/api/households/${h.id}/screenings`, payload: {} })).statusCode).toBe(403);
  });

  it('a county without a pack → 422 in Chinese', async () => {
    const h = await create('yuzhong', household(YUZHONG));
    const res = await api.call('yuzhong', { method: 'POST', url: `/api/households/${h.id}/screenings`, payload: { date: '2023-06-30' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain('没有适用的政策包');
  });

  it('screens an ad-hoc household without storing it, with field paths on bad input', async () => {
    const before = await countHouseholds();
    const ok = await api.call('reader', { method: 'POST', url: '/api/screen', payload: { household: household(), date: '2023-06-30' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().result.decisions.length).toBeGreaterThan(0);
    expect(ok.json().totals).toHaveProperty('household');
    expect(await countHouseholds()).toBe(before);
    const bad = await api.call('reader', { method: 'POST', url: '/api/screen', payload: { household: { ...household(), members: [] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0]).toMatchObject({ path: 'household.members' });
    const badDate = await api.call('reader', { method: 'POST', url: '/api/screen', payload: { household: household(), date: '2023-02-30' } });
    expect(badDate.statusCode).toBe(400);
    const badDetail = await api.call('reader', { method: 'POST', url: '/api/screen', payload: { household: household(), detail: 'all' } });
    expect(badDetail.statusCode).toBe(400);
    expect(badDetail.json().problems[0]).toMatchObject({ path: 'detail', message: expect.stringContaining('summary') });
  });

  it('answers ad-hoc screening in summary by default: entitled and undetermined in full, the rest one line each', async () => {
    const payload = { household: household(), date: '2023-06-30' };
    const summary = (await api.call('reader', { method: 'POST', url: '/api/screen', payload })).json();
    const full = (await api.call('reader', { method: 'POST', url: '/api/screen', payload: { ...payload, detail: 'full' } })).json();
    expect(summary.detail).toBe('summary');
    expect(full.detail).toBe('full');
    type D = { policy: string; status: string; member: { index: number } | null; reasons: { met: boolean | null; label: string }[] };
    const key = (d: { policy: string; member: { index: number } | null }) => `${d.policy}|${d.member?.index ?? 'h'}`;
    const fullDecisions: D[] = full.result.decisions;
    // The summary keeps exactly the decisions that are not ineligible, with the same reasons as the full answer.
    expect(summary.result.decisions).toEqual(fullDecisions.filter((d) => d.status !== 'ineligible'));
    expect(summary.result.decisions.length).toBeGreaterThan(0);
    // Every ineligible decision is on exactly one line of notEntitled, which names its first unmet condition.
    const ineligible = fullDecisions.filter((d) => d.status === 'ineligible');
    type Line = { policy: string; members: number[] | null; why: string };
    const lines: Line[] = summary.notEntitled;
    const covered = lines.flatMap((n) => (n.members ?? [null]).map((m) => ({ key: `${n.policy}|${m ?? 'h'}`, why: n.why })));
    expect(covered.map((c) => c.key).sort()).toEqual(ineligible.map(key).sort());
    for (const d of ineligible) {
      const line = covered.find((c) => c.key === key(d));
      expect(line?.why.startsWith(d.reasons.find((r) => r.met === false)?.label ?? '—')).toBe(true);
    }
    expect(full.notEntitled).toEqual(summary.notEntitled);
    // brief: the same decisions and amounts, no reasons, no notEntitled; missing facts are still named.
    const brief = (await api.call('reader', { method: 'POST', url: '/api/screen', payload: { ...payload, detail: 'brief' } })).json();
    type Brief = D & { amount: unknown; missing: unknown[] };
    const outcome = (d: Brief) => [key(d), d.status, d.amount, d.missing];
    expect(brief.result.decisions.map(outcome)).toEqual(summary.result.decisions.map(outcome));
    expect(brief.result.decisions.every((d: Brief) => d.reasons.length === 0)).toBe(true);
    expect(brief).not.toHaveProperty('notEntitled');
    expect(brief.totals).toEqual(summary.totals);
    expect(summary.totals).toEqual(full.totals);
    expect(ineligible.length).toBeGreaterThan(0);
  });

  it('lists packs and explains a policy with its citations', async () => {
    const packs = await api.call('reader', { method: 'GET', url: '/api/packs' });
    const pack = packs.json()[0];
    expect(pack).toMatchObject({ id: 'cq-yubei-2022', counties: ['渝北区'] });
    expect((await api.call('reader', { method: 'GET', url: `/api/packs/${pack.id}` })).statusCode).toBe(200);
    expect((await api.call('reader', { method: 'GET', url: '/api/packs/none' })).statusCode).toBe(404);
    const policy = await api.call('reader', { method: 'GET', url: `/api/policies/${pack.policies[0].id}` });
    expect(policy.json().citation.quote.length).toBeGreaterThan(0);
    expect(policy.json().conditions[0]).toHaveProperty('expression');
    expect((await api.call('reader', { method: 'GET', url: '/api/policies/none' })).statusCode).toBe(404);
  });
});

describe('areas and docs', () => {
  it('lists areas in scope and lets the county admin register one', async () => {
    const list = await api.call('village', { method: 'GET', url: '/api/areas' });
    expect(list.json().map((a: { village: string | null }) => a.village).filter(Boolean)).toEqual(['牌坊村']);
    const created = await api.call('admin', { method: 'POST', url: '/api/areas', payload: { county: '渝北区', town: '兴隆镇', village: '新村', code: '500112123456' } });
    expect(created.statusCode, created.body).toBe(201);
    expect((await api.call('village', { method: 'POST', url: '/api/areas', payload: { county: '渝北区' } })).statusCode).toBe(403);
    expect((await api.call('admin', { method: 'POST', url: '/api/areas', payload: { county: '渝中区' } })).statusCode).toBe(403);
    const bad = await api.call('admin', { method: 'POST', url: '/api/areas', payload: { county: '渝北区', code: '12' } });
    expect(bad.statusCode).toBe(400);
  });

  it('serves the OpenAPI document and the docs page without login', async () => {
    const doc = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toContain('/api/households/{id}');
    expect((await api.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });
});
