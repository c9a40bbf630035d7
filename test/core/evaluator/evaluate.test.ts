import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/core/errors.ts';
import { interpretHousehold, screenHousehold as screenFast } from '../../../src/core/evaluator/evaluate.ts';
import type { Decision } from '../../../src/core/evaluator/decision.ts';
import { HouseholdSchema, type HouseholdInput } from '../../../src/core/model/household.ts';
import { fixturePack } from './fixture-pack.ts';

const pack = fixturePack();

function household(members: HouseholdInput['members'], extra: Partial<HouseholdInput> = {}) {
  return HouseholdSchema.parse({ id: 'h', area: { county: '测试区' }, categories: [{ type: '脱贫户', from: '2016-01-01' }], members, ...extra });
}
type School = NonNullable<HouseholdInput['members'][number]['school']>;
const student = (school: School) => ({ name: '生', birthDate: '2009-03-01', relation: '户主' as const, school });
const find = (ds: Decision[], policy: string) => ds.find((d) => d.policy === policy) as Decision;

// The semantics hold for both screeners: the batch screener behind screenHousehold() and the reference interpreter.
describe.each([['screenHousehold', screenFast], ['interpretHousehold', interpretHousehold]] as const)('evaluator (%s)', (_name, screenHousehold) => {
  it('picks the amount row whose condition holds', () => {
    const r = screenHousehold([pack], household([student({ stage: '初中', boarding: true })]), '2023-03-01');
    expect(find(r.decisions, 'junior')).toMatchObject({ status: 'eligible', amount: { fen: 125000, yuan: '1250', unit: '元/年' } });
  });

  it('is undetermined, naming the missing fact, when an amount depends on an unknown fact', () => {
    const r = screenHousehold([pack], household([student({ stage: '初中' })]), '2023-03-01');
    const d = find(r.decisions, 'junior');
    expect(d.status).toBe('undetermined');
    expect(d.missing).toEqual([{ fact: 'member.boarding', label: '是否寄宿', input: 'members[].school.boarding' }]);
  });

  it('is ineligible, not undetermined, when a known fact already fails', () => {
    const r = screenHousehold([pack], household([student({ stage: '小学' })]), '2023-03-01');
    const d = find(r.decisions, 'junior');
    expect(d.status).toBe('ineligible');
    expect(d.missing).toEqual([]);
    expect(d.reasons.map((x) => x.met)).toEqual([true, false]);
  });

  it('ends a policy by data: a null dated value stops it from that date', () => {
    const h = household([student({ stage: '初中' })]);
    expect(find(screenHousehold([pack], h, '2022-12-31').decisions, 'premium').amount?.yuan).toBe('100');
    expect(find(screenHousehold([pack], h, '2023-01-01').decisions, 'premium').amount?.yuan).toBe('50');
    const stopped = find(screenHousehold([pack], h, '2024-01-01').decisions, 'premium');
    expect(stopped.status).toBe('ineligible');
    expect(stopped.reasons.at(-1)).toMatchObject({ label: '本政策自 2024-01-01 起不再执行', citation: { quote: '2024 年按规定退出' } });
  });

  it('honours a policy\'s own start date', () => {
    const h = household([student({ stage: '初中' })]);
    expect(find(screenHousehold([pack], h, '2023-06-30').decisions, 'late').status).toBe('ineligible');
    expect(find(screenHousehold([pack], h, '2023-07-01').decisions, 'late').status).toBe('eligible');
  });

  it('applies an override and reports a remaining double claim as a conflict', () => {
    const r = screenHousehold([pack], household([student({ stage: '中职', boarding: true })]), '2023-03-01');
    expect(find(r.decisions, 'general-grant').status).toBe('ineligible');
    expect(find(r.decisions, 'general-grant').reasons.at(-1)?.label).toContain('由“测试”取代');
    expect(find(r.decisions, 'local-grant').status).toBe('eligible');
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]?.policies.sort()).toEqual(['local-grant', 'other-grant']);
  });

  it('applies an exclusion: not paid together with the excluding policy', () => {
    const r = screenHousehold([pack], household([student({ stage: '中职', boarding: false })]), '2023-03-01');
    const d = find(r.decisions, 'yulu');
    expect(d.status).toBe('ineligible');
    expect(d.amount).toBeNull();
    expect(d.reasons.at(-1)?.citation.quote).toBe('不同时享受');
  });

  it('reads local figures and computes formula amounts in fen', () => {
    const h = household([student({ stage: '初中' })], { incomePerHead: { amountYuan: 700, period: '月' } });
    const r = screenHousehold([pack], h, '2023-03-01', { local: { dibaoStandardMonthlyFen: 62000n } });
    expect(find(r.decisions, 'gradual-exit')).toMatchObject({ status: 'eligible', amount: { fen: 124000, yuan: '1240' } });
    const unknown = find(screenHousehold([pack], h, '2023-03-01').decisions, 'gradual-exit');
    expect(unknown.status).toBe('undetermined');
    expect(unknown.missing.map((m) => m.fact)).toEqual(['local.dibaoStandardMonthlyFen']);
  });

  it('refuses a date outside every pack period, naming the county and the periods', () => {
    const h = household([student({ stage: '初中' })]);
    expect(() => screenHousehold([pack], h, '2021-12-31')).toThrow(DomainError);
    expect(() => screenHousehold([pack], h, '2021-12-31')).toThrow(/2021-12-31 不在测试区任何政策包的有效期内（测试包：2022-01-01 至 2024-12-31）/);
  });

  it('refuses an area no pack serves', () => {
    const h = HouseholdSchema.parse({ id: 'h', area: { county: '别处县' }, members: [{ name: 'a', birthDate: '1980-01-01', relation: '户主' }] });
    expect(() => screenHousehold([pack], h, '2023-01-01')).toThrow(/区县“别处县”没有适用的政策包/);
  });

  it('refuses an impossible date', () => {
    expect(() => screenHousehold([pack], household([student({ stage: '初中' })]), '2023-02-30')).toThrow(/日期“2023-02-30”无效/);
  });

  it('gives the same statuses and amounts with explanations off, but keeps no reasons', () => {
    const h = household([student({ stage: '中职', boarding: true }), { name: '长', birthDate: '1970-01-01', relation: '父母' }]);
    const on = screenHousehold([pack], h, '2023-03-01');
    const off = screenHousehold([pack], h, '2023-03-01', { explain: false });
    expect(off.decisions.map((d) => [d.policy, d.status, d.amount?.fen])).toEqual(on.decisions.map((d) => [d.policy, d.status, d.amount?.fen]));
    expect(off.decisions.filter((d) => d.status === 'eligible').every((d) => d.reasons.length === 0)).toBe(true);
  });

  it('with decisive explanations, keeps every reason of an eligible decision and only the first unmet one of an ineligible', () => {
    const h = household([student({ stage: '中职', boarding: true }), { name: '长', birthDate: '1970-01-01', relation: '父母' }]);
    const full = interpretHousehold([pack], h, '2023-03-01');
    const decisive = interpretHousehold([pack], h, '2023-03-01', { explain: 'decisive' });
    expect(decisive.decisions.map((d) => [d.policy, d.status, d.amount?.fen, d.citations])).toEqual(full.decisions.map((d) => [d.policy, d.status, d.amount?.fen, d.citations]));
    full.decisions.forEach((f, i) => {
      const d = decisive.decisions[i];
      if (f.status === 'ineligible') {
        expect(d?.reasons).toHaveLength(1);
        expect(d?.reasons[0]).toEqual(f.reasons.find((r) => r.met === false));
      } else expect(d?.reasons).toEqual(f.reasons);
    });
    // Both kinds occur, so neither branch above is vacuous.
    expect(full.decisions.some((d) => d.status === 'ineligible' && d.reasons.length > 1)).toBe(true);
    expect(full.decisions.some((d) => d.status === 'eligible' && d.reasons.length > 0)).toBe(true);
  });
});
