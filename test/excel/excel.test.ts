/** Excel in and out through the API: template, a file of mixed good and bad rows, idempotent re-import, broken files, exports. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../src/excel/columns.ts';
import { idNumber, uniqueId } from '../storage/fixtures.ts';
import { startApi, type TestApi } from '../http/setup.ts';
import { readHouseholdRows } from './read-back.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let api: TestApi;
beforeAll(async () => {
  api = await startApi();
}, 60_000);
afterAll(async () => api?.close());

type Row = Record<string, string | number>;

async function workbook(rows: Row[], options: { idAsNumber?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('户成员');
  sheet.addRow(COLUMNS.map((c) => c.header));
  for (const r of rows) {
    sheet.addRow(COLUMNS.map((c) => {
      const v = r[c.header];
      return c.header === '身份证号' && options.idAsNumber && typeof v === 'string' ? Number(v) : v ?? null;
    }));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function family(id = uniqueId()): Row[] {
  return [
    { 户编号: id, 区县: '渝北区', 镇街: '兴隆镇', 村社: '牌坊村', '人均收入（元）': 760.5, 收入周期: '月', 户类别: '脱贫户', 纳入日期: '2016-12-31', 姓名: '王德华', 身份证号: idNumber('男'), 与户主关系: '户主', 本市户籍: '是', 参加医保: '是' },
    { 户编号: id, 姓名: '王欣怡', 身份证号: idNumber('女'), 与户主关系: '子女', 学段: '初中', 寄宿: '是', 参加医保: '是', 户类别: '农村低保', 类别细分: 'A类', 纳入日期: '2020-03-01' },
  ];
}

const upload = (user: Parameters<TestApi['call']>[0], body: Buffer) => api.call(user, { method: 'POST', url: '/api/excel/import', payload: body, headers: { 'content-type': XLSX } });

async function count(): Promise<number> {
  const [row] = await api.db.query<{ n: number }>('SELECT count(*) AS n FROM households WHERE deleted_at IS NULL');
  return Number(row?.n);
}

describe('Excel import', () => {
  it('the template has the Chinese headers and its example imports', async () => {
    const res = await api.call('village', { method: 'GET', url: '/api/excel/template' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const rows = await readHouseholdRows(res.rawPayload);
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(['户编号', '区县', '姓名', '与户主关系']));
    const imported = await upload('village', res.rawPayload);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ created: ['YB-0001'], rows: 2 });
    const got = await api.call('village', { method: 'GET', url: '/api/households/YB-0001' });
    expect(got.json().household.members[1].school).toEqual({ stage: '初中', boarding: true });
  });

  it('imports households with categories from several rows, and re-importing the same file changes nothing', async () => {
    const rows = [...family(), ...family()];
    const file = await workbook(rows);
    const first = await upload('village', file);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().created).toHaveLength(2);
    const h = await api.call('village', { method: 'GET', url: `/api/households/${rows[0]?.['户编号']}` });
    expect(h.json().household.categories.map((c: { type: string }) => c.type)).toEqual(['脱贫户', '农村低保']);
    expect(h.json().household.incomePerHead).toEqual({ amountYuan: 760.5, period: '月' });
    const before = await count();
    const again = await upload('village', file);
    expect(again.json()).toMatchObject({ created: [], updated: [], unchanged: [rows[0]?.['户编号'], rows[2]?.['户编号']] });
    expect(await count()).toBe(before);
    // A changed income updates the household matched by 身份证号, even under another 户编号.
    const changed = rows.slice(0, 2).map((r) => ({ ...r, 户编号: 'NEW-NUMBER', ...(r['人均收入（元）'] ? { '人均收入（元）': 900 } : {}) }));
    const update = await upload('village', await workbook(changed));
    expect(update.json()).toMatchObject({ updated: [rows[0]?.['户编号']] });
  });

  it('a file of mixed good and bad rows: every problem by row and column, nothing written', async () => {
    const good = family();
    const badId = family();
    (badId[1] as Row)['身份证号'] = '500112200801011234';
    const badValues = family();
    (badValues[0] as Row)['本市户籍'] = '也许';
    (badValues[1] as Row)['与户主关系'] = '邻居';
    const noHead = family();
    (noHead[0] as Row)['与户主关系'] = '配偶';
    const before = await count();
    const res = await upload('village', await workbook([...good, ...badId, ...badValues, ...noHead]));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.message).toContain('未写入任何数据');
    expect(body.problems).toEqual([
      expect.objectContaining({ row: 5, column: '身份证号', message: '身份证号校验码错误' }),
      expect.objectContaining({ row: 6, column: '本市户籍', message: '“也许”应填“是”或“否”' }),
      expect.objectContaining({ row: 7, column: '与户主关系' }),
      expect.objectContaining({ row: 8, column: '与户主关系', message: '应有且只有一名户主，现有0名' }),
    ]);
    expect(await count()).toBe(before);
  });

  it('a 身份证号 already in another village is refused for the whole file', async () => {
    const other = family();
    const res = await upload('otherVillage', await workbook(other.map((r) => ({ ...r, ...(r['村社'] ? { 村社: '杉树村' } : {}) }))));
    expect(res.statusCode, res.body).toBe(200);
    const before = await count();
    const clash = [...family(), ...family().map((r, i) => (i === 0 ? { ...r, 身份证号: other[0]?.['身份证号'] as string } : r))];
    const refused = await upload('village', await workbook(clash));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().problems[0]).toMatchObject({ row: 4 });
    expect(await count()).toBe(before);
  });

  it('rejects broken files, numeric 身份证号, missing columns and wrong roles in Chinese', async () => {
    const broken = await upload('village', Buffer.from('this is not a spreadsheet'));
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toContain('.xlsx');
    const numeric = await upload('village', await workbook(family(), { idAsNumber: true }));
    expect(numeric.statusCode).toBe(400);
    expect(numeric.json().problems[0]).toMatchObject({ row: 2, column: '身份证号' });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['名字', '年龄']);
    const wrongLayout = await upload('village', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(wrongLayout.statusCode).toBe(400);
    expect(wrongLayout.json().problems.map((p: { column: string }) => p.column)).toContain('户编号');
    expect((await upload('reader', await workbook(family()))).statusCode).toBe(403);
  });
});

describe('Excel export', () => {
  it('exports households of the area with 身份证号 masked', async () => {
    const rows = family();
    await upload('village', await workbook(rows));
    const res = await api.call('village', { method: 'GET', url: '/api/export/households.xlsx' });
    const out = await readHouseholdRows(res.rawPayload);
    const mine = out.filter((r) => r['户编号'] === rows[0]?.['户编号']);
    expect(mine).toHaveLength(2);
    expect(String(mine[0]?.['身份证号'])).toMatch(/^\d{6}\*{8}/);
    expect(res.body).not.toContain(String(rows[0]?.['身份证号']));
  });

  it('exports screening results with totals by policy', async () => {
    const rows = family();
    await upload('village', await workbook(rows));
    const screened = await api.call('village', { method: 'POST', url: `/api/households/${rows[0]?.['户编号']}/screenings`, payload: { date: '2023-06-30' } });
    expect(screened.statusCode, screened.body).toBe(201);
    const res = await api.call('village', { method: 'GET', url: '/api/export/screenings.xlsx' });
    expect(res.statusCode).toBe(200);
    const results = await readHouseholdRows(res.rawPayload, '测算结果');
    expect(results.some((r) => r['户编号'] === rows[0]?.['户编号'] && r['结果'] === '可享受')).toBe(true);
    const totals = await readHouseholdRows(res.rawPayload, '按政策合计');
    expect(totals.length).toBeGreaterThan(0);
    expect(totals[0]).toHaveProperty('可享受（人/户次）');
  });
});
