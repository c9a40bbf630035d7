/** @module The facts a policy condition can read, their Chinese labels, and how they are derived from a household at a date. */
import type { Household, Member } from './household.ts';
import { ageOn, readIdCard } from './id-card.ts';
import { NOT_IN_SCHOOL, type HouseholdCategory } from './vocabulary.ts';

/** CEL type of a fact; the pack compiler type-checks every condition against these. */
export type FactType = 'int' | 'double' | 'bool' | 'string' | 'list<string>';

export interface FactDefinition {
  label: string;
  type: FactType;
  /** Where in the household input the fact comes from, for "还缺什么信息". */
  input: string;
}

export const MEMBER_FACTS = {
  age: { label: '年龄', type: 'int', input: 'members[].idNumber 或 birthDate' },
  sex: { label: '性别', type: 'string', input: 'members[].idNumber 或 sex' },
  relation: { label: '与户主关系', type: 'string', input: 'members[].relation' },
  localHukou: { label: '是否本市户籍', type: 'bool', input: 'members[].localHukou' },
  stage: { label: '学段', type: 'string', input: 'members[].school.stage' },
  boarding: { label: '是否寄宿', type: 'bool', input: 'members[].school.boarding' },
  schoolName: { label: '就读学校', type: 'string', input: 'members[].school.schoolName' },
  urbanSchool: { label: '是否城区学校', type: 'bool', input: 'members[].school.urbanSchool' },
  studentAid: { label: '已享受的其他学生资助', type: 'list<string>', input: 'members[].school.otherAid' },
  disabilityGrade: { label: '残疾等级（0 = 无残疾证）', type: 'int', input: 'members[].disability.grade' },
  disabilityKind: { label: '残疾类别', type: 'string', input: 'members[].disability.kind' },
  chronicIllnesses: { label: '慢性病病种', type: 'list<string>', input: 'members[].chronicIllnesses' },
  seriousIllness: { label: '是否重病患者', type: 'bool', input: 'members[].seriousIllness' },
  labourAbility: { label: '劳动能力', type: 'string', input: 'members[].labourAbility' },
  employmentStatus: { label: '就业状态', type: 'string', input: 'members[].employment.status' },
  workLocation: { label: '务工地点', type: 'string', input: 'members[].employment.location' },
  stableMonths: { label: '稳定就业月数', type: 'int', input: 'members[].employment.stableMonths' },
  willingToWork: { label: '是否有就业意愿', type: 'bool', input: 'members[].employment.willingToWork' },
  medicalEnrolled: { label: '是否参加城乡居民医保', type: 'bool', input: 'members[].insurance.medicalEnrolled' },
  medicalTier: { label: '医保参保档次', type: 'string', input: 'members[].insurance.medicalTier' },
  pensionEnrolled: { label: '是否参加城乡居民养老保险', type: 'bool', input: 'members[].insurance.pensionEnrolled' },
} as const satisfies Record<string, FactDefinition>;

export const HOUSEHOLD_FACTS = {
  categories: { label: '户类别', type: 'list<string>', input: 'categories' },
  monitoringClass: { label: '监测类别', type: 'string', input: 'categories[].class（监测户）' },
  riskEliminated: { label: '监测户是否已风险消除', type: 'bool', input: 'categories[].riskEliminated（监测户）' },
  dibaoClass: { label: '低保类别', type: 'string', input: 'categories[].class（低保）' },
  size: { label: '家庭人口数', type: 'int', input: 'members' },
  county: { label: '所在区县', type: 'string', input: 'area.county' },
  town: { label: '所在镇街', type: 'string', input: 'area.town' },
  village: { label: '所在村社', type: 'string', input: 'area.village' },
  incomePerHeadMonthlyFen: { label: '家庭人均月收入', type: 'int', input: 'incomePerHead' },
  incomePerHeadYearlyFen: { label: '家庭人均年收入', type: 'int', input: 'incomePerHead' },
  housingGrade: { label: '住房安全等级', type: 'string', input: 'housing.grade' },
  rentsSafeHousing: { label: '是否选择长期租住安全房', type: 'bool', input: 'housing.rentsSafeHousing' },
  centralWaterSupply: { label: '是否使用集中供水工程', type: 'bool', input: 'centralWaterSupply' },
} as const satisfies Record<string, FactDefinition>;

/** Figures a deployment sets for its place because the policy text refers to them without stating them. */
export const LOCAL_FACTS = {
  dibaoStandardMonthlyFen: { label: '当地最低生活保障标准（元/月）', type: 'int', input: '当地参数 --local dibaoStandardMonthlyYuan' },
  disposableIncomePerHeadYearlyFen: { label: '当地居民人均可支配收入（元/年）', type: 'int', input: '当地参数 --local disposableIncomePerHeadYearlyYuan' },
  minimumWageMonthlyFen: { label: '当地最低工资标准（元/月）', type: 'int', input: '当地参数 --local minimumWageMonthlyYuan' },
} as const satisfies Record<string, FactDefinition>;

export type LocalFactKey = keyof typeof LOCAL_FACTS;
export type LocalFacts = Partial<Record<LocalFactKey, bigint>>;

export type MemberFactKey = keyof typeof MEMBER_FACTS;
export type HouseholdFactKey = keyof typeof HOUSEHOLD_FACTS;
/** A fact value as CEL sees it; an absent key means the fact is unknown. */
export type FactValue = number | bigint | boolean | string | string[];
export type MemberFacts = Partial<Record<MemberFactKey, FactValue>>;
export type HouseholdFacts = Partial<Record<HouseholdFactKey, FactValue>>;

/** Categories whose membership period covers the date (from ≤ date ≤ to). */
export function activeCategories(household: Household, date: string) {
  return household.categories.filter((c) => c.from <= date && (c.to == null || date <= c.to));
}

export function householdFacts(household: Household, date: string): HouseholdFacts {
  const active = activeCategories(household, date);
  const facts: HouseholdFacts = {
    categories: [...new Set(active.map((c) => c.type as HouseholdCategory))],
    size: BigInt(household.members.length),
    county: household.area.county,
  };
  const monitoring = active.find((c) => c.type === '监测户');
  if (monitoring?.class) facts.monitoringClass = monitoring.class;
  if (monitoring?.riskEliminated !== undefined) facts.riskEliminated = monitoring.riskEliminated;
  const dibao = active.find((c) => (c.type === '农村低保' || c.type === '城市低保') && c.class);
  if (dibao?.class) facts.dibaoClass = dibao.class;
  setIfDefined(facts, 'town', household.area.town);
  setIfDefined(facts, 'village', household.area.village);
  if (household.incomePerHead) {
    const fen = Math.round(household.incomePerHead.amountYuan * 100);
    const monthly = household.incomePerHead.period === '月' ? fen : Math.round(fen / 12);
    facts.incomePerHeadMonthlyFen = BigInt(monthly);
    facts.incomePerHeadYearlyFen = BigInt(household.incomePerHead.period === '年' ? fen : fen * 12);
  }
  setIfDefined(facts, 'housingGrade', household.housing?.grade);
  setIfDefined(facts, 'rentsSafeHousing', household.housing?.rentsSafeHousing);
  setIfDefined(facts, 'centralWaterSupply', household.centralWaterSupply);
  return facts;
}

export function memberFacts(member: Member, date: string): MemberFacts {
  const id = member.idNumber ? readIdCard(member.idNumber) : undefined;
  const birthDate = id?.birthDate ?? member.birthDate;
  const facts: MemberFacts = { relation: member.relation };
  if (birthDate) facts.age = BigInt(ageOn(birthDate, date));
  setIfDefined(facts, 'sex', id?.sex ?? member.sex);
  setIfDefined(facts, 'localHukou', member.localHukou);
  if (!member.school && facts.age !== undefined && !isSchoolAge(facts.age)) facts.stage = NOT_IN_SCHOOL;
  if (member.school) {
    facts.stage = member.school.stage;
    setIfDefined(facts, 'boarding', member.school.boarding);
    setIfDefined(facts, 'schoolName', member.school.schoolName);
    setIfDefined(facts, 'urbanSchool', member.school.urbanSchool);
    facts.studentAid = member.school.otherAid ?? [];
  }
  // The record is authoritative for certificates and diagnoses: none recorded means none held.
  facts.disabilityGrade = BigInt(member.disability?.grade ?? 0);
  setIfDefined(facts, 'disabilityKind', member.disability?.kind);
  facts.chronicIllnesses = member.chronicIllnesses ?? [];
  setIfDefined(facts, 'seriousIllness', member.seriousIllness);
  setIfDefined(facts, 'labourAbility', member.labourAbility);
  if (member.employment) {
    facts.employmentStatus = member.employment.status;
    setIfDefined(facts, 'workLocation', member.employment.location);
    setIfDefined(facts, 'stableMonths', member.employment.stableMonths === undefined ? undefined : BigInt(member.employment.stableMonths));
    setIfDefined(facts, 'willingToWork', member.employment.willingToWork);
  }
  setIfDefined(facts, 'medicalEnrolled', member.insurance?.medicalEnrolled);
  setIfDefined(facts, 'medicalTier', member.insurance?.medicalTier);
  setIfDefined(facts, 'pensionEnrolled', member.insurance?.pensionEnrolled);
  return facts;
}

/** Outside these ages a member with no school record is taken as not in school; inside them it is a missing fact. */
function isSchoolAge(age: FactValue): boolean {
  return typeof age === 'bigint' && age >= 3n && age <= 24n;
}

function setIfDefined<K extends string>(target: Partial<Record<K, FactValue>>, key: K, value: FactValue | undefined): void {
  if (value !== undefined) target[key] = value;
}
