// Differential test: the closures (cel-closure.ts) and generated functions (cel-codegen.ts) against the CEL
// interpreter, on every condition of every pack and some extra constructs, with facts present, absent or extreme.
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERR, FALLBACK, Unsupported, compileClosure, type Closure, type ClosureEnv } from '../../../src/core/evaluator/cel-closure.ts';
import { compilePolicyFunction } from '../../../src/core/evaluator/cel-codegen.ts';
import { HOUSEHOLD_FACTS, LOCAL_FACTS, MEMBER_FACTS, type FactDefinition } from '../../../src/core/model/facts.ts';
import { compileExpression, type FactScope } from '../../../src/core/pack/cel.ts';
import { compilePack, type CompiledPack } from '../../../src/core/pack/compile.ts';
import { loadPacks, readPackSource } from '../../../src/packs/load.ts';
import { fixturePack } from './fixture-pack.ts';

const packs: CompiledPack[] = [...loadPacks(), compilePack(readPackSource(join(import.meta.dirname, '../../../bench/ten-rules'))), fixturePack()];

const EXTRA_BOOL = [
  'member.age >= 16 && member.age < 60',
  'member.age > 6 || member.boarding',
  '!member.boarding && member.localHukou',
  'member.disabilityGrade in [1, 2]',
  'size(member.chronicIllnesses) > 0 || member.chronicIllnesses.size() == 2',
  'has(member.workLocation) && !has(member.stableMonths)',
  'member.chronicIllnesses.all(c, c != "高血压")',
  'member.chronicIllnesses.exists(c, c == "糖尿病" || member.boarding)',
  'household.size >= 3 ? member.boarding : member.localHukou',
  'household.incomePerHeadMonthlyFen * 2 < local.dibaoStandardMonthlyFen * 3',
  'year - member.collegeGraduationYear <= 2 && member.collegeGraduationYear / 2 > 1000 && member.age % 2 == 0',
  'date >= "2023-01-01" && member.sex != "男"',
  '("脱贫户" in household.categories) == member.boarding',
  'household.categories.exists(c, c in ["脱贫户", "监测户"]) && !(household.housingGrade in ["A", "B"])',
  '-member.age < -10 || member.stage + "x" == "小学x"',
  'member.age * household.size * 4611686018427387904 > 0',
];
const EXTRA_INT = ['household.incomePerHeadMonthlyFen * 12 - local.minimumWageMonthlyFen', 'member.age * member.age + household.size'];

interface Case { source: string; type: 'bool' | 'int' }

function cases(): Case[] {
  const seen = new Map<string, Case>();
  const add = (source: string, type: Case['type']) => seen.set(`${type}:${source}`, { source, type });
  for (const pack of packs) {
    for (const p of pack.policies) {
      for (const c of p.conditions) add(c.expression.source, 'bool');
      for (const a of p.amounts) {
        if (a.when) add(a.when.source, 'bool');
        if (a.value.type === 'formula') add(a.value.expression.source, 'int');
      }
    }
  }
  for (const s of EXTRA_BOOL) add(s, 'bool');
  for (const s of EXTRA_INT) add(s, 'int');
  return [...seen.values()];
}

const CATALOGS: Record<FactScope, Record<string, FactDefinition>> = { member: MEMBER_FACTS, household: HOUSEHOLD_FACTS, local: LOCAL_FACTS };

function valueOf(def: FactDefinition, strings: string[]): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'int': return fc.oneof(fc.bigInt(-3n, 40n), fc.bigInt(0n, 3_000_000n), fc.constantFrom(2n ** 62n, -(2n ** 62n), 0n));
    case 'double': return fc.double({ noNaN: true, min: -1e6, max: 1e6 });
    case 'bool': return fc.boolean();
    case 'string': return fc.constantFrom(...strings);
    case 'list<string>': return fc.array(fc.constantFrom(...strings), { maxLength: 4 });
  }
}

describe('closures and generated functions agree with the CEL interpreter', () => {
  for (const c of cases()) {
    it(c.source, () => {
      const interp = compileExpression(c.source, c.type, 'test');
      const literals = [...c.source.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
      const strings = [...new Set([...literals, '其他', ''])];
      const memberKeys: string[] = [];
      const householdKeys: string[] = [];
      const slot = (keys: string[]) => (key: string) => (keys.includes(key) ? keys.indexOf(key) : keys.push(key) - 1);
      const slots = { member: slot(memberKeys), household: slot(householdKeys) };
      let closure: Closure | null = null;
      try {
        closure = compileClosure(c.source, slots).run;
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
      }
      const source = { source: c.source, closure };
      const fn = c.type === 'bool' ? compilePolicyFunction([source], [], slots) : compilePolicyFunction([], [{ when: null, kind: 'formula', formula: source }], slots);
      const facts = interp.facts.map((f) => fc.option(valueOf(CATALOGS[f.scope][f.key] as FactDefinition, strings), { nil: undefined, freq: 3 }));
      fc.assert(fc.property(fc.tuple(...facts), fc.constantFrom('2022-03-01', '2023-12-31', '2025-01-01'), (values, date) => {
        const ctx = { member: {} as Record<string, unknown>, household: {} as Record<string, unknown>, local: {} as Record<string, unknown>, date, year: BigInt(date.slice(0, 4)) };
        interp.facts.forEach((f, i) => {
          if (values[i] !== undefined) ctx[f.scope][f.key] = values[i];
        });
        let expected: { value: unknown } | 'throws';
        try {
          expected = { value: interp.run(ctx) };
        } catch {
          expected = 'throws';
        }
        const env: ClosureEnv = {
          m: memberKeys.map((k) => ctx.member[k]), h: householdKeys.map((k) => ctx.household[k]), iter: [], local: ctx.local,
          date, year: ctx.year, deriveMember: () => undefined, deriveHousehold: () => undefined,
        };
        if (closure) {
          let got: { value: unknown } | 'throws' | null;
          try {
            const v = closure(env);
            got = v === ERR ? 'throws' : { value: v };
          } catch (error) {
            if (error !== FALLBACK) throw error;
            got = null;
          }
          if (got !== null) expect(got).toEqual(expected);
        }
        const out = { row: new Int16Array(1), fen: new Float64Array(1) };
        const code = fn(env, out, 0);
        if (code >= 0) {
          expect(expected).not.toBe('throws');
          const value = (expected as { value: unknown }).value;
          if (c.type === 'bool') expect(code).toBe(value === true ? 1 : 0);
          else expect(out.fen[0]).toBe(Number(value));
        }
      }), { numRuns: 300 });
    });
  }
});

describe('generated code', () => {
  it('inlines exists and all over a list fact, answering without the closure', () => {
    const slots = { member: () => 0, household: () => 0 };
    const decide = (source: string, categories: unknown) => {
      // closure: null — a condition the generator did not inline could only answer -1 (decide it the slow way).
      const fn = compilePolicyFunction([{ source, closure: null }], [], slots);
      const env: ClosureEnv = { m: [], h: [categories], iter: [], local: {}, date: '2023-06-30', year: 2023n, deriveMember: () => undefined, deriveHousehold: () => undefined };
      return fn(env, { row: new Int16Array(1), fen: new Float64Array(1) }, 0);
    };
    const exists = 'household.categories.exists(c, c in ["脱贫户", "监测户"])';
    expect(decide(exists, ['低保户', '脱贫户'])).toBe(1);
    expect(decide(exists, ['低保户'])).toBe(0);
    expect(decide(exists, [])).toBe(0);
    expect(decide(exists, undefined)).toBe(-1);
    const all = 'household.categories.all(c, c == "脱贫户")';
    expect(decide(all, ['脱贫户'])).toBe(1);
    expect(decide(all, ['脱贫户', '低保户'])).toBe(0);
    // An item the predicate cannot answer is left to the slow path, which knows how CEL absorbs errors.
    expect(decide(exists, [1n])).toBe(-1);
  });
});
