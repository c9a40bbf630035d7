/**
 * @module Excel import, streamed: the sheet is read row by row (exceljs WorkbookReader), every row checked, problems reported by
 * row number and column in Chinese, then all households written in one transaction or none. Progress is reported as rows
 * read, rows validated and rows written.
 */
import { createReadStream, statSync } from 'node:fs';
import { pipeline, Readable, Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '../core/errors.ts';
import type { Household } from '../core/model/household.ts';
import { validateHousehold } from '../core/model/validate.ts';
import type { Actor } from '../auth/roles.ts';
import { requirePermission } from '../auth/roles.ts';
import { importHouseholds, MASKED_ID, type ImportOutcome } from '../storage/households.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { columnForPath, COLUMNS, SHEET_NAME, type Column } from './columns.ts';
import { SafeWorkbookReader } from './stream-reader.ts';

export interface ExcelProblem { row: number; column: string; path: string; message: string }

export interface ImportProgress {
  phase: 'reading' | 'validating' | 'writing' | 'done';
  /** Data rows read from the sheet so far. */
  rowsRead: number;
  /** Rows whose household has been checked. */
  rowsValidated: number;
  /** Rows whose household has been written (inside the still open transaction until `done`). */
  rowsWritten: number;
  /** Households in the file (known once reading is done). */
  households: number;
  householdsWritten: number;
  /** Bytes of the file read, and its size when known. */
  bytesRead: number;
  bytesTotal: number | null;
}

export interface ImportRunOptions {
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** File size, for progress while reading. */
  bytesTotal?: number | undefined;
  /** Households per round of statements when writing. */
  batchSize?: number | undefined;
}

export type ImportResult = ImportOutcome & { rows: number };

/** Beyond this many data rows a file is refused (about 400,000 households). */
export const MAX_ROWS = 1_000_000;

/** A rejected import: nothing was written; `problems` says where and why. */
export function importError(problems: ExcelProblem[]): DomainError {
  const head = problems.slice(0, 3).map((p) => `第${p.row}行“${p.column}”：${p.message}`).join('；');
  return new DomainError('invalid_input', `导入失败，未写入任何数据。共${problems.length}处问题：${head}${problems.length > 3 ? '……' : ''}`, { problems });
}

const notXlsx = () => new DomainError('invalid_input', '无法读取文件：请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）', { problems: [{ row: 0, column: '', path: '', message: '不是有效的 .xlsx 文件' }] });

function cellText(value: ExcelJS.CellValue): { text: string; numeric: boolean } {
  if (value === null || value === undefined) return { text: '', numeric: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), numeric: false };
  if (typeof value === 'number') return { text: String(value), numeric: true };
  if (typeof value === 'boolean') return { text: value ? '是' : '否', numeric: false };
  if (typeof value === 'object') {
    if ('richText' in value) return { text: value.richText.map((r) => r.text).join('').trim(), numeric: false };
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return { text: String(value.text).trim(), numeric: false };
    if ('error' in value) return { text: String(value.error), numeric: false };
  }
  return { text: String(value).trim(), numeric: false };
}

type Json = Record<string, unknown>;

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Json;
  node[keys[keys.length - 1] as string] = value;
}

function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), source);
}

const LIST_SEPARATORS = /[、,，;；\n]/;

/** 2023/5/1, 2023.5.1, 2023年5月1日 and Excel day numbers become 2023-05-01; anything else is left for the checks to refuse. */
function normaliseDate(text: string): string {
  const parts = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (parts) return `${parts[1]}-${(parts[2] as string).padStart(2, '0')}-${(parts[3] as string).padStart(2, '0')}`;
  if (/^\d{4,5}(\.0+)?$/.test(text)) {
    const serial = Number(text);
    if (serial > 0 && serial < 2958466) return new Date(Date.UTC(1899, 11, 30) + serial * 86400000).toISOString().slice(0, 10);
  }
  return text;
}

/** Turns a cell into the input value its column expects, or a Chinese reason. */
function convert(column: Column, text: string): { value: unknown } | { problem: string } {
  switch (column.kind) {
    case 'bool':
    case 'presence':
      return text === '是' ? { value: true } : text === '否' ? { value: false } : { problem: '应填“是”或“否”' };
    case 'number': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? { value: n } : { problem: '应为数字' };
    }
    case 'int': {
      const n = Number(text);
      return text !== '' && Number.isInteger(n) ? { value: n } : { problem: '应为整数' };
    }
    case 'date':
      if (column.noneIsNull && text === '无') return { value: null };
      return { value: normaliseDate(text) };
    case 'list': {
      if (text === '无') return { value: [] };
      const items = text.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean);
      const wrong = column.options ? items.filter((i) => !column.options?.includes(i)) : [];
      if (wrong.length > 0) return { problem: `中的“${wrong.join('、')}”不是可填写的值，应为以下之一：${column.options?.join('、')}` };
      return { value: items };
    }
    case 'aid': {
      if (text === '无') return { value: [] };
      const out: { receivedOn: string; kind?: string }[] = [];
      for (const item of text.split(/[、,，;；\n]/).map((s) => s.trim()).filter(Boolean)) {
        const m = /^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(?:[（(]\s*(急难型|支出型)\s*[)）]|\s+(急难型|支出型))?$/.exec(item);
        if (!m) return { problem: `“${item}”应写作“日期（急难型或支出型）”，如 2023-05-01（急难型）` };
        const kind = m[2] ?? m[3];
        out.push({ receivedOn: normaliseDate(m[1] as string), ...(kind ? { kind } : {}) });
      }
      return { value: out };
    }
    default:
      if (column.options && !column.options.includes(text)) return { problem: `应为以下之一：${column.options.join('、')}` };
      return { value: text };
  }
}

interface ParsedRow { row: number; values: Map<Column, string> }

export interface ParsedHousehold { input: Json; rows: number[]; memberRows: number[]; categoryRows: number[] }

export interface ParsedImport {
  households: ParsedHousehold[];
  problems: ExcelProblem[];
  rowCount: number;
  /** The layout columns the file has (matched by header); the others keep their stored values when a household is updated. */
  present: Column[];
}

/** Counts the bytes passing through, for progress. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

/** Reads and checks the sheet as a stream; no database access. Only the chosen sheet's cells that matter are kept. */
export async function parseWorkbookStream(source: Readable, options: ImportRunOptions = {}): Promise<ParsedImport> {
  const progress: ImportProgress = { phase: 'reading', rowsRead: 0, rowsValidated: 0, rowsWritten: 0, households: 0, householdsWritten: 0, bytesRead: 0, bytesTotal: options.bytesTotal ?? null };
  const report = () => options.onProgress?.({ ...progress });
  const counted = byteCounter((n) => {
    progress.bytesRead += n;
  });
  pipeline(source, counted, () => undefined);
  const reader = new SafeWorkbookReader(counted, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });

  const problems: ExcelProblem[] = [];
  const groups = new Map<string, ParsedRow[]>();
  const idColumn = COLUMNS[0] as Column;
  let positions: Map<Column, number> | null = null;
  let sawSheet = false;
  let rowCount = 0;
  try {
    for await (const sheet of reader) {
      const names = ((reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets ?? []).map((s) => s.name);
      const wanted = names.includes(SHEET_NAME) ? SHEET_NAME : names[0];
      const name = (sheet as unknown as { name?: string }).name;
      if (sawSheet || (wanted !== undefined && name !== undefined && name !== wanted)) continue;
      sawSheet = true;
      for await (const row of sheet) {
        if (row.number === 1) {
          positions = new Map();
          row.eachCell((cell, col) => {
            const column = COLUMNS.find((c) => c.header === cellText(cell.value).text);
            if (column && positions && !positions.has(column)) positions.set(column, col);
          });
          const required = COLUMNS.filter((c) => ['id', 'area.county', 'name', 'relation'].includes(c.path));
          const missing = required.filter((c) => !positions?.has(c));
          if (missing.length > 0) throw importError(missing.map((c) => ({ row: 1, column: c.header, path: c.path, message: '缺少此列（请使用导入模板）' })));
          continue;
        }
        if (!positions) throw importError([{ row: 1, column: '', path: '', message: '第1行应为表头（请使用导入模板）' }]);
        const values = new Map<Column, string>();
        // row.values holds the cells the file has; row.getCell() would create the ~100 empty ones of a member's row.
        const cells = row.values as ExcelJS.CellValue[];
        for (const [column, col] of positions) {
          const { text, numeric } = cellText(cells[col]);
          if (column.path === 'idNumber' && numeric) {
            problems.push({ row: row.number, column: column.header, path: column.path, message: '身份证号被存成了数字，会丢失末位；请把该列设为文本格式后重新填写' });
            continue;
          }
          if (text !== '') values.set(column, text);
        }
        if (values.size === 0) continue;
        rowCount += 1;
        if (rowCount > MAX_ROWS) throw importError([{ row: row.number, column: '', path: '', message: `文件超过${MAX_ROWS}行，请分成几个文件导入` }]);
        const id = values.get(idColumn);
        if (!id) problems.push({ row: row.number, column: idColumn.header, path: 'id', message: '户编号不能为空' });
        else {
          const group = groups.get(id);
          if (group) group.push({ row: row.number, values });
          else groups.set(id, [{ row: row.number, values }]);
        }
        progress.rowsRead = rowCount;
        if (rowCount % 1000 === 0) report();
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw notXlsx();
  } finally {
    // Stopping early (a wrong header) must not leave the file open.
    source.destroy();
    counted.destroy();
  }
  if (!sawSheet) throw notXlsx();
  if (!positions) throw importError([{ row: 1, column: '', path: '', message: '文件中没有表头和数据（请使用导入模板）' }]);
  const present = [...(positions as Map<Column, number>).keys()];
  progress.rowsRead = rowCount;
  progress.households = groups.size;
  progress.phase = 'validating';
  report();

  const presentSet = new Set(present);
  const households: ParsedHousehold[] = [];
  for (const [id, group] of groups) {
    const { entry, cellProblems } = assemble(id, group);
    problems.push(...cellProblems);
    const hasMasked = (entry.input.members as Json[]).some((m) => typeof m.idNumber === 'string' && MASKED_ID.test(m.idNumber));
    // A household with masked 身份证号 (a re-imported export) is checked once the stored numbers are known.
    if (cellProblems.length === 0 && !hasMasked) {
      const result = validateHousehold(entry.input);
      if (!result.ok) {
        for (const p of result.problems) {
          const located = locate(entry, p.path, p.message);
          // Fields of columns the file lacks may be kept from the stored household: checked again, after that, when writing.
          const column = columnForPath(p.path).column;
          if (column && !presentSet.has(column)) continue;
          problems.push(located);
        }
      }
    }
    households.push(entry);
    progress.rowsValidated += group.length;
    if (households.length % 500 === 0) report();
  }
  if (rowCount === 0 && problems.length === 0) problems.push({ row: 2, column: '', path: '', message: '文件中没有数据行' });
  sortProblems(problems);
  report();
  return { households, problems, rowCount, present };
}

/** One household's rows → its input: household cells must agree across rows, each row may add a member and a category. */
function assemble(id: string, group: ParsedRow[]): { entry: ParsedHousehold; cellProblems: ExcelProblem[] } {
  const input: Json = { id, members: [], categories: [] };
  const memberRows: number[] = [];
  const categoryRows: number[] = [];
  const cellProblems: ExcelProblem[] = [];
  const firstValue = new Map<Column, string>();
  for (const r of group) {
    const member: Json = {};
    const category: Json = {};
    const denied: Column[] = [];
    for (const [column, text] of r.values) {
      if (column.path === 'id') continue;
      const converted = convert(column, text);
      if ('problem' in converted) {
        cellProblems.push({ row: r.row, column: column.header, path: column.path, message: `“${text}”${converted.problem}` });
        continue;
      }
      if (column.level === 'household') {
        const previous = firstValue.get(column);
        if (previous !== undefined && previous !== text) {
          cellProblems.push({ row: r.row, column: column.header, path: column.path, message: `与本户第一行的“${previous}”不一致` });
          continue;
        }
        firstValue.set(column, text);
      }
      const target = column.level === 'household' ? input : column.level === 'member' ? member : category;
      if (column.kind === 'presence') {
        if (converted.value === true) {
          if (getPath(target, column.path) === undefined) setPath(target, column.path, {});
        } else denied.push(column);
        continue;
      }
      setPath(target, column.path, converted.value);
    }
    for (const column of denied) {
      const target = column.level === 'household' ? input : column.level === 'member' ? member : category;
      if (getPath(target, column.path) !== undefined) {
        cellProblems.push({ row: r.row, column: column.header, path: column.path, message: '填了“否”，但同组的其他列有内容' });
      }
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
  return { entry: { input, rows: group.map((g) => g.row), memberRows, categoryRows }, cellProblems };
}

const columnOrder = new Map(COLUMNS.map((c, i) => [c.header, i]));

/** By row, then in the order of the columns. */
function sortProblems(problems: ExcelProblem[]): ExcelProblem[] {
  return problems.sort((a, b) => a.row - b.row || (columnOrder.get(a.column) ?? -1) - (columnOrder.get(b.column) ?? -1));
}

function locate(entry: ParsedHousehold, path: string, message: string): ExcelProblem {
  const { column, member, category } = columnForPath(path);
  const row = member !== null ? entry.memberRows[member] : category !== null ? entry.categoryRows[category] : undefined;
  return { row: row ?? entry.rows[0] ?? 0, column: column?.header ?? '', path, message };
}

/** Reads and checks a whole file held in memory (small files, tests). */
export async function parseWorkbook(buffer: Buffer | Uint8Array, options: ImportRunOptions = {}): Promise<ParsedImport> {
  return parseWorkbookStream(Readable.from([Buffer.from(buffer)]), { bytesTotal: buffer.length, ...options });
}

// ---------------------------------------------------------------- keeping what the file does not say

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Copies into `out` every field of `stored` that no present column speaks for: fields of columns the file lacks and fields the
 * layout has no column for. A present column decides alone, even when its cell is empty (that clears the field).
 */
function keepUnspoken(stored: Json, out: Json, present: readonly string[], prefix = ''): void {
  for (const [key, value] of Object.entries(stored)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (present.includes(path)) continue;
    const below = present.some((p) => p.startsWith(`${path}.`));
    if (!below) {
      if (out[key] === undefined) out[key] = value;
      continue;
    }
    if (!isObject(value)) continue;
    if (out[key] === undefined) {
      const fresh: Json = {};
      keepUnspoken(value, fresh, present, path);
      if (Object.keys(fresh).length > 0) out[key] = fresh;
    } else if (isObject(out[key])) keepUnspoken(value, out[key] as Json, present, path);
  }
}

/** The input that updates `stored`: the file's values, plus what the file cannot or does not say (matched member by member). */
export function mergeWithStored(stored: Household, input: Json, present: readonly Column[]): Json {
  const paths = (level: Column['level']) => present.filter((c) => c.level === level).map((c) => c.path);
  const out: Json = structuredClone(input);
  const { members: storedMembers, categories: storedCategories, ...storedRest } = stored as unknown as Json & { members: Json[]; categories: Json[] };
  keepUnspoken(storedRest, out, [...paths('household'), 'members', 'categories']);

  const memberPaths = paths('member');
  const taken = new Set<number>();
  const sameId = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && (a === b || (MASKED_ID.test(a) && `${b.slice(0, 6)}********${b.slice(14)}` === a));
  for (const m of (out.members as Json[] | undefined) ?? []) {
    let index = storedMembers.findIndex((s, i) => !taken.has(i) && sameId(m.idNumber, s.idNumber));
    if (index < 0 && m.idNumber === undefined) {
      const byName = storedMembers.map((s, i) => ({ s, i })).filter(({ s, i }) => !taken.has(i) && s.name === m.name);
      if (byName.length === 1) index = (byName[0] as { i: number }).i;
    }
    if (index < 0) continue;
    taken.add(index);
    keepUnspoken(storedMembers[index] as Json, m, memberPaths);
  }

  const categoryPaths = paths('category');
  if (categoryPaths.length === 0) out.categories = storedCategories;
  else {
    for (const c of (out.categories as Json[] | undefined) ?? []) {
      const match = storedCategories.find((s) => s.type === c.type && s.from === c.from);
      if (match) keepUnspoken(match, c, categoryPaths);
    }
  }
  return out;
}

// ---------------------------------------------------------------- import

/** Parses and checks the stream, then writes every household in one transaction: all of them, or none and the list of problems. */
export async function importWorkbookStream(db: SqlDatabase, actor: Actor, source: Readable, options: ImportRunOptions = {}): Promise<ImportResult> {
  requirePermission(actor, 'import');
  let last: ImportProgress = { phase: 'reading', rowsRead: 0, rowsValidated: 0, rowsWritten: 0, households: 0, householdsWritten: 0, bytesRead: 0, bytesTotal: options.bytesTotal ?? null };
  const report = (p: ImportProgress) => {
    last = p;
    options.onProgress?.(p);
  };
  const parsed = await parseWorkbookStream(source, { ...options, onProgress: report });
  if (parsed.problems.length > 0) throw importError(parsed.problems);
  const rowsBefore: number[] = [0];
  for (const h of parsed.households) rowsBefore.push((rowsBefore[rowsBefore.length - 1] as number) + h.rows.length);
  report({ ...last, phase: 'writing' });
  try {
    const outcome = await importHouseholds(db, actor, parsed.households.map((h) => ({
      household: h.input,
      merge: (stored: Household, input: unknown) => mergeWithStored(stored, input as Json, parsed.present),
    })), {
      batchSize: options.batchSize,
      onProgress: (done) => report({ ...last, phase: 'writing', householdsWritten: done, rowsWritten: rowsBefore[done] ?? last.rowsWritten }),
    });
    report({ ...last, phase: 'done' });
    return { ...outcome, rows: parsed.rowCount };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const problems = ((error.details as { problems?: { index: number; path: string; message: string }[] })?.problems ?? []).map((p) => {
      const entry = parsed.households[p.index];
      return entry ? locate(entry, p.path, p.message) : { row: 0, column: '', path: p.path, message: p.message };
    });
    sortProblems(problems);
    if (error.code === 'forbidden' || error.code === 'conflict' || error.code === 'unknown_area' || error.code === 'invalid_input' || error.code === 'not_found') {
      const mapped = importError(problems.length ? problems : [{ row: 0, column: '', path: '', message: error.message }]);
      throw new DomainError(error.code, mapped.message, mapped.details);
    }
    throw error;
  }
}

/** A file held in memory (the synchronous route for small files). */
export async function importWorkbook(db: SqlDatabase, actor: Actor, buffer: Buffer | Uint8Array, options: ImportRunOptions = {}): Promise<ImportResult> {
  return importWorkbookStream(db, actor, Readable.from([Buffer.from(buffer)]), { bytesTotal: buffer.length, ...options });
}

/** A file on disk, streamed (import jobs, large files). */
export async function importWorkbookFile(db: SqlDatabase, actor: Actor, path: string, options: ImportRunOptions = {}): Promise<ImportResult> {
  return importWorkbookStream(db, actor, createReadStream(path), { bytesTotal: statSync(path).size, ...options });
}
