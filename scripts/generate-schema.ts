// Writes docs/household.schema.json from the zod definition the validator uses, so the two cannot drift.
import { writeFileSync } from 'node:fs';
import { householdJsonSchema } from '../src/core/model/household-json-schema.ts';

writeFileSync(new URL('../docs/household.schema.json', import.meta.url), `${JSON.stringify(householdJsonSchema(), null, 2)}\n`);
console.log('已生成 docs/household.schema.json');
