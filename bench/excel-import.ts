/**
 * Measures an Excel import of many synthetic households (time and peak RSS); not a test.
 *   npx tsx bench/excel-import.ts make /tmp/h20k.xlsx 20000
 *   /usr/bin/time -v npx tsx bench/excel-import.ts run /tmp/h20k.xlsx [postgres://…] [keep]
 *   /usr/bin/time -v npx tsx bench/excel-import.ts export postgres://… <schema printed by run … keep>
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../src/auth/roles.ts';
import { DEMO_AREAS, generateHouseholds } from '../src/demo/generate.ts';
import { COLUMNS, SHEET_NAME } from '../src/excel/columns.ts';
import * as excelExport from '../src/excel/export.ts';
import * as excelImport from '../src/excel/import.ts';
import { dropSchema } from '../src/storage/postgres.ts';
import { ensureArea, openDatabase } from '../src/storage/store.ts';

const [command, file, arg, keep] = process.argv.slice(2);

function valueAt(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), source);
}

async function make(target: string, count: number): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: target, useSharedStrings: false, useStyles: false });
  const sheet = writer.addWorksheet(SHEET_NAME);
  sheet.addRow(COLUMNS.map((c) => c.header)).commit();
  for (const h of generateHouseholds(count, 7)) {
    const lines = Math.max(h.members.length, h.categories?.length ?? 0);
    for (let i = 0; i < lines; i++) {
      sheet.addRow(COLUMNS.map((c) => {
        const source = c.level === 'household' ? (i === 0 ? h : undefined) : c.level === 'member' ? h.members[i] : h.categories?.[i];
        const value = c.path === 'id' ? h.id : source === undefined ? undefined : valueAt(source, c.path);
        if (value === undefined || value === null) return null;
        if (typeof value === 'boolean') return value ? '是' : '否';
        if (Array.isArray(value)) return value.join('、');
        return value as string | number;
      })).commit();
    }
  }
  sheet.commit();
  await writer.commit();
}

async function run(source: string, databaseUrl: string | undefined): Promise<void> {
  const schema = `bench_${process.pid}`;
  const db = await openDatabase(databaseUrl ? { databaseUrl, schema } : { dataDir: join(mkdtempSync(join(tmpdir(), 'mingbai-bench-')), 'db') });
  await db.transaction(async (tx) => {
    for (const a of DEMO_AREAS) await ensureArea(tx, a);
  });
  let kept = false;
  try {
    const baseline = Math.round(process.memoryUsage().rss / 1048576);
    const start = performance.now();
    const api = excelImport as unknown as Record<string, (...args: unknown[]) => Promise<{ created: string[]; rows: number }>>;
    let last = 0;
    const outcome = api.importWorkbookFile
      ? await api.importWorkbookFile(db, SYSTEM_ACTOR, source, { onProgress: (p: { phase: string; rowsRead: number; householdsWritten: number }) => {
        if (performance.now() - last > 5000) {
          last = performance.now();
          console.log(`  ${((last - start) / 1000).toFixed(1)} s ${p.phase} rows=${p.rowsRead} written=${p.householdsWritten} rss=${Math.round(process.memoryUsage().rss / 1048576)} MB`);
        }
      } })
      : await (api.importWorkbook as (...args: unknown[]) => Promise<{ created: string[]; rows: number }>)(db, SYSTEM_ACTOR, readFileSync(source));
    const seconds = (performance.now() - start) / 1000;
    console.log(`${db.kind}: ${outcome.rows} rows, ${outcome.created.length} households created in ${seconds.toFixed(1)} s; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (RSS before the import, database open: ${baseline} MB)`);
    kept = keep === 'keep';
    if (databaseUrl && kept) console.log(`kept schema ${schema}`);
  } finally {
    await db.close();
    if (databaseUrl && !kept) await dropSchema(databaseUrl, schema);
  }
}

async function exportAll(databaseUrl: string, schema: string): Promise<void> {
  const db = await openDatabase({ databaseUrl, schema });
  const baseline = Math.round(process.memoryUsage().rss / 1048576);
  const start = performance.now();
  const out = await (excelExport.exportHouseholds as (...args: unknown[]) => Promise<Buffer | NodeJS.ReadableStream>)(db, SYSTEM_ACTOR);
  let bytes = 0;
  if (Buffer.isBuffer(out)) bytes = out.length;
  else for await (const chunk of out) bytes += (chunk as Buffer).length;
  console.log(`export: ${bytes} bytes in ${((performance.now() - start) / 1000).toFixed(1)} s; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (before: ${baseline} MB)`);
  await db.close();
  await dropSchema(databaseUrl, schema);
}

if (command === 'make' && file) await make(file, Number(arg ?? 20000));
else if (command === 'run' && file) await run(file, arg);
else if (command === 'export' && file && arg) await exportAll(file, arg);
else console.log('usage: make <file.xlsx> [count] | run <file.xlsx> [postgres-url]');
