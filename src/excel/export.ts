/**
 * @module Excel files out: the import template, households in the user's area (身份证号 masked), and screening results with
 * totals by policy. Exports are streamed (exceljs WorkbookWriter): rows are read from the database a page at a time and
 * written out as they come, so memory stays flat however many households there are.
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ScreeningResult } from '../core/evaluator/decision.ts';
import type { Household } from '../core/model/household.ts';
import { formatYuan } from '../core/money.ts';
import { requirePermission, scopeCondition, type Actor } from '../auth/roles.ts';
import { recordAudit } from '../storage/audit.ts';
import { maskHousehold } from '../storage/households.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { COLUMNS, GROUPS, SHEET_NAME, type Column } from './columns.ts';

const STATUS_LABEL = { eligible: '可享受', ineligible: '不可享受', undetermined: '待补充信息' } as const;
const PAGE = 500;

interface HeaderColumn { header: string; width: number; note?: string; fill?: string }

function addHeader(sheet: ExcelJS.Worksheet, columns: readonly HeaderColumn[]): void {
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.fill ?? 'FFDDEBF7' } };
    if (c.note) cell.note = c.note;
  });
}

const layoutHeader = (): HeaderColumn[] => COLUMNS.map((c) => ({ header: c.header, width: c.width, note: c.note, fill: GROUPS[c.group] }));

/** Import template: headers with notes, 身份证号 column as text, drop-down lists for closed vocabularies, one example household. */
export async function importTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  addHeader(sheet, layoutHeader());
  const last = 2000;
  COLUMNS.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    if (c.kind === 'text' || c.kind === 'date' || c.kind === 'list' || c.kind === 'aid') col.numFmt = '@';
    // One validation per column range (not per cell): a closed list where one value goes in a cell.
    if (c.options && c.kind !== 'list') {
      const letter = col.letter;
      (sheet as unknown as { dataValidations: { add: (range: string, v: ExcelJS.DataValidation) => void } }).dataValidations.add(`${letter}2:${letter}${last}`, {
        type: 'list', allowBlank: true, formulae: [`"${c.options.join(',')}"`], showErrorMessage: true, errorTitle: c.header, error: `应为：${c.options.join('、')}`,
      });
    }
  });
  const example: Record<string, string>[] = [
    { 户编号: 'YB-0001', 区县: '渝北区', 镇街: '兴隆镇', 村社: '牌坊村', '人均收入（元）': '820', 收入周期: '月', 集中供水: '是', 户类别: '脱贫户', 纳入日期: '2016-01-01', 姓名: '示例户主', 出生日期: '1968-05-02', 性别: '男', 与户主关系: '户主', 本市户籍: '是', 参加医保: '是', 参加养老保险: '是' },
    { 户编号: 'YB-0001', 姓名: '示例子女', 出生日期: '2010-09-01', 性别: '女', 与户主关系: '子女', 学段: '初中', 寄宿: '是', 参加医保: '是' },
  ];
  for (const values of example) sheet.addRow(COLUMNS.map((c) => values[c.header] ?? null));
  const help = workbook.addWorksheet('填写说明');
  help.columns = [{ header: '列', width: 24 }, { header: '分组', width: 14 }, { header: '说明', width: 60 }, { header: '可填写的值', width: 80 }];
  help.getRow(1).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c.header, c.group, c.note, c.kind === 'list' && c.options ? `可多选：${c.options.join('、')}` : c.options?.join('、') ?? '']);
  help.addRow([]);
  help.addRow(['导入规则', '', '同一户编号的各行为同一户；户级的列只需在该户第一行填写。任何一行有误则整个文件不导入，并列出行号、列名和原因。按身份证号识别已登记的户：重复导入同一文件不会产生重复数据。', '']);
  help.addRow(['可删除不用的列', '', '文件中没有的列（删掉的列、旧模板没有的列），已登记户的相应信息保持不变；有这一列但单元格为空，表示清空该项。', '']);
  help.addRow(['导出文件再导入', '', '导出的身份证号是脱敏的；修改后可直接导入，户编号不变的户按已登记成员对应身份证号。', '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A cell's value; undefined leaves the cell out (most of a member's row is empty). */
type Cell = string | number | undefined;

function exportValue(column: Column, value: unknown): Cell {
  if (value === undefined) return undefined;
  if (value === null) return column.noneIsNull ? '无' : undefined;
  if (column.kind === 'presence') return '是';
  if (column.kind === 'aid' && Array.isArray(value)) {
    return value.length === 0 ? '无' : value.map((a: { receivedOn: string; kind?: string }) => (a.kind ? `${a.receivedOn}（${a.kind}）` : a.receivedOn)).join('、');
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.length === 0 ? '无' : value.join('、');
  if (typeof value === 'object') return undefined;
  return value as string | number;
}

function cellValue(column: Column, h: Household, memberIndex: number, categoryIndex: number): Cell {
  const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
  const source = column.level === 'household' ? (memberIndex === 0 ? h : undefined)
    : column.level === 'member' ? h.members[memberIndex] : h.categories[categoryIndex];
  const value = column.path === 'id' ? h.id : source === undefined ? undefined : get(source, column.path);
  return exportValue(column, value);
}

/** The rows of one household in the layout (one per member, categories alongside). */
export function householdRows(h: Household): Cell[][] {
  const lines = Math.max(h.members.length, h.categories.length);
  const rows: Cell[][] = [];
  for (let i = 0; i < lines; i++) rows.push(COLUMNS.map((c) => cellValue(c, h, i, i)));
  return rows;
}

/** Writes a streamed workbook into a readable stream; `fill` adds the rows (awaiting the database page by page). */
function streamWorkbook(fill: (workbook: ExcelJS.stream.xlsx.WorkbookWriter, out: PassThrough) => Promise<void>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  fill(workbook, out).then(() => workbook.commit()).catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/** Lets the reader catch up before the next page, so a slow client does not make the export pile up in memory. */
async function drain(out: PassThrough): Promise<void> {
  while (out.readableLength > 4 * 1024 * 1024 && !out.destroyed) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Households of the actor's area, one row per member, 身份证号 masked; streamed. */
export async function exportHouseholds(db: SqlDatabase, actor: Actor): Promise<Readable> {
  requirePermission(actor, 'export');
  const params: unknown[] = [];
  const where = `h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', params)}`;
  const [count] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM households h WHERE ${where}`, params);
  await recordAudit(db, actor, 'export', null, { kind: 'households', households: Number(count?.n ?? 0) });
  return streamWorkbook(async (workbook, out) => {
    const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
    addHeader(sheet, layoutHeader());
    sheet.getRow(1).commit();
    let after = '';
    for (;;) {
      const page = await db.query<{ id: string; data: Household }>(`SELECT h.id, h.data FROM households h WHERE ${where} AND h.id > $${params.length + 1} ORDER BY h.id LIMIT ${PAGE}`, [...params, after]);
      if (page.length === 0) break;
      for (const { data } of page) for (const row of householdRows(maskHousehold(data))) sheet.addRow(row).commit();
      after = (page[page.length - 1] as { id: string }).id;
      await drain(out);
    }
    sheet.commit();
  });
}

/** Latest stored screening of each household in the actor's area: entitlements with amounts, and totals by policy; streamed. */
export async function exportScreenings(db: SqlDatabase, actor: Actor): Promise<Readable> {
  requirePermission(actor, 'export');
  const params: unknown[] = [];
  const where = `h.deleted_at IS NULL AND ${scopeCondition(actor.scope, 'h', params)}`;
  const [count] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM households h WHERE ${where} AND h.latest_screening_id IS NOT NULL`, params);
  await recordAudit(db, actor, 'export', null, { kind: 'screenings', households: Number(count?.n ?? 0) });
  return streamWorkbook(async (workbook, out) => {
    const sheet = workbook.addWorksheet('测算结果', { views: [{ state: 'frozen', ySplit: 1 }] });
    addHeader(sheet, [
      { header: '户编号', width: 16 }, { header: '区县', width: 10 }, { header: '镇街', width: 12 }, { header: '村社', width: 12 },
      { header: '测算日期', width: 12 }, { header: '政策包', width: 22 }, { header: '政策编号', width: 40 }, { header: '政策名称', width: 30 },
      { header: '对象', width: 10 }, { header: '结果', width: 12 }, { header: '金额（元）', width: 12 }, { header: '单位', width: 10 }, { header: '缺少的信息', width: 30 },
    ]);
    sheet.getRow(1).commit();
    const totals = new Map<string, { name: string; unit: string; count: number; fen: number }>();
    let after = '';
    for (;;) {
      const page = await db.query<{ id: string; county: string; town: string; village: string; date: string; packs: { id: string; version: string }[]; result: ScreeningResult }>(
        `SELECT h.id, h.county, h.town, h.village, s.date, s.packs, s.result FROM households h JOIN screenings s ON s.id = h.latest_screening_id
         WHERE ${where} AND h.id > $${params.length + 1} ORDER BY h.id LIMIT ${PAGE}`, [...params, after]);
      if (page.length === 0) break;
      for (const s of page) {
        const packs = s.packs.map((p) => `${p.id}@${p.version}`).join('、');
        for (const d of s.result.decisions) {
          if (d.status === 'ineligible') continue;
          sheet.addRow([s.id, s.county, s.town, s.village, s.date, packs, d.policy, d.name, d.member?.name ?? '全户',
            STATUS_LABEL[d.status], d.amount?.fen != null ? Number(formatYuan(d.amount.fen)) : null, d.amount?.unit ?? null, d.missing.map((m) => m.label).join('、') || null]).commit();
          if (d.status === 'eligible') {
            const key = `${d.policy}|${d.amount?.unit ?? ''}`;
            const t = totals.get(key) ?? { name: d.name, unit: d.amount?.unit ?? '', count: 0, fen: 0 };
            t.count += 1;
            t.fen += Number(d.amount?.fen ?? 0);
            totals.set(key, t);
          }
        }
      }
      after = (page[page.length - 1] as { id: string }).id;
      await drain(out);
    }
    sheet.commit();
    const sum = workbook.addWorksheet('按政策合计', { views: [{ state: 'frozen', ySplit: 1 }] });
    addHeader(sum, [{ header: '政策编号', width: 40 }, { header: '政策名称', width: 30 }, { header: '可享受（人/户次）', width: 16 }, { header: '金额合计（元）', width: 16 }, { header: '单位', width: 10 }]);
    sum.getRow(1).commit();
    for (const [key, t] of [...totals].sort(([a], [b]) => a.localeCompare(b))) {
      sum.addRow([key.split('|')[0], t.name, t.count, t.fen ? Number(formatYuan(t.fen)) : null, t.unit || null]).commit();
    }
    sum.commit();
  });
}
