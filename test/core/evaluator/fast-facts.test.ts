// Each fact the batch screener derives on its own must equal what memberFacts() / householdFacts() give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HOUSEHOLD_DERIVERS, HouseholdScope, MEMBER_DERIVERS, dateParts, factsWithoutDeriver,
} from '../../../src/core/evaluator/fast-facts.ts';
import { HOUSEHOLD_FACTS, MEMBER_FACTS, householdFacts, memberFacts } from '../../../src/core/model/facts.ts';
import type { Household } from '../../../src/core/model/household.ts';
import { validateHousehold } from '../../../src/core/model/validate.ts';
import { loadPacks } from '../../../src/packs/load.ts';
import { householdAt } from '../../../bench/population.ts';
import { householdAt as arbitraryHousehold } from './household-arbitrary.ts';

function mismatches(h: Household, date: string): string[] {
  const out: string[] = [];
  const scope = new HouseholdScope().reset(h, dateParts(date));
  const canonical = householdFacts(h, date) as Record<string, unknown>;
  for (const [key, derive] of Object.entries(HOUSEHOLD_DERIVERS)) {
    if (!(key in HOUSEHOLD_FACTS)) continue;
    const got = derive(scope);
    if (!Object.is(got, canonical[key]) && JSON.stringify(got, big) !== JSON.stringify(canonical[key], big)) out.push(`household.${key}: ${String(got)} ≠ ${String(canonical[key])}`);
    if (typeof got !== typeof canonical[key]) out.push(`household.${key}: type ${typeof got} ≠ ${typeof canonical[key]}`);
  }
  h.members.forEach((m, i) => {
    const facts = memberFacts(m, date) as Record<string, unknown>;
    for (const [key, derive] of Object.entries(MEMBER_DERIVERS)) {
      if (!(key in MEMBER_FACTS)) continue;
      const got = derive(scope.member(i));
      if (JSON.stringify(got, big) !== JSON.stringify(facts[key], big) || typeof got !== typeof facts[key]) out.push(`member[${i}].${key}: ${String(got)} ≠ ${String(facts[key])}`);
    }
  });
  return out;
}

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

describe('fact derivers', () => {
  it('match the canonical facts on the benchmark population', () => {
    for (const date of ['2022-01-01', '2023-06-30', '2024-12-31']) {
      for (let i = 0; i < 500; i++) expect(mismatches(householdAt(3, i), date)).toEqual([]);
    }
  });

  it('match the canonical facts on generated households, absent fields included (fast-check)', () => {
    fc.assert(fc.property(arbitraryHousehold(loadPacks()), ({ household, date }) => {
      const r = validateHousehold(household);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(mismatches(r.value, date)).toEqual([]);
    }), { numRuns: 500 });
  });

  it('are only for facts of the catalog', () => {
    expect(Object.keys(MEMBER_DERIVERS).filter((k) => !(k in MEMBER_FACTS))).toEqual([]);
    expect(Object.keys(HOUSEHOLD_DERIVERS).filter((k) => !(k in HOUSEHOLD_FACTS))).toEqual([]);
  });

  it('lists the facts still read from the canonical functions (correct, but slow in batch screening)', () => {
    expect(Array.isArray(factsWithoutDeriver())).toBe(true);
  });
});
