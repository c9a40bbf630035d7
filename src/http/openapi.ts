/** @module Writes docs/openapi.json from the routes (run: npx tsx src/http/openapi.ts); committed so reviews show API changes. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildApp } from './app.ts';
import { openPglite } from '../storage/pglite.ts';

export async function openApiDocument(): Promise<unknown> {
  const db = await openPglite();
  const app = await buildApp({ db, packs: () => [] });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  await db.close();
  return doc;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const target = resolve(import.meta.dirname, '../../docs/openapi.json');
  writeFileSync(target, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  console.log(`wrote ${target}`);
}
