/** docs/openapi.json is generated from the routes; this fails when a route changed and the file was not regenerated. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.ts';

it('docs/openapi.json is up to date (regenerate: npx tsx src/http/openapi.ts)', async () => {
  const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
  expect(JSON.parse(JSON.stringify(await openApiDocument()))).toEqual(committed);
}, 30_000);
