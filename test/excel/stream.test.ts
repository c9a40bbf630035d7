/** The streaming reader: Chinese text intact across chunk boundaries, the right sheet, broken files refused in Chinese. No database. */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { generateHouseholds } from '../../src/demo/generate.ts';
import type { Household } from '../../src/core/model/household.ts';
import { COLUMNS, SHEET_NAME } from '../../src/excel/columns.ts';
import { householdRows } from '../../src/excel/export.ts';
import { parseWorkbook, parseWorkbookStream, type ImportProgress } from '../../src/excel/import.ts';
import { Utf8Boundary, utf8Complete } from '../../src/excel/stream-reader.ts';

const households = generateHouseholds(1200, 5).map((h) => ({ categories: [], ...h }) as Household);

async function bookOf(options: { sharedStrings: boolean; helpFirst?: boolean }): Promise<Buffer> {
  const rows = households.flatMap((h) => householdRows(h));
  if (options.sharedStrings) {
    const wb = new ExcelJS.Workbook();
    if (options.helpFirst) wb.addWorksheet('填写说明').addRow(['说明', '随便写点中文']);
    const sheet = wb.addWorksheet(SHEET_NAME);
    sheet.addRow(COLUMNS.map((c) => c.header));
    for (const r of rows) sheet.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const chunks: Buffer[] = [];
  const out = new (await import('node:stream')).PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const sheet = writer.addWorksheet(SHEET_NAME);
  sheet.addRow(COLUMNS.map((c) => c.header)).commit();
  for (const r of rows) sheet.addRow(r).commit();
  sheet.commit();
  await writer.commit();
  return Buffer.concat(chunks);
}

/** Feeds the file in small odd-sized pieces, as a network upload would. */
function trickle(buffer: Buffer, size = 997): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
  })());
}

describe('UTF-8 boundaries', () => {
  it('cuts a chunk before an incomplete character only', () => {
    const text = Buffer.from('户主张三');
    expect(utf8Complete(text)).toBe(text.length);
    expect(utf8Complete(text.subarray(0, 4))).toBe(3);
    expect(utf8Complete(text.subarray(0, 5))).toBe(3);
    expect(utf8Complete(Buffer.from('abc'))).toBe(3);
  });

  it('re-chunks a stream so every chunk decodes on its own', async () => {
    const text = '与户主关系、身份证号、慢性病'.repeat(50);
    const out: string[] = [];
    const stream = Readable.from((function* () {
      const b = Buffer.from(text);
      for (let i = 0; i < b.length; i += 7) yield b.subarray(i, i + 7);
    })()).pipe(new Utf8Boundary());
    for await (const chunk of stream) out.push(new TextDecoder().decode(chunk as Buffer));
    expect(out.join('')).toBe(text);
  });
});

describe('the streaming reader', () => {
  for (const sharedStrings of [true, false]) {
    it(`reads thousands of Chinese rows intact (${sharedStrings ? 'shared strings' : 'inline strings'})`, async () => {
      const file = await bookOf({ sharedStrings });
      const seen: ImportProgress[] = [];
      const parsed = await parseWorkbookStream(trickle(file), { bytesTotal: file.length, onProgress: (p) => seen.push(p) });
      expect(parsed.problems).toEqual([]);
      expect(parsed.households).toHaveLength(households.length);
      expect(JSON.stringify(parsed.households)).not.toContain('\uFFFD');
      const names = parsed.households.flatMap((h) => (h.input.members as { name: string }[]).map((m) => m.name));
      expect(names).toEqual(households.flatMap((h) => h.members.map((m) => m.name)));
      expect(seen.some((p) => p.phase === 'reading' && p.rowsRead > 0)).toBe(true);
      const last = seen[seen.length - 1] as ImportProgress;
      expect(last).toMatchObject({ phase: 'validating', rowsRead: parsed.rowCount, rowsValidated: parsed.rowCount, households: households.length, bytesRead: file.length });
    }, 60_000);
  }

  it('reads the 户成员 sheet even when it is not the first', async () => {
    const parsed = await parseWorkbook(await bookOf({ sharedStrings: true, helpFirst: true }));
    expect(parsed.problems).toEqual([]);
    expect(parsed.households).toHaveLength(households.length);
  }, 60_000);

  it('refuses what is not an .xlsx file, and a truncated one, in Chinese', async () => {
    for (const bad of [Buffer.from('not a spreadsheet at all'), Buffer.alloc(0), (await bookOf({ sharedStrings: true })).subarray(0, 5000)]) {
      await expect(parseWorkbook(bad)).rejects.toThrow(/请上传 \.xlsx 格式的 Excel 文件/);
    }
  }, 60_000);
});
