// Property tests over the real packs: the evaluator never throws on valid input, is deterministic, and never pays what fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { screenHousehold } from '../../../src/core/evaluator/evaluate.ts';
import { validateHousehold } from '../../../src/core/model/validate.ts';
import { loadPacks } from '../../../src/packs/load.ts';
import { householdAt } from './household-arbitrary.ts';

const packs = loadPacks();
const local = { dibaoStandardMonthlyFen: 62000n, minimumWageMonthlyFen: 210000n, disposableIncomePerHeadYearlyFen: 2_000_000n };
const RUNS = { numRuns: 150 };

function valid(input: unknown) {
  const r = validateHousehold(input);
  if (!r.ok) throw new Error(`generator made an invalid household: ${JSON.stringify(r.problems)}`);
  return r.value;
}

describe('evaluator properties (real packs)', () => {
  it('never throws on a schema-valid household at a covered date', () => {
    fc.assert(fc.property(householdAt(packs), ({ household, date }) => {
      screenHousehold(packs, valid(household), date, { local });
      screenHousehold(packs, valid(household), date);
    }), RUNS);
  });

  it('is deterministic', () => {
    fc.assert(fc.property(householdAt(packs), ({ household, date }) => {
      const h = valid(household);
      expect(JSON.stringify(screenHousehold(packs, h, date, { local }))).toBe(JSON.stringify(screenHousehold(packs, h, date, { local })));
    }), RUNS);
  });

  it('never pays a member a policy whose conditions it fails, and pays nothing unless eligible', () => {
    fc.assert(fc.property(householdAt(packs), ({ household, date }) => {
      for (const d of screenHousehold(packs, valid(household), date, { local }).decisions) {
        if (d.status === 'eligible') expect(d.reasons.every((r) => r.met === true), `${d.policy}`).toBe(true);
        else expect(d.amount, `${d.policy}`).toBeNull();
        if (d.status === 'undetermined') expect(d.missing.length, `${d.policy}`).toBeGreaterThan(0);
        else expect(d.missing, `${d.policy}`).toEqual([]);
      }
    }), RUNS);
  });

  it('decides the same with explanations off', () => {
    fc.assert(fc.property(householdAt(packs), ({ household, date }) => {
      const h = valid(household);
      const brief = (explain: boolean) => screenHousehold(packs, h, date, { local, explain }).decisions.map((d) => `${d.policy}/${d.member?.index}:${d.status}:${d.amount?.fen}`);
      expect(brief(false)).toEqual(brief(true));
    }), RUNS);
  });
});
