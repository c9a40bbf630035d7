/** Export → edit → import through the API on both databases: every field survives, old and trimmed files keep what they lack. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdInput } from '../../src/core/model/household.ts';
import { COLUMNS } from '../../src/excel/columns.ts';
import { startApiOn, testDatabases, type DbApi } from '../storage/databases.ts';
import { idNumber, uniqueId, YUBEI } from '../storage/fixtures.ts';
import { readHouseholdRows } from './read-back.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A household using the fields added to the input format after the first Excel layout. */
function rich(): HouseholdInput {
  return {
    id: uniqueId(),
    area: { ...YUBEI, povertyVillage: true },
    categories: [{ type: '监测户', class: '突发严重困难户', from: '2023-04-01', riskEliminated: false, recordedBy: '王书记' }],
    incomePerHead: { amountYuan: 612.5, period: '月' },
    housing: { grade: 'C', meetsRenovationConditions: true, lowRentMonthlyRentYuan: 45.5 },
    temporaryAid: [{ receivedOn: '2023-05-01', kind: '急难型' }, { receivedOn: '2024-02-10' }],
    hukouType: '农村', relocated: true, relocatedCentrally: false, doudi: false, livingHardship: true,
    hardshipCauses: ['重特大疾病', '医疗自付费用过高'],
    developsIndustry: true, agriInsured: false,
    microcredit: { status: '在贷', dueDate: '2025-06-30', meetsConditions: true },
    business: { kinds: ['农家乐'], linkedPoorHouseholds: 2, loan: { amountYuan: 50000, dueDate: '2026-01-31' } },
    members: [
      {
        name: '刘长江', idNumber: idNumber('男'), relation: '户主', localHukou: true, labourAbility: '弱劳动能力',
        employment: { status: '务工', location: '区县内', stableMonths: 7, socialInsuranceMonths: 0 },
        insurance: { medicalEnrolled: true, medicalTier: '一档', pensionEnrolled: true },
        chronicIllnesses: ['高血压', '糖尿病'], treatmentHospitalLevel: '县级及以下',
        medicalCare: { hospitalGrade: '二级', inPolicySelfPayYuan: 3200.75 }, mentalIllness: {},
        disability: { grade: 3, kind: '肢体' }, monthsAtHomeYearly: 10, trainingWish: true,
      },
      {
        name: '刘梓涵', idNumber: idNumber('女'), relation: '子女', localHukou: true, childStatus: '非困境儿童',
        school: { stage: '中职', year: 1, major: '涉农专业', boarding: true, schoolName: '渝北职教中心', otherAid: ['国家助学金'] },
        parentDisabled: true, residencePermitSince: null, schoolHealthBarrier: '无',
      },
    ],
  };
}

async function edit(file: Buffer, change: (row: Record<string, ExcelJS.Cell>, header: string[]) => void, keep?: (header: string) => boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0] as ExcelJS.Worksheet;
  const header = (sheet.getRow(1).values as string[]).slice(1);
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    change(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1)])), header);
  });
  if (keep) {
    for (let i = header.length; i >= 1; i--) if (!keep(header[i - 1] as string)) sheet.spliceColumns(i, 1);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(testDatabases('roundtrip'))('Excel round trip: $name', (database) => {
  let api: DbApi;
  beforeAll(async () => {
    api = await startApiOn(database);
  }, 60_000);
  afterAll(async () => api?.close());

  const upload = (body: Buffer) => api.call('village', { method: 'POST', url: '/api/excel/import', payload: body, headers: { 'content-type': XLSX } });
  const stored = async (id: string) => (await api.call('village', { method: 'GET', url: `/api/households/${id}` })).json() as { version: number; household: HouseholdInput };

  it('exports every field, and importing the export unchanged changes nothing', async () => {
    const h = rich();
    const created = await api.call('village', { method: 'POST', url: '/api/households', payload: h });
    expect(created.statusCode, created.body).toBe(201);
    const before = await stored(h.id);
    const exported = await api.call('village', { method: 'GET', url: '/api/export/households.xlsx' });
    expect(exported.statusCode).toBe(200);
    const rows = (await readHouseholdRows(exported.rawPayload)).filter((r) => r['户编号'] === h.id);
    expect(rows[0]).toMatchObject({
      贫困村: '是', 已获临时救助: '2023-05-01（急难型）、2024-02-10', 突发困难原因: '重特大疾病、医疗自付费用过高', 精神病患者: '是',
      经营主体类型: '农家乐', '经营主体贷款（元）': 50000, 扶贫小额信贷: '在贷', 登记人: '王书记', 风险已消除: '否', 稳定就业月数: 7,
    });
    expect(rows[1]).toMatchObject({ 居住证领取日期: '无', 中职专业类别: '涉农专业', 已享受其他学生资助: '国家助学金', 年级: 1 });
    const again = await upload(exported.rawPayload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: [], updated: [] });
    expect(again.json().unchanged).toContain(h.id);
    expect(await stored(h.id)).toEqual(before);
  });

  it('an edited export updates what was edited, clears an emptied cell, and keeps the rest', async () => {
    const h = rich();
    await api.call('village', { method: 'POST', url: '/api/households', payload: h });
    const exported = (await api.call('village', { method: 'GET', url: '/api/export/households.xlsx' })).rawPayload;
    const changed = await edit(exported, (row) => {
      if (row['户编号']?.value !== h.id || !row['区县']?.value) return;
      (row['扶贫小额信贷'] as ExcelJS.Cell).value = '有贷款需求';
      (row['突发困难原因'] as ExcelJS.Cell).value = null;
    });
    const res = await upload(changed);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().updated).toEqual([h.id]);
    const after = await stored(h.id);
    expect(after.version).toBe(2);
    expect(after.household.microcredit).toEqual({ ...h.microcredit, status: '有贷款需求' });
    expect(after.household.hardshipCauses).toBeUndefined();
    expect(after.household.business).toEqual(h.business);
    expect(after.household.members[1]?.school).toEqual(h.members[1]?.school);
  });

  it('a file in the first layout (or with columns deleted) keeps every field it has no column for', async () => {
    const h = rich();
    await api.call('village', { method: 'POST', url: '/api/households', payload: h });
    const before = await stored(h.id);
    const firstLayout = new Set(COLUMNS.slice(0, 28).map((c) => c.header));
    const exported = (await api.call('village', { method: 'GET', url: '/api/export/households.xlsx' })).rawPayload;
    // The export with full 身份证号 put back, trimmed to the first layout, with a new income.
    const old = await edit(exported, (row) => {
      if (row['户编号']?.value !== h.id) return;
      const member = h.members.find((m) => m.name === row['姓名']?.value);
      (row['身份证号'] as ExcelJS.Cell).value = member?.idNumber ?? null;
      if (row['区县']?.value) (row['人均收入（元）'] as ExcelJS.Cell).value = 700;
    }, (header) => firstLayout.has(header));
    const res = await upload(old);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().updated).toContain(h.id);
    const after = await stored(h.id);
    expect(after.household).toEqual({ ...before.household, incomePerHead: { amountYuan: 700, period: '月' } });
  });
});
