/** The sheet layout covers the household input format, and cells convert both ways. No database. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HouseholdSchema } from '../../src/core/model/household.ts';
import { columnForPath, COLUMNS } from '../../src/excel/columns.ts';
import { importTemplate } from '../../src/excel/export.ts';
import { mergeWithStored, parseWorkbook } from '../../src/excel/import.ts';
import { household, idNumber } from '../storage/fixtures.ts';

/** Every field a user can fill in, as paths: members[].x, categories[].x, or a household path. */
function inputPaths(): string[] {
  const out: string[] = [];
  const walk = (s: Record<string, unknown>, path: string) => {
    if (Array.isArray(s.anyOf)) {
      for (const a of s.anyOf as Record<string, unknown>[]) if (a.type !== 'null') walk(a, path);
      return;
    }
    if (s.type === 'object' && s.properties) {
      for (const [k, v] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) walk(v, path ? `${path}.${k}` : k);
      return;
    }
    const items = s.items as Record<string, unknown> | undefined;
    if (s.type === 'array' && items?.type === 'object' && (path === 'members' || path === 'categories')) {
      walk(items, `${path}[]`);
      return;
    }
    out.push(path);
  };
  walk(z.toJSONSchema(HouseholdSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>, '');
  return [...new Set(out)];
}

describe('the sheet layout', () => {
  it('has a column for every field of the household input format (src/core/model/household.ts)', () => {
    const missing = inputPaths().filter((path) => {
      const [, level, rest] = /^(members|categories)\[\]\.(.*)$/.exec(path) ?? [null, 'household', path];
      const l = level === 'members' ? 'member' : level === 'categories' ? 'category' : 'household';
      return !COLUMNS.some((c) => c.level === l && (c.path === rest || (rest as string).startsWith(`${c.path}.`)));
    });
    // A new input field needs a column (Chinese header, note, drop-down) in src/excel/columns.ts; until then imports keep its stored value.
    expect(missing).toEqual([]);
  });

  it('has unique Chinese headers, and every closed list fits an Excel drop-down', () => {
    expect(new Set(COLUMNS.map((c) => c.header)).size).toBe(COLUMNS.length);
    for (const c of COLUMNS) {
      expect(c.header).toMatch(/[\u4e00-\u9fff]/);
      if (c.options && c.kind !== 'list') expect(`"${c.options.join(',')}"`.length).toBeLessThanOrEqual(255);
    }
  });

  it('finds the column of a field path, nested or not', () => {
    expect(columnForPath('members[2].school.year')).toMatchObject({ column: { header: '年级' }, member: 2 });
    expect(columnForPath('members[0].mentalIllness.treatment').column?.header).toBe('精神病治疗方式');
    expect(columnForPath('members[0].employment').column?.header).toBe('就业状态');
    expect(columnForPath('business.loan.dueDate').column?.header).toBe('经营主体贷款到期日');
    expect(columnForPath('hardshipCauses[1]').column?.header).toBe('突发困难原因');
    expect(columnForPath('area.code').column?.header).toBe('区划代码');
    expect(columnForPath('categories[1].riskEliminated')).toMatchObject({ column: { header: '风险已消除' }, category: 1 });
  });

  it('the template has every header, notes, and drop-downs on the closed lists', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await importTemplate()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('户成员') as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(COLUMNS.map((c) => c.header));
    const col = COLUMNS.findIndex((c) => c.header === '扶贫小额信贷') + 1;
    expect(sheet.getCell(500, col).dataValidation).toMatchObject({ type: 'list', formulae: ['"在贷,有贷款需求,无"'] });
    expect(sheet.getCell(1, col).note).toBeTruthy();
    expect(wb.getWorksheet('填写说明')?.rowCount).toBeGreaterThan(COLUMNS.length);
  });
});

async function sheet(rows: Record<string, string | number | Date>[], headers = COLUMNS.map((c) => c.header)): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet('户成员');
  s.addRow(headers);
  for (const r of rows) s.addRow(headers.map((h) => r[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('reading the new columns', () => {
  const head = { 户编号: 'C-1', 区县: '渝北区', 镇街: '兴隆镇', 村社: '牌坊村', 姓名: '甲', 出生日期: '1970-01-02', 与户主关系: '户主' };

  it('turns lists, 临时救助, dates written several ways, 无 and presence columns into the input format', async () => {
    const parsed = await parseWorkbook(await sheet([{
      ...head, 突发困难原因: '交通事故、自然灾害', 已获临时救助: '2023/5/1（急难型）、2023-08-02', 居住证领取日期: '无', 慢性病: '无',
      精神病患者: '是', 精神病治疗方式: '居家', 年级: 2, 学段: '初中', 扶贫小额信贷: '在贷', 小额信贷到期日: new Date(Date.UTC(2025, 2, 31)), 经营主体类型: '农家乐', 带动贫困户数: 3,
    }]));
    expect(parsed.problems).toEqual([]);
    const input = parsed.households[0]?.input as Record<string, unknown>;
    expect(input).toMatchObject({
      hardshipCauses: ['交通事故', '自然灾害'],
      temporaryAid: [{ receivedOn: '2023-05-01', kind: '急难型' }, { receivedOn: '2023-08-02' }],
      microcredit: { dueDate: '2025-03-31' },
      business: { kinds: ['农家乐'], linkedPoorHouseholds: 3 },
      members: [{ residencePermitSince: null, chronicIllnesses: [], mentalIllness: { treatment: '居家' }, school: { stage: '初中', year: 2 } }],
    });
  });

  it('says what is wrong with a cell, by row and column, in Chinese', async () => {
    const parsed = await parseWorkbook(await sheet([
      { ...head, 突发困难原因: '交通事故、天灾' },
      { 户编号: 'C-1', 姓名: '乙', 出生日期: '1999-01-01', 与户主关系: '子女', 精神病患者: '否', 精神病治疗方式: '住院', 已获临时救助: '上个月' },
      { ...head, 户编号: 'C-2', 扶贫小额信贷: '已还清', 年级: '二' },
    ]));
    expect(parsed.problems).toEqual([
      expect.objectContaining({ row: 2, column: '突发困难原因', message: expect.stringContaining('“交通事故、天灾”中的“天灾”不是可填写的值') }),
      expect.objectContaining({ row: 3, column: '精神病患者', message: '填了“否”，但同组的其他列有内容' }),
      expect.objectContaining({ row: 3, column: '已获临时救助', message: expect.stringContaining('应写作“日期（急难型或支出型）”') }),
      expect.objectContaining({ row: 4, column: '年级', message: '“二”应为整数' }),
      expect.objectContaining({ row: 4, column: '扶贫小额信贷' }),
    ]);
  });

  it('keeps, on update, what the file has no column for, and clears what a present column leaves empty', () => {
    const stored = HouseholdSchema.parse(household(undefined, {
      hardshipCauses: ['交通事故'], doudi: true,
      members: [
        { name: '张三', idNumber: idNumber('男'), relation: '户主', school: { stage: '高中', year: 2, otherAid: ['助学金'] }, insurance: { medicalEnrolled: true, pensionEnrolled: true } },
        { name: '张小', birthDate: '2015-02-03', relation: '子女', trainingWish: true },
      ],
    }));
    const present = COLUMNS.filter((c) => ['id', 'area.county', 'area.town', 'area.village', 'name', 'idNumber', 'birthDate', 'relation', 'school.stage', 'insurance.medicalEnrolled', 'hardshipCauses'].includes(c.path));
    const input = {
      id: stored.id, area: { county: '渝北区', town: '兴隆镇', village: '牌坊村' }, categories: [],
      members: [{ name: '张三', idNumber: stored.members[0]?.idNumber, relation: '户主', school: { stage: '高中' } }, { name: '张小', birthDate: '2015-02-03', relation: '子女' }],
    };
    const merged = mergeWithStored(stored, input, present) as { doudi?: boolean; hardshipCauses?: string[]; categories: unknown[]; members: Record<string, unknown>[]; incomePerHead?: unknown };
    expect(merged.doudi).toBe(true);
    expect(merged.incomePerHead).toEqual(stored.incomePerHead);
    expect(merged.hardshipCauses).toBeUndefined();
    expect(merged.categories).toEqual(stored.categories);
    expect(merged.members[0]).toMatchObject({ school: { stage: '高中', year: 2, otherAid: ['助学金'] }, insurance: { pensionEnrolled: true } });
    expect((merged.members[0]?.insurance as Record<string, unknown>).medicalEnrolled).toBeUndefined();
    expect(merged.members[1]).toMatchObject({ trainingWish: true });
  });
});
