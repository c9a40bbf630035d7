// The published JSON Schema is generated from the validator's own definition; the examples follow it.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { householdJsonSchema } from '../../src/core/model/household-json-schema.ts';
import { validateHousehold } from '../../src/core/model/validate.ts';

describe('docs/household.schema.json', () => {
  it('is up to date with src/core/model/household.ts (run `npm run schema` after changing the model)', () => {
    const committed = JSON.parse(readFileSync('docs/household.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(householdJsonSchema())));
  });

  for (const file of readdirSync('examples').filter((f) => f.endsWith('.json'))) {
    it(`accepts examples/${file}`, () => {
      const r = validateHousehold(JSON.parse(readFileSync(`examples/${file}`, 'utf8')));
      expect(r.ok ? [] : r.problems).toEqual([]);
    });
  }
});
