// 渝北区 has two packs with a gap between them: cq-yubei-2020 (2020 only) and cq-yubei-2022 (from 2022-01-01).
// A 2021 date must be refused, not answered with either pack; and the 2020 amounts the case runner cannot check
// against a quote (they are computed, not stated as a number) are checked here.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { screenHousehold } from '../../src/core/evaluator/evaluate.ts';
import type { Decision } from '../../src/core/evaluator/decision.ts';
import { HouseholdSchema, type HouseholdInput } from '../../src/core/model/household.ts';
import { loadPacks } from '../../src/packs/load.ts';
import { localFactsFromYuan } from '../../src/packs/local.ts';

const packs = loadPacks();

function yubeiHousehold(extra: Partial<HouseholdInput> = {}) {
  return HouseholdSchema.parse({
    id: 'yubei-periods',
    area: { county: '渝北区', town: '统景镇' },
    categories: [{ type: '脱贫户', from: '2017-12-01' }, { type: '农村低保', from: '2016-05-01' }],
    incomePerHead: { amountYuan: 900, period: '月' },
    members: [{ name: '甲', birthDate: '1966-03-01', relation: '户主', covidPatient: true }],
    ...extra,
  });
}

function refusal(date: string): unknown {
  try {
    screenHousehold(packs, yubeiHousehold(), date);
  } catch (error) {
    return error;
  }
  return undefined;
}

const decision = (decisions: Decision[], policy: string) => decisions.find((d) => d.policy === policy);

describe('渝北区 pack periods', () => {
  it('refuses a 2021 date for a 渝北 household, naming the date and the county', () => {
    const error = refusal('2021-06-01');
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('date_outside_period');
    expect((error as DomainError).message).toContain('2021-06-01');
    expect((error as DomainError).message).toContain('渝北区');
  });

  it('refuses both ends of 2021', () => {
    for (const date of ['2021-01-01', '2021-12-31']) {
      const error = refusal(date);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).message).toContain(date);
    }
  });

  it('answers 2020-12-31 with the 2020 pack only and 2022-01-01 with the 2022 pack only', () => {
    expect(screenHousehold(packs, yubeiHousehold(), '2020-12-31').packs.map((p) => p.id)).toEqual(['cq-yubei-2020']);
    expect(screenHousehold(packs, yubeiHousehold(), '2022-01-01').packs.map((p) => p.id)).toEqual(['cq-yubei-2022']);
  });

  it('has no two 渝北 packs in force on the same day', () => {
    const yubei = packs.filter((p) => p.manifest.jurisdiction.counties.includes('渝北区')).map((p) => p.manifest.period)
      .sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < yubei.length; i++) expect((yubei[i - 1]?.to ?? '9999-12-31') < (yubei[i]?.from ?? '')).toBe(true);
  });
});

describe('渝北 2020 computed amounts', () => {
  it('pays COVID 临时救助 at twice the local 低保 standard a month (按低保标准2倍按月发放临时救助金)', () => {
    for (const [standard, expected] of [[500, '1000'], [620, '1240']] as const) {
      const r = screenHousehold(packs, yubeiHousehold(), '2020-02-20', { local: localFactsFromYuan({ dibaoStandardMonthlyYuan: standard }) });
      expect(decision(r.decisions, 'yubei2020.assistance.covid-temporary-aid')).toMatchObject({ status: 'eligible', amount: { yuan: expected, unit: '元/月', kind: 'cash' } });
    }
  });

  it('sizes 产业扶贫信贷 at 10万 per linked household below the 200万 ceiling (按照每户不高于10万元标准)', () => {
    const h = yubeiHousehold({ categories: [], business: { kinds: ['扶贫农民专业合作社'], linkedPoorHouseholds: 3 } });
    const d = decision(screenHousehold(packs, h, '2020-05-01').decisions, 'yubei2020.industry.poverty-industry-credit');
    expect(d).toMatchObject({ status: 'eligible', amount: { yuan: '300000', kind: 'cap' } });
  });
});
