/** The storage contract on PostgreSQL (TEST_DATABASE_URL), in a schema of its own. Fails, never skips, when PostgreSQL is down. */
import { dropSchema } from '../../src/storage/postgres.ts';
import { openDatabase } from '../../src/storage/store.ts';
import { storageContract } from './contract.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `contract_${process.pid}_${Date.now().toString(36)}`;

storageContract('PostgreSQL', () => openDatabase({ databaseUrl: url, schema }), async (db) => {
  await db.close();
  await dropSchema(url, schema);
});
