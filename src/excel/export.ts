/** @module Excel files out: the import template, households in the user's area (身份证号 masked), and screening results with totals by policy. */
import ExcelJS from 'exceljs';
import type { Household } from '../core/model/household.ts';
import { formatYuan } from '../core/money.ts';
import { requirePermission, type Actor } from '../auth/roles.ts';
import { recordAudit } from '../storage/audit.ts';
import { maskHousehold } from '../storage/households.ts';
import { latestScreenings } from '../storage/screenings.ts';
import { scopeCondition } from '../auth/roles.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { COLUMNS, SHEET_NAME, type Column } from './columns.ts';

const STATUS_LABEL = { eligible: '可享受', ineligible: '不可享受', undetermined: '待补充信息' } as const;

function addHeader(sheet: ExcelJS.Worksheet, columns: readonly { header: string; width: number; note?: string }[]): void {
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  columns.forEach((c, i) => {
    if (c.note) header.getCell(i + 1).note = c.note;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Import template: headers with notes, 身份证号 column as text, drop-down lists for closed vocabularies, one example household. */
export async function importTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET_NAME);
  addHeader(sheet, COLUMNS);
  COLUMNS.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    if (c.kind === 'text' || c.kind === 'date') col.numFmt = '@';
    if (c.options) {
      for (let r = 2; r <= 1000; r++) {
        sheet.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${c.options.join(',')}"`], showErrorMessage: true, error: `应为：${c.options.join('、')}` };
      }
    }
  });
  const example: Record<string, string>[] = [
    { 户编号: 'YB-0001', 区县: '渝北区', 镇街: '兴隆镇', 村社: '牌坊村', '人均收入（元）': '820', 收入周期: '月', 集中供水: '是', 户类别: '脱贫户', 纳入日期: '2016-01-01', 姓名: '示例户主', 出生日期: '1968-05-02', 性别: '男', 与户主关系: '户主', 本市户籍: '是', 参加医保: '是' },
    { 户编号: 'YB-0001', 姓名: '示例子女', 出生日期: '2010-09-01', 性别: '女', 与户主关系: '子女', 学段: '初中', 寄宿: '是', 参加医保: '是' },
  ];
  for (const values of example) sheet.addRow(COLUMNS.map((c) => values[c.header] ?? null));
  const help = workbook.addWorksheet('填写说明');
  help.columns = [{ header: '列', width: 16 }, { header: '说明', width: 60 }, { header: '可填写的值', width: 80 }];
  help.getRow(1).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c.header, c.note, c.options?.join('、') ?? '']);
  help.addRow([]);
  help.addRow(['导入规则', '同一户编号的各行为同一户；任何一行有误则整个文件不导入，并列出行号、列名和原因。按身份证号识别已登记的户：重复导入同一文件不会产生重复数据。', '']);
  return toBuffer(workbook);
}

function cellValue(column: Column, h: Household, memberIndex: number, categoryIndex: number): string | number | null {
  const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
  const source = column.level === 'household' ? (memberIndex === 0 ? h : undefined)
    : column.level === 'member' ? h.members[memberIndex] : h.categories[categoryIndex];
  const value = column.path === 'id' ? h.id : source === undefined ? undefined : get(source, column.path);
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.join('、');
  return value as string | number;
}

/** Households of the actor's area, one row per member, 身份证号 masked. */
export async function exportHouseholds(db: SqlDatabase, actor: Actor): Promise<Buffer> {
  requirePermission(actor, 'export');
  const params: unknown[] = [];
  const rows = await db.query<{ data: Household }>(`SELECT data FROM households h WHERE h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', params)} ORDER BY h.id`, params);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET_NAME);
  addHeader(sheet, COLUMNS);
  for (const { data } of rows) {
    const h = maskHousehold(data);
    const lines = Math.max(h.members.length, h.categories.length);
    for (let i = 0; i < lines; i++) sheet.addRow(COLUMNS.map((c) => cellValue(c, h, i, i)));
  }
  await recordAudit(db, actor, 'export', null, { kind: 'households', households: rows.length });
  return toBuffer(workbook);
}

/** Latest stored screening of each household in the actor's area: entitlements with amounts, and totals by policy. */
export async function exportScreenings(db: SqlDatabase, actor: Actor): Promise<Buffer> {
  requirePermission(actor, 'export');
  const list = await latestScreenings(db, actor);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('测算结果');
  addHeader(sheet, [
    { header: '户编号', width: 16 }, { header: '区县', width: 10 }, { header: '镇街', width: 12 }, { header: '村社', width: 12 },
    { header: '测算日期', width: 12 }, { header: '政策包', width: 22 }, { header: '政策编号', width: 40 }, { header: '政策名称', width: 30 },
    { header: '对象', width: 10 }, { header: '结果', width: 12 }, { header: '金额（元）', width: 12 }, { header: '单位', width: 10 }, { header: '缺少的信息', width: 30 },
  ]);
  const totals = new Map<string, { name: string; unit: string; count: number; fen: number }>();
  for (const { householdId, area, screening } of list) {
    const packs = screening.packs.map((p) => `${p.id}@${p.version}`).join('、');
    for (const d of screening.result.decisions) {
      if (d.status === 'ineligible') continue;
      sheet.addRow([householdId, area.county, area.town, area.village, screening.date, packs, d.policy, d.name, d.member?.name ?? '全户',
        STATUS_LABEL[d.status], d.amount?.fen != null ? Number(formatYuan(d.amount.fen)) : null, d.amount?.unit ?? null, d.missing.map((m) => m.label).join('、') || null]);
      if (d.status === 'eligible') {
        const key = `${d.policy}|${d.amount?.unit ?? ''}`;
        const t = totals.get(key) ?? { name: d.name, unit: d.amount?.unit ?? '', count: 0, fen: 0 };
        t.count += 1;
        t.fen += d.amount?.fen ?? 0;
        totals.set(key, t);
      }
    }
  }
  const sum = workbook.addWorksheet('按政策合计');
  addHeader(sum, [{ header: '政策编号', width: 40 }, { header: '政策名称', width: 30 }, { header: '可享受（人/户次）', width: 16 }, { header: '金额合计（元）', width: 16 }, { header: '单位', width: 10 }]);
  for (const [key, t] of [...totals].sort(([a], [b]) => a.localeCompare(b))) {
    sum.addRow([key.split('|')[0], t.name, t.count, t.fen ? Number(formatYuan(t.fen)) : null, t.unit || null]);
  }
  await recordAudit(db, actor, 'export', null, { kind: 'screenings', households: list.length });
  return toBuffer(workbook);
}
