/** @module Excel import: every row checked, problems reported by row number and column in Chinese, then all households written in one transaction or none. */
import ExcelJS from 'exceljs';
import { DomainError } from '../core/errors.ts';
import { validateHousehold } from '../core/model/validate.ts';
import type { Actor } from '../auth/roles.ts';
import { requirePermission } from '../auth/roles.ts';
import { importHouseholds, type ImportOutcome } from '../storage/households.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { columnForPath, COLUMNS, SHEET_NAME, type Column } from './columns.ts';

export interface ExcelProblem { row: number; column: string; path: string; message: string }

/** A rejected import: nothing was written; `problems` says where and why. */
export function importError(problems: ExcelProblem[]): DomainError {
  const head = problems.slice(0, 3).map((p) => `第${p.row}行“${p.column}”：${p.message}`).join('；');
  return new DomainError('invalid_input', `导入失败，未写入任何数据。共${problems.length}处问题：${head}${problems.length > 3 ? '……' : ''}`, { problems });
}

function cellText(value: ExcelJS.CellValue): { text: string; numeric: boolean } {
  if (value === null || value === undefined) return { text: '', numeric: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), numeric: false };
  if (typeof value === 'number') return { text: String(value), numeric: true };
  if (typeof value === 'boolean') return { text: value ? '是' : '否', numeric: false };
  if (typeof value === 'object') {
    if ('richText' in value) return { text: value.richText.map((r) => r.text).join('').trim(), numeric: false };
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return { text: String(value.text).trim(), numeric: false };
  }
  return { text: String(value).trim(), numeric: false };
}

interface ParsedRow { row: number; values: Map<Column, string> }

type Json = Record<string, unknown>;

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Json;
  node[keys[keys.length - 1] as string] = value;
}

/** Turns a cell into the input value its column expects, or a Chinese reason. */
function convert(column: Column, text: string): { value: unknown } | { problem: string } {
  if (column.options && column.kind !== 'bool' && !column.options.includes(text)) return { problem: `应为以下之一：${column.options.join('、')}` };
  switch (column.kind) {
    case 'bool':
      return text === '是' ? { value: true } : text === '否' ? { value: false } : { problem: '应填“是”或“否”' };
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { problem: '应为数字' };
    }
    case 'int': {
      const n = Number(text);
      return Number.isInteger(n) ? { value: n } : { problem: '应为整数' };
    }
    case 'list':
      return { value: text.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean) };
    default:
      return { value: text };
  }
}

export interface ParsedImport {
  households: { input: Json; rows: number[]; memberRows: number[]; categoryRows: number[] }[];
  problems: ExcelProblem[];
  rowCount: number;
}

/** Reads and checks the sheet; no database access. */
export async function parseWorkbook(buffer: Buffer | Uint8Array): Promise<ParsedImport> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('invalid_input', '无法读取文件：请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）', { problems: [{ row: 0, column: '', path: '', message: '不是有效的 .xlsx 文件' }] });
  }
  const sheet = workbook.getWorksheet(SHEET_NAME) ?? workbook.worksheets[0];
  if (!sheet) throw importError([{ row: 0, column: '', path: '', message: '文件中没有工作表' }]);
  const headerRow = sheet.getRow(1);
  const positions = new Map<Column, number>();
  headerRow.eachCell((cell, col) => {
    const column = COLUMNS.find((c) => c.header === cellText(cell.value).text);
    if (column) positions.set(column, col);
  });
  const required = COLUMNS.filter((c) => ['id', 'area.county', 'name', 'relation'].includes(c.path));
  const missing = required.filter((c) => !positions.has(c));
  if (missing.length > 0) throw importError(missing.map((c) => ({ row: 1, column: c.header, path: c.path, message: '缺少此列（请使用导入模板）' })));

  const problems: ExcelProblem[] = [];
  const rows: ParsedRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const values = new Map<Column, string>();
    for (const [column, col] of positions) {
      const { text, numeric } = cellText(row.getCell(col).value);
      if (column.path === 'idNumber' && numeric) {
        problems.push({ row: rowNumber, column: column.header, path: column.path, message: '身份证号被存成了数字，会丢失末位；请把该列设为文本格式后重新填写' });
        continue;
      }
      if (text !== '') values.set(column, text);
    }
    if (values.size > 0) rows.push({ row: rowNumber, values });
  });

  const groups = new Map<string, ParsedRow[]>();
  for (const r of rows) {
    const idColumn = COLUMNS[0] as Column;
    const id = r.values.get(idColumn);
    if (!id) {
      problems.push({ row: r.row, column: idColumn.header, path: 'id', message: '户编号不能为空' });
      continue;
    }
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }

  const households: ParsedImport['households'] = [];
  for (const [id, group] of groups) {
    const input: Json = { id, members: [], categories: [] };
    const memberRows: number[] = [];
    const categoryRows: number[] = [];
    const cellProblems: ExcelProblem[] = [];
    for (const r of group) {
      const member: Json = {};
      const category: Json = {};
      for (const [column, text] of r.values) {
        if (column.path === 'id') continue;
        const converted = convert(column, text);
        if ('problem' in converted) {
          cellProblems.push({ row: r.row, column: column.header, path: column.path, message: `“${text}”${converted.problem}` });
          continue;
        }
        if (column.level === 'household') {
          const previous = group.find((g) => g !== r && g.row < r.row && g.values.has(column))?.values.get(column);
          if (previous !== undefined && previous !== text) cellProblems.push({ row: r.row, column: column.header, path: column.path, message: `与本户第一行的“${previous}”不一致` });
          else setPath(input, column.path, converted.value);
        } else setPath(column.level === 'member' ? member : category, column.path, converted.value);
      }
      if (Object.keys(member).length > 0) {
        (input.members as Json[]).push(member);
        memberRows.push(r.row);
      }
      if (Object.keys(category).length > 0) {
        (input.categories as Json[]).push(category);
        categoryRows.push(r.row);
      }
    }
    problems.push(...cellProblems);
    const entry = { input, rows: group.map((g) => g.row), memberRows, categoryRows };
    if (cellProblems.length === 0) {
      const result = validateHousehold(input);
      if (!result.ok) problems.push(...result.problems.map((p) => locate(entry, p.path, p.message)));
      else entry.input = result.value as unknown as Json;
    }
    households.push(entry);
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ row: 2, column: '', path: '', message: '文件中没有数据行' });
  problems.sort((a, b) => a.row - b.row);
  return { households, problems, rowCount: rows.length };
}

function locate(entry: ParsedImport['households'][number], path: string, message: string): ExcelProblem {
  const { column, member, category } = columnForPath(path);
  const row = member !== null ? entry.memberRows[member] : category !== null ? entry.categoryRows[category] : undefined;
  return { row: row ?? entry.rows[0] ?? 0, column: column?.header ?? '', path, message };
}

/** Parses, checks, then writes every household in one transaction: all of them, or none and the list of problems. */
export async function importWorkbook(db: SqlDatabase, actor: Actor, buffer: Buffer | Uint8Array): Promise<ImportOutcome & { rows: number }> {
  requirePermission(actor, 'import');
  const parsed = await parseWorkbook(buffer);
  if (parsed.problems.length > 0) throw importError(parsed.problems);
  try {
    const outcome = await importHouseholds(db, actor, parsed.households.map((h) => ({ household: h.input })));
    return { ...outcome, rows: parsed.rowCount };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const problems = ((error.details as { problems?: { index: number; path: string; message: string }[] })?.problems ?? []).map((p) => {
      const entry = parsed.households[p.index];
      return entry ? locate(entry, p.path, p.message) : { row: 0, column: '', path: p.path, message: p.message };
    });
    if (error.code === 'forbidden' || error.code === 'conflict' || error.code === 'unknown_area' || error.code === 'invalid_input') {
      const mapped = importError(problems.length ? problems : [{ row: 0, column: '', path: '', message: error.message }]);
      throw new DomainError(error.code, mapped.message, mapped.details);
    }
    throw error;
  }
}
