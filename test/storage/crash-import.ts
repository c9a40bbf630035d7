/**
 * Child process for the crash test: imports an Excel file of many households into the given database and, once the first
 * batch is written inside the still open transaction, says so and waits to be killed.
 *   crash-import.ts <file.xlsx> pglite:<data dir> | postgres:<url>#<schema>
 */
import { writeSync } from 'node:fs';
import { SYSTEM_ACTOR } from '../../src/auth/roles.ts';
import { DEMO_AREAS } from '../../src/demo/generate.ts';
import { importWorkbookFile } from '../../src/excel/import.ts';
import { ensureArea, openDatabase } from '../../src/storage/store.ts';

const [file, target] = process.argv.slice(2) as [string, string];
const [url, schema] = target.slice('postgres:'.length).split('#');
const db = target.startsWith('pglite:') ? await openDatabase({ dataDir: target.slice('pglite:'.length) }) : await openDatabase({ databaseUrl: url, schema });
await db.transaction(async (tx) => {
  for (const a of DEMO_AREAS) await ensureArea(tx, a);
});
writeSync(1, 'importing\n');
await importWorkbookFile(db, SYSTEM_ACTOR, file, {
  batchSize: 100,
  onProgress: (p) => {
    if (p.phase === 'writing' && p.householdsWritten >= 100) {
      writeSync(1, `written ${p.householdsWritten}\n`);
      // Block inside the transaction until the parent kills this process.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
  },
});
writeSync(1, 'done\n');
await db.close();
