// fast-check generator of schema-valid households for the counties the packs serve, at dates the packs cover.
import fc from 'fast-check';
import {
  EMPLOYMENT_STATUSES, HOUSING_GRADES, INSURANCE_TIERS, LABOUR_ABILITIES, MONITORING_CLASSES, RELATIONS, SCHOOL_STAGES, WORK_LOCATIONS,
} from '../../../src/core/model/vocabulary.ts';
import type { CompiledPack } from '../../../src/core/pack/compile.ts';

const isoDay = (from: number, to: number) => fc.integer({ min: from, max: to }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const category = (beforeDay: number) => fc.oneof(
  fc.record({ type: fc.constant('监测户'), class: fc.constantFrom(...MONITORING_CLASSES), riskEliminated: maybe(fc.boolean()) }),
  fc.record({ type: fc.constantFrom('建档立卡贫困户', '脱贫户', '返贫致贫户', '特困', '低保边缘', '城市特殊困难建档') }),
  fc.record({ type: fc.constantFrom('农村低保', '城市低保'), class: maybe(fc.constantFrom('A类', 'B类', 'C类')) }),
).chain((c) => isoDay(dayOf('2010-01-01'), beforeDay).map((from) => ({ ...c, from })));

const member = (relation: fc.Arbitrary<string>, screeningDay: number) => fc.record({
  name: fc.constantFrom('甲', '乙', '丙', '丁', '戊'),
  birthDate: isoDay(screeningDay - 365 * 95, screeningDay - 1),
  relation,
  localHukou: maybe(fc.boolean()),
  school: maybe(fc.record({ stage: fc.constantFrom(...SCHOOL_STAGES), boarding: maybe(fc.boolean()), urbanSchool: maybe(fc.boolean()) })),
  disability: maybe(fc.record({ grade: fc.integer({ min: 1, max: 4 }) })),
  chronicIllnesses: maybe(fc.subarray(['高血压', '糖尿病', '结核病', '严重精神障碍'])),
  seriousIllness: maybe(fc.boolean()),
  labourAbility: maybe(fc.constantFrom(...LABOUR_ABILITIES)),
  employment: maybe(fc.record({ status: fc.constantFrom(...EMPLOYMENT_STATUSES), location: maybe(fc.constantFrom(...WORK_LOCATIONS)), stableMonths: maybe(fc.integer({ min: 0, max: 36 })), willingToWork: maybe(fc.boolean()) })),
  insurance: maybe(fc.record({ medicalEnrolled: maybe(fc.boolean()), medicalTier: maybe(fc.constantFrom(...INSURANCE_TIERS)), pensionEnrolled: maybe(fc.boolean()) })),
}, { requiredKeys: ['name', 'birthDate', 'relation'] });

/** A (household, date) pair for one of the packs: the date lies in the pack's period and no later than today. */
export function householdAt(packs: CompiledPack[]) {
  const today = dayOf(new Date().toISOString().slice(0, 10));
  return fc.constantFrom(...packs).chain((pack) => {
    const from = dayOf(pack.manifest.period.from);
    const to = Math.min(pack.manifest.period.to ? dayOf(pack.manifest.period.to) : today, today);
    return isoDay(from, to).chain((date) => {
      const day = dayOf(date);
      return fc.record({
        date: fc.constant(date),
        household: fc.record({
          id: fc.constant('P-1'),
          area: fc.record({ county: fc.constantFrom(...pack.manifest.jurisdiction.counties), town: maybe(fc.constant('某镇')) }, { requiredKeys: ['county'] }),
          categories: fc.array(category(day), { maxLength: 3 }),
          incomePerHead: maybe(fc.record({ amountYuan: fc.integer({ min: 0, max: 5_000_000 }).map((f) => f / 100), period: fc.constantFrom('月', '年') })),
          housing: maybe(fc.record({ grade: maybe(fc.constantFrom(...HOUSING_GRADES)), rentsSafeHousing: maybe(fc.boolean()) })),
          centralWaterSupply: maybe(fc.boolean()),
          members: fc.tuple(member(fc.constant('户主'), day), fc.array(member(fc.constantFrom(...RELATIONS.filter((r) => r !== '户主')), day), { maxLength: 5 }))
            .map(([head, rest]) => [head, ...rest]),
        }, { requiredKeys: ['id', 'area', 'categories', 'members'] }),
      });
    });
  });
}
