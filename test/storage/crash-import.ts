/** Child process for the crash test: imports many households into a PGlite data folder, printing when the transaction is under way. */
import { SYSTEM_ACTOR } from '../../src/auth/roles.ts';
import { generateHouseholds } from '../../src/demo/generate.ts';
import { DEMO_AREAS } from '../../src/demo/generate.ts';
import { ensureArea, importHouseholds, openDatabase } from '../../src/storage/store.ts';

const [dataDir, count] = process.argv.slice(2);
const db = await openDatabase({ dataDir });
await db.transaction(async (tx) => {
  for (const a of DEMO_AREAS) await ensureArea(tx, a);
});
const households = generateHouseholds(Number(count), 99);
console.log('importing');
await importHouseholds(db, SYSTEM_ACTOR, households.map((household) => ({ household })));
console.log('done');
await db.close();
