/** Bulk re-screening over the API on both databases: area-scoped, audited, counts in the answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiOn, testDatabases, type DbApi } from '../storage/databases.ts';
import { household, YUBEI_OTHER_VILLAGE } from '../storage/fixtures.ts';

describe.each(testDatabases('rescreen_api'))('POST /api/screenings/rescreen: $name', (database) => {
  let api: DbApi;
  const ids: string[] = [];
  let neighbour = '';
  beforeAll(async () => {
    api = await startApiOn(database);
    for (let i = 0; i < 3; i++) {
      const h = household();
      ids.push(h.id);
      expect((await api.call('village', { method: 'POST', url: '/api/households', payload: h })).statusCode).toBe(201);
      expect((await api.call('village', { method: 'POST', url: `/api/households/${h.id}/screenings`, payload: { date: '2024-06-30' } })).statusCode).toBe(201);
    }
    const other = household(YUBEI_OTHER_VILLAGE);
    neighbour = other.id;
    await api.call('otherVillage', { method: 'POST', url: '/api/households', payload: other });
    await api.call('otherVillage', { method: 'POST', url: `/api/households/${other.id}/screenings`, payload: { date: '2024-06-30' } });
  }, 60_000);
  afterAll(async () => api?.close());

  async function change(user: 'village' | 'otherVillage', id: string) {
    const current = (await api.call(user, { method: 'GET', url: `/api/households/${id}` })).json();
    const put = await api.call(user, { method: 'PUT', url: `/api/households/${id}`, payload: { version: current.version, household: { ...current.household, centralWaterSupply: !current.household.centralWaterSupply } } });
    expect(put.statusCode, put.body).toBe(200);
  }

  it('counts and re-screens only the stale households of the caller\'s area, and audits it', async () => {
    await change('village', ids[0] as string);
    await change('otherVillage', neighbour);
    const stale = await api.call('village', { method: 'GET', url: '/api/screenings/stale' });
    expect(stale.json()).toEqual({ households: 3, screened: 3, stale: 1, householdChanged: 1, packsChanged: 0, unscreened: 0 });
    const res = await api.call('village', { method: 'POST', url: '/api/screenings/rescreen', payload: { date: '2024-07-01' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ date: '2024-07-01', households: 3, screened: 3, stale: 1, householdChanged: 1, packsChanged: 0, unscreened: 0, rescreened: 1, failed: 0, failures: [] });
    const list = (await api.call('village', { method: 'GET', url: `/api/households/${ids[0]}/screenings` })).json();
    expect(list[0]).toMatchObject({ date: '2024-07-01', householdVersion: 2, stale: { householdChanged: false } });
    // The other village's changed household is still stale: it is not in the caller's area.
    expect((await api.call('otherVillage', { method: 'GET', url: '/api/screenings/stale' })).json()).toMatchObject({ stale: 1 });
    const audit = (await api.call('admin', { method: 'GET', url: '/api/audit?action=rescreen' })).json();
    expect(audit[0]).toMatchObject({ action: 'rescreen', username: 'u-village', detail: { rescreened: 1 } });
    // Nothing stale any more: a second call re-screens nothing.
    expect((await api.call('village', { method: 'POST', url: '/api/screenings/rescreen' })).json()).toMatchObject({ stale: 0, rescreened: 0 });
  });

  it('refuses roles that may not store screenings, and bad bodies, in Chinese', async () => {
    const reader = await api.call('reader', { method: 'POST', url: '/api/screenings/rescreen', payload: {} });
    expect(reader.statusCode).toBe(403);
    expect(reader.json().message).toContain('无权');
    const bad = await api.call('village', { method: 'POST', url: '/api/screenings/rescreen', payload: { date: '2024-13-45x', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['date']));
  });
});
