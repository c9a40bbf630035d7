/** Import jobs over the API on both databases: 202 with a job id, progress while it runs, then the result or every problem. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AREAS, generateHouseholds } from '../../src/demo/generate.ts';
import type { Household } from '../../src/core/model/household.ts';
import { COLUMNS, SHEET_NAME } from '../../src/excel/columns.ts';
import { householdRows } from '../../src/excel/export.ts';
import { ensureArea } from '../../src/storage/store.ts';
import { startApiOn, testDatabases, type DbApi } from '../storage/databases.ts';
import { idNumber, uniqueId } from '../storage/fixtures.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HAN = /[\u4e00-\u9fff]/;

async function xlsx(rows: (string | number | null | undefined)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(SHEET_NAME);
  sheet.addRow(COLUMNS.map((c) => c.header));
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const row = (values: Record<string, string | number>) => COLUMNS.map((c) => values[c.header] ?? null);
const family = (id = uniqueId(), village = '牌坊村') => [
  row({ 户编号: id, 区县: '渝北区', 镇街: '兴隆镇', 村社: village, 姓名: '周永福', 身份证号: idNumber('男'), 与户主关系: '户主', 户类别: '脱贫户', 纳入日期: '2016-12-31' }),
  row({ 户编号: id, 姓名: '周欣怡', 身份证号: idNumber('女'), 与户主关系: '子女', 学段: '小学' }),
];

type Job = { id: string; status: string; percent: number; progress: Record<string, number | string | null>; result: { created: string[]; rows: number } | null; error: { message: string; problems?: { row: number; column: string; message: string }[] } | null; httpStatus: number | null };

describe.each(testDatabases('imports'))('import jobs: $name', (database) => {
  let api: DbApi;
  beforeAll(async () => {
    api = await startApiOn(database, { excelLimit: 2 * 1024 * 1024 });
    for (const a of DEMO_AREAS) await api.db.transaction((tx) => ensureArea(tx, a));
  }, 60_000);
  afterAll(async () => api?.close());

  const submit = (user: Parameters<DbApi['call']>[0], body: Buffer) => api.call(user, { method: 'POST', url: '/api/imports', payload: body, headers: { 'content-type': XLSX } });

  async function finish(user: Parameters<DbApi['call']>[0], id: string, seen: Job[] = []): Promise<Job> {
    for (let i = 0; i < 2000; i++) {
      const res = await api.call(user, { method: 'GET', url: `/api/imports/${id}` });
      expect(res.statusCode, res.body).toBe(200);
      const job = res.json() as Job;
      seen.push(job);
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('import job did not finish');
  }

  it('answers 202 with a job id at once, reports progress, then the result', async () => {
    const mine = generateHouseholds(600, 3).filter((h) => h.area.county === '渝北区');
    const file = await xlsx(mine.flatMap((h) => householdRows({ categories: [], ...h } as Household)));
    const res = await submit('admin', file);
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json() as Job;
    expect(res.headers.location).toBe(`/api/imports/${job.id}`);
    expect(job).toMatchObject({ status: 'queued', percent: 0, result: null, error: null, progress: { bytesTotal: file.length } });
    const seen: Job[] = [];
    const done = await finish('admin', job.id, seen);
    expect(done.status).toBe('done');
    expect(done.httpStatus).toBe(200);
    expect(done.result?.created).toHaveLength(300);
    expect(done.percent).toBe(100);
    expect(done.progress).toMatchObject({ phase: 'done', households: 300, householdsWritten: 300 });
    expect(done.progress.rowsRead).toBe(done.result?.rows);
    expect(done.progress.rowsWritten).toBe(done.result?.rows);
    // Progress only moves forward.
    const percents = seen.map((j) => j.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const [count] = await api.db.query<{ n: number }>('SELECT count(*) AS n FROM households');
    expect(Number(count?.n)).toBe(300);
    expect(seen.some((j) => j.status === 'writing' || j.status === 'reading' || j.status === 'validating')).toBe(true);
  }, 60_000);

  it('a file with bad rows fails with every problem by row and column in Chinese, and writes nothing', async () => {
    const bad = family();
    (bad[1] as (string | number | null | undefined)[])[COLUMNS.findIndex((c) => c.header === '与户主关系')] = '邻居';
    const elsewhere = family(uniqueId(), '杉树村');
    const before = await api.db.query<{ n: number }>('SELECT count(*) AS n FROM households');
    const res = await submit('village', await xlsx([...family(), ...bad, ...elsewhere]));
    expect(res.statusCode).toBe(202);
    const job = await finish('village', (res.json() as Job).id);
    expect(job.status).toBe('failed');
    expect(job.httpStatus).toBe(400);
    expect(job.error?.message).toContain('未写入任何数据');
    expect(job.error?.problems).toEqual([expect.objectContaining({ row: 5, column: '与户主关系', message: expect.stringMatching(HAN) })]);
    expect(await api.db.query<{ n: number }>('SELECT count(*) AS n FROM households')).toEqual(before);
    // Checks that need the database fail the same way (another village's household: 403 in the synchronous route).
    const refused = await finish('village', ((await submit('village', await xlsx(elsewhere))).json() as Job).id);
    expect(refused).toMatchObject({ status: 'failed', httpStatus: 403 });
    expect(refused.error?.problems?.[0]).toMatchObject({ row: 2 });
  });

  it('refuses non-xlsx uploads and oversize files at once, and other users cannot see a job', async () => {
    const notXlsx = await submit('village', Buffer.from('name,age\n张三,40\n'));
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().message).toContain('.xlsx');
    const huge = await submit('village', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(21 * 1024 * 1024)]));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().message).toMatch(/文件过大（上限 20 MB）/);
    expect((await submit('reader', await xlsx(family()))).statusCode).toBe(403);
    expect((await api.call(null, { method: 'POST', url: '/api/imports', payload: Buffer.from('x'), headers: { 'content-type': XLSX } })).statusCode).toBe(401);
    const mine = (await submit('village', await xlsx(family()))).json() as Job;
    const other = await api.call('otherVillage', { method: 'GET', url: `/api/imports/${mine.id}` });
    expect(other.statusCode).toBe(404);
    expect(other.json().message).toMatch(HAN);
    expect((await finish('village', mine.id)).status).toBe('done');
    expect((await api.call('village', { method: 'GET', url: '/api/imports/no-such-job' })).statusCode).toBe(404);
  });

  it('progress can be polled while the import transaction holds the database (the embedded one serves one transaction at a time)', async () => {
    const job = (await submit('village', await xlsx(family()))).json() as Job;
    await finish('village', job.id);
    let release = () => undefined as void;
    const held = api.db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const polled = await api.call('village', { method: 'GET', url: `/api/imports/${job.id}` });
    const waited = Date.now() - started;
    release();
    await held;
    expect(polled.statusCode).toBe(200);
    expect(waited).toBeLessThan(1000);
  });

  it('the synchronous route still answers small files directly, in its old shape', async () => {
    const res = await api.call('village', { method: 'POST', url: '/api/excel/import', payload: await xlsx(family()), headers: { 'content-type': XLSX } });
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['created', 'rows', 'unchanged', 'updated']);
  });
});
