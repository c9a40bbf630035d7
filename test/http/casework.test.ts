/** The endpoints the web UI needs (what-if preview, facts, batch screening, 明白纸 PDFs) and the UI's own static routes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { household, idNumber, YUBEI, YUBEI_OTHER_VILLAGE } from '../storage/fixtures.ts';
import { startApi, type TestApi } from './setup.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
}, 60_000);
afterAll(async () => api?.close());

const HAN = /[\u4e00-\u9fff]/;
const DATE = '2024-06-30';

async function create(user: Parameters<TestApi['call']>[0], h = household()) {
  const res = await api.call(user, { method: 'POST', url: '/api/households', payload: h });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; household: Record<string, unknown> & { members: Record<string, unknown>[] } };
}

type Decision = { policy: string; status: string; member: { index: number } | null; amount: { fen: number | null } | null };

describe('what-if preview', () => {
  it('screens the stored household, or a changed copy of it, and saves nothing', async () => {
    const h = await create('village');
    const stored = await api.call('helper', { method: 'POST', url: `/api/households/${h.id}/preview`, payload: { date: DATE } });
    expect(stored.statusCode, stored.body).toBe(200);
    const base = stored.json() as { result: { household: string; date: string; decisions: Decision[] }; totals: { household: unknown[] } };
    expect(base.result).toMatchObject({ household: h.id, date: DATE });
    expect(stored.body).not.toContain((h.household.members[0] as { idNumber: string }).idNumber.slice(6, 14));

    // The client sends back the masked household with one change; the masked 身份证号 still give the members' ages.
    const changed = { ...h.household, categories: [{ type: '监测户', class: '边缘易致贫户', from: '2022-03-01' }] };
    const whatIf = await api.call('helper', { method: 'POST', url: `/api/households/${h.id}/preview`, payload: { date: DATE, household: changed } });
    expect(whatIf.statusCode, whatIf.body).toBe(200);
    const after = whatIf.json() as { result: { decisions: Decision[] } };
    const key = (d: Decision) => `${d.policy}#${d.member?.index}:${d.status}`;
    expect(after.result.decisions.map(key).sort()).not.toEqual(base.result.decisions.map(key).sort());

    const record = await api.call('village', { method: 'GET', url: `/api/households/${h.id}` });
    expect(record.json()).toMatchObject({ version: 1, latestScreeningId: null });
    expect(record.json().household.categories).toEqual(h.household.categories);
  });

  it('rejects invalid changes with Chinese messages and field paths, and other villages as not found', async () => {
    const h = await create('village');
    const bad = await api.call('helper', { method: 'POST', url: `/api/households/${h.id}/preview`, payload: { household: { ...h.household, members: [] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0].path).toBe('household.members');
    expect(bad.json().message).toMatch(HAN);
    const date = await api.call('helper', { method: 'POST', url: `/api/households/${h.id}/preview`, payload: { date: '2024-13-01' } });
    expect(date.statusCode).toBe(400);
    const tooEarly = await api.call('helper', { method: 'POST', url: `/api/households/${h.id}/preview`, payload: { date: '2015-01-01' } });
    expect(tooEarly.statusCode).toBe(422);
    expect(tooEarly.json().message).toContain('不在');
    const other = await create('otherVillage', household(YUBEI_OTHER_VILLAGE));
    expect((await api.call('village', { method: 'POST', url: `/api/households/${other.id}/preview`, payload: {} })).statusCode).toBe(404);
    expect((await api.call(null, { method: 'POST', url: `/api/households/${h.id}/preview`, payload: {} })).statusCode).toBe(401);
  });
});

describe('facts', () => {
  it('lists every fact of the household and its members on a date, unknown ones as null', async () => {
    const h = await create('village', household(YUBEI, {
      members: [
        { name: '王父', idNumber: idNumber('男'), relation: '户主', localHukou: true },
        { name: '王女', birthDate: '2012-03-01', relation: '子女', school: { stage: '初中', boarding: true } },
      ],
    }));
    const res = await api.call('reader', { method: 'GET', url: `/api/households/${h.id}/facts?date=${DATE}` });
    expect(res.statusCode, res.body).toBe(200);
    const facts = res.json() as { date: string; household: { fact: string; value: string | null }[]; members: { name: string; facts: { fact: string; label: string; value: string | null }[] }[] };
    expect(facts.date).toBe(DATE);
    expect(facts.household.find((f) => f.fact === 'household.categories')?.value).toBe('脱贫户');
    const girl = facts.members[1];
    expect(girl?.name).toBe('王女');
    expect(girl?.facts.find((f) => f.fact === 'member.age')).toMatchObject({ label: '年龄', value: '12' });
    expect(girl?.facts.find((f) => f.fact === 'member.boarding')?.value).toBe('是');
    expect(facts.members[0]?.facts.find((f) => f.fact === 'member.seriousIllness')?.value).toBeNull();
    const other = await create('otherVillage', household(YUBEI_OTHER_VILLAGE));
    expect((await api.call('village', { method: 'GET', url: `/api/households/${other.id}/facts` })).statusCode).toBe(404);
  });
});

describe('batch screening', () => {
  it('screens and stores every household in the caller\'s area only; read-only users may not', async () => {
    const mine = await create('village');
    const other = await create('otherVillage', household(YUBEI_OTHER_VILLAGE));
    const res = await api.call('village', { method: 'POST', url: '/api/screenings/batch', payload: { date: DATE } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { total: number; screened: number; failed: unknown[] };
    expect(body.screened).toBe(body.total);
    expect(body.failed).toEqual([]);
    expect((await api.call('village', { method: 'GET', url: `/api/households/${mine.id}` })).json().latestScreeningId).not.toBeNull();
    expect((await api.call('otherVillage', { method: 'GET', url: `/api/households/${other.id}` })).json().latestScreeningId).toBeNull();
    const filtered = await api.call('village', { method: 'GET', url: '/api/households?status=eligible&pageSize=200' });
    expect(filtered.json().items.map((i: { id: string }) => i.id)).toContain(mine.id);

    const reader = await api.call('reader', { method: 'POST', url: '/api/screenings/batch', payload: {} });
    expect(reader.statusCode).toBe(403);
    expect(reader.json().message).toMatch(HAN);
    const bad = await api.call('village', { method: 'POST', url: '/api/screenings/batch', payload: { village: '' } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('明白纸 PDF', () => {
  it('prints one household and records it in the audit log', async () => {
    const h = await create('village');
    const res = await api.call('helper', { method: 'GET', url: `/api/households/${h.id}/mingbaizhi.pdf?date=${DATE}` });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(`明白纸-${h.id}-${DATE}.pdf`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const audit = await api.call('admin', { method: 'GET', url: '/api/audit?action=export&limit=5' });
    expect(audit.json()[0]).toMatchObject({ action: 'export', target: h.id, username: 'u-helper', detail: { kind: 'mingbaizhi', date: DATE } });
    const other = await create('otherVillage', household(YUBEI_OTHER_VILLAGE));
    expect((await api.call('village', { method: 'GET', url: `/api/households/${other.id}/mingbaizhi.pdf` })).statusCode).toBe(404);
  }, 60_000);

  it('prints a whole village in one PDF, only inside the caller\'s area', async () => {
    await create('village');
    const res = await api.call('town', { method: 'GET', url: `/api/mingbaizhi.pdf?town=${encodeURIComponent(YUBEI.town)}&village=${encodeURIComponent(YUBEI.village)}&date=${DATE}` });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const audit = await api.call('admin', { method: 'GET', url: '/api/audit?action=export&limit=1' });
    const entry = audit.json()[0] as { target: string; detail: { kind: string; households: string[] } };
    expect(entry.target).toBe('渝北区兴隆镇牌坊村');
    expect(entry.detail.kind).toBe('mingbaizhi.batch');
    expect(entry.detail.households.length).toBeGreaterThan(0);

    const foreign = await api.call('village', { method: 'GET', url: `/api/mingbaizhi.pdf?town=${encodeURIComponent(YUBEI_OTHER_VILLAGE.town)}&village=${encodeURIComponent(YUBEI_OTHER_VILLAGE.village)}&date=${DATE}` });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toContain('没有登记的户');
    const missing = await api.call('village', { method: 'GET', url: '/api/mingbaizhi.pdf?town=兴隆镇' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(HAN);
  }, 60_000);
});

describe('web UI routes', () => {
  it('serves the app, the vendor modules and the metadata, falls back to index.html for app paths, and keeps API 404s as JSON', async () => {
    const index = await api.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.body).toContain('importmap');
    const deep = await api.app.inject({ method: 'GET', url: '/households/abc?tab=whatif' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('/app/main.js');
    for (const file of ['vue.js', 'element-plus.js', 'element-plus-zh-cn.js', 'icons-vue.js']) {
      const res = await api.app.inject({ method: 'GET', url: `/vendor/${file}` });
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-type']).toContain('javascript');
    }
    expect((await api.app.inject({ method: 'GET', url: '/vendor/element-plus.css' })).headers['content-type']).toContain('text/css');
    expect((await api.app.inject({ method: 'GET', url: '/vendor/../package.json' })).statusCode).toBe(404);
    const main = await api.app.inject({ method: 'GET', url: '/app/main.js' });
    expect(main.statusCode).toBe(200);
    expect(main.headers['content-type']).toContain('javascript');
    const meta = await api.app.inject({ method: 'GET', url: '/ui/meta.json' });
    expect(meta.json().roles['村社'].permissions).toContain('import');
    expect(meta.json().roles['只读'].permissions).not.toContain('household.update');
    expect(meta.json().householdSchema.properties.members).toBeDefined();
    const apiMissing = await api.call('admin', { method: 'GET', url: '/api/no-such-thing' });
    expect(apiMissing.statusCode).toBe(404);
    expect(apiMissing.json().message).toContain('接口不存在');
    expect((await api.app.inject({ method: 'GET', url: '/favicon.ico' })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: '/app/nothing.js' })).statusCode).toBe(404);
  });
});
