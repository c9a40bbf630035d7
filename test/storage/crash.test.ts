/** Kill the process in the middle of a large Excel import, on both databases: afterwards the database holds all of it or none. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateHouseholds } from '../../src/demo/generate.ts';
import { COLUMNS, SHEET_NAME } from '../../src/excel/columns.ts';
import { householdRows } from '../../src/excel/export.ts';
import type { Household } from '../../src/core/model/household.ts';
import { dropSchema } from '../../src/storage/postgres.ts';
import { openDatabase, type SqlDatabase } from '../../src/storage/store.ts';
import { TEST_DATABASE_URL } from './databases.ts';

const dir = mkdtempSync(join(tmpdir(), 'mingbai-crash-'));
const file = join(dir, 'households.xlsx');

beforeAll(async () => {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
  const sheet = writer.addWorksheet(SHEET_NAME);
  sheet.addRow(COLUMNS.map((c) => c.header)).commit();
  for (const h of generateHouseholds(1500, 99)) for (const row of householdRows({ categories: [], ...h } as Household)) sheet.addRow(row).commit();
  sheet.commit();
  await writer.commit();
}, 60_000);

async function killMidImport(target: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-import.ts'), file, target], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The first batch is in the open transaction: kill without warning.
      if (output.includes('written')) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
  });
  return output;
}

async function counts(db: SqlDatabase): Promise<number[]> {
  const [h] = await db.query<{ n: number }>('SELECT count(*) AS n FROM households');
  const [m] = await db.query<{ n: number }>('SELECT count(*) AS n FROM members');
  const [a] = await db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action IN ('household.create', 'import')");
  return [Number(h?.n), Number(m?.n), Number(a?.n)];
}

describe('an import killed mid-transaction leaves no household behind', () => {
  it('PGlite (data folder)', async () => {
    const dataDir = join(dir, 'db');
    const output = await killMidImport(`pglite:${dataDir}`);
    expect(output).toContain('written 100');
    expect(output).not.toContain('done');
    const db = await openDatabase({ dataDir });
    try {
      expect(await counts(db)).toEqual([0, 0, 0]);
    } finally {
      await db.close();
    }
  }, 90_000);

  it('PostgreSQL', async () => {
    const schema = `crash_${process.pid}_${Date.now().toString(36)}`;
    const output = await killMidImport(`postgres:${TEST_DATABASE_URL}#${schema}`);
    expect(output).toContain('written 100');
    expect(output).not.toContain('done');
    const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema });
    try {
      expect(await counts(db)).toEqual([0, 0, 0]);
    } finally {
      await db.close();
      await dropSchema(TEST_DATABASE_URL, schema);
    }
  }, 90_000);
});
