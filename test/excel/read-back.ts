/** Reads the first sheet of an xlsx file into objects keyed by the header row (tests only). */
import ExcelJS from 'exceljs';

export async function readHouseholdRows(buffer: Buffer | Uint8Array, sheetName?: string): Promise<Record<string, unknown>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = sheetName ? workbook.getWorksheet(sheetName) : workbook.worksheets[0];
  if (!sheet) return [];
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => {
    headers[col] = String(cell.value);
  });
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const obj: Record<string, unknown> = {};
    row.eachCell((cell, col) => {
      obj[headers[col] ?? String(col)] = cell.value;
    });
    rows.push(obj);
  });
  return rows;
}
