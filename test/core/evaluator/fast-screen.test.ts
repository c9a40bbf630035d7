// The batch screener must decide exactly as interpretHousehold(): same decisions, reasons, missing facts, citations,
// exclusions and conflicts, with and without explanations, with generated code and with closures only.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpretHousehold } from '../../../src/core/evaluator/evaluate.ts';
import { CompactScreening, FastScreener } from '../../../src/core/evaluator/fast-screen.ts';
import type { Household } from '../../../src/core/model/household.ts';
import { validateHousehold } from '../../../src/core/model/validate.ts';
import { compilePack, type CompiledPack } from '../../../src/core/pack/compile.ts';
import { loadPacks, readPackSource } from '../../../src/packs/load.ts';
import { householdAt } from '../../../bench/population.ts';
import { fixturePack } from './fixture-pack.ts';
import { householdAt as arbitraryHousehold } from './household-arbitrary.ts';

const packs = loadPacks();
const tenRules = [compilePack(readPackSource(join(import.meta.dirname, '../../../bench/ten-rules')))];
const fixture = [fixturePack()];
const local = { dibaoStandardMonthlyFen: 62000n, minimumWageMonthlyFen: 210000n, disposableIncomePerHeadYearlyFen: 2_000_000n };

/** Every way the batch screener answers, each compared with interpretHousehold; returns the first difference. */
function differences(set: CompiledPack[], screeners: FastScreener[], h: Household, date: string, withLocal: boolean): string | null {
  const options = withLocal ? { local } : {};
  const plain = interpretHousehold(set, h, date, { ...options, explain: false });
  const explained = interpretHousehold(set, h, date, { ...options, explain: true });
  const decisive = interpretHousehold(set, h, date, { ...options, explain: 'decisive' });
  const out = new CompactScreening();
  for (const fs of screeners) {
    const compact = fs.expand(fs.screenCompact(h, date, out));
    if (!isDeepStrictEqual(compact, plain)) return `compact ${h.id} ${date}: ${firstDiff(compact, plain)}`;
    const brief = fs.screen(h, date, { explain: false });
    if (!isDeepStrictEqual(brief, plain)) return `screen ${h.id} ${date}: ${firstDiff(brief, plain)}`;
    const full = fs.screen(h, date);
    if (!isDeepStrictEqual(full, explained)) return `screen(explain) ${h.id} ${date}: ${firstDiff(full, explained)}`;
    const whyNot = fs.screen(h, date, { explain: 'decisive' });
    if (!isDeepStrictEqual(whyNot, decisive)) return `screen(decisive) ${h.id} ${date}: ${firstDiff(whyNot, decisive)}`;
    // The compact statuses are the expanded ones.
    const statuses = compact.decisions.map((d) => ['ineligible', 'eligible', 'undetermined'].indexOf(d.status));
    if (!isDeepStrictEqual([...out.status.subarray(0, out.count)], statuses)) return `compact statuses ${h.id} ${date}`;
  }
  return null;
}

function firstDiff(a: { decisions: unknown[] }, b: { decisions: unknown[] }): string {
  const i = a.decisions.findIndex((d, k) => !isDeepStrictEqual(d, b.decisions[k]));
  return i < 0 ? 'outside decisions' : `${JSON.stringify(a.decisions[i])} ≠ ${JSON.stringify(b.decisions[i])}`;
}

const both = (set: CompiledPack[], withLocal: boolean) => [
  new FastScreener(set, withLocal ? { local } : {}),
  new FastScreener(set, { ...(withLocal ? { local } : {}), generate: false }),
];

describe('FastScreener gives the interpreter’s result', () => {
  for (const date of ['2022-03-01', '2023-06-30', '2024-06-30']) {
    it(`on the benchmark population, all packs and the ten rules, ${date}`, () => {
      const sets: [CompiledPack[], boolean][] = [[packs, false], [packs, true], [tenRules, false]];
      for (const [set, withLocal] of sets) {
        const screeners = both(set, withLocal);
        for (let i = 0; i < 200; i++) expect(differences(set, screeners, householdAt(7, i), date, withLocal)).toBeNull();
      }
    });
  }

  it('on generated households for every pack (fast-check)', () => {
    const screeners = new Map([[true, both(packs, true)], [false, both(packs, false)]]);
    fc.assert(fc.property(arbitraryHousehold(packs), fc.boolean(), ({ household, date }, withLocal) => {
      const r = validateHousehold(household);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(differences(packs, screeners.get(withLocal) as FastScreener[], r.value, date, withLocal)).toBeNull();
    }), { numRuns: 200 });
  });

  it('on the fixture pack: overrides, exclusions, slots, formulas, validity and stopped parameters', () => {
    const screeners = new Map([[true, both(fixture, true)], [false, both(fixture, false)]]);
    fc.assert(fc.property(arbitraryHousehold(fixture), fc.boolean(), ({ household, date }, withLocal) => {
      const r = validateHousehold(household);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(differences(fixture, screeners.get(withLocal) as FastScreener[], r.value, date, withLocal)).toBeNull();
    }), { numRuns: 500 });
  });

  it('raises the same errors for a date no pack covers', () => {
    const fs = new FastScreener(packs);
    const h = householdAt(7, 0);
    for (const date of ['2021-06-01', '2023-02-30']) {
      expect(() => fs.screenCompact(h, date)).toThrow(captureError(() => interpretHousehold(packs, h, date)));
      expect(() => fs.screen(h, date)).toThrow(captureError(() => interpretHousehold(packs, h, date)));
    }
  });
});

function captureError(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}
