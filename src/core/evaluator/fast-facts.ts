/**
 * @module Facts one at a time, for the batch screener: each fact a condition can read, derived on its own from the
 * household, so screening derives only the facts its packs use. Each deriver must give exactly what memberFacts() /
 * householdFacts() in model/facts.ts give (test/core/evaluator/fast-facts.test.ts checks every one on generated
 * households); a fact without a deriver here is read from those canonical functions instead, which is correct but slow.
 */
import {
  householdFacts, memberFacts, HOUSEHOLD_FACTS, MEMBER_FACTS,
  type FactValue, type HouseholdFacts, type MemberFacts,
} from '../model/facts.ts';
import type { CategoryMembership, Household, Member } from '../model/household.ts';
import { ageOn } from '../model/id-card.ts';
import { NO_WORK_LOCATION, NOT_IN_SCHOOL, NOT_MONITORED, UNDER_WORKING_AGE } from '../model/vocabulary.ts';

/** The screening date, split once. */
export interface DateParts { iso: string; y: number; m: number; d: number }

export function dateParts(iso: string): DateParts {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return { iso, y, m, d };
}

/** Per-member scratch: the member and what several derivers share (age), computed at most once. */
export class MemberScope {
  member!: Member;
  date!: DateParts;
  private ageValue: bigint | undefined | null = null;
  private canonical: MemberFacts | undefined;

  reset(member: Member, date: DateParts): this {
    this.member = member;
    this.date = date;
    this.ageValue = null;
    this.canonical = undefined;
    return this;
  }

  age(): bigint | undefined {
    if (this.ageValue === null) this.ageValue = ageOf(this.member, this.date);
    return this.ageValue;
  }

  /** The canonical facts, for facts without a deriver. */
  all(): MemberFacts {
    return (this.canonical ??= memberFacts(this.member, this.date.iso));
  }
}

export class HouseholdScope {
  household!: Household;
  date!: DateParts;
  private activeValue: CategoryMembership[] | undefined;
  private canonical: HouseholdFacts | undefined;
  /** Member scopes, reused from household to household; valid[i] says scope i belongs to this household. */
  private members: MemberScope[] = [];
  private valid: number[] = [];
  private epoch = 0;

  reset(household: Household, date: DateParts): this {
    this.household = household;
    this.date = date;
    this.activeValue = undefined;
    this.canonical = undefined;
    this.epoch++;
    return this;
  }

  /** model/facts.ts activeCategories(), as a loop (no closure per household). */
  active(): CategoryMembership[] {
    if (this.activeValue) return this.activeValue;
    const date = this.date.iso;
    const out: CategoryMembership[] = [];
    for (const c of this.household.categories) if (c.from <= date && (c.to == null || date <= c.to)) out.push(c);
    return (this.activeValue = out);
  }

  member(index: number): MemberScope {
    const scope = (this.members[index] ??= new MemberScope());
    if (this.valid[index] !== this.epoch) {
      scope.reset(this.household.members[index] as Member, this.date);
      this.valid[index] = this.epoch;
    }
    return scope;
  }

  all(): HouseholdFacts {
    return (this.canonical ??= householdFacts(this.household, this.date.iso));
  }
}

/** Age exactly as memberFacts computes it (ageOn over the birth date the ID number or the record gives), without the strings. */
function ageOf(m: Member, date: DateParts): bigint | undefined {
  const id = m.idNumber;
  if (id) {
    const y = digits(id, 6, 4);
    const mo = digits(id, 10, 2);
    const d = digits(id, 12, 2);
    if (y >= 0 && mo >= 0 && d >= 0) return bigint(date.y - y - (date.m < mo || (date.m === mo && date.d < d) ? 1 : 0));
    return BigInt(ageOn(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, date.iso));
  }
  return m.birthDate ? bigint(ageOn(m.birthDate, date.iso)) : undefined;
}

/** The number in s[from, from+n) when it is all ASCII digits, else -1. */
function digits(s: string, from: number, n: number): number {
  if (s.length < from + n) return -1;
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Small ints as shared bigints: a fresh BigInt is a heap object, and facts are mostly counts, grades and ages. */
const SMALL: bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));
export function bigint(v: number): bigint {
  return v >= 0 && v < 4096 && Number.isInteger(v) ? (SMALL[v] as bigint) : BigInt(v);
}
const int = (v: number | undefined): bigint | undefined => (v === undefined ? undefined : bigint(v));
const fen = (yuan: number | undefined): bigint | undefined => (yuan === undefined ? undefined : BigInt(Math.round(yuan * 100)));

export type MemberDeriver = (s: MemberScope) => FactValue | undefined;
export type HouseholdDeriver = (s: HouseholdScope) => FactValue | undefined;

const NOT_A_CHILD_IN_DIFFICULTY = '非困境儿童';
const NOT_TREATED = '未就医';

/** With no employment record: a child, or someone who cannot work, is known not to be employed (as memberFacts says). */
function notWorking(s: MemberScope): string | undefined {
  const age = s.age();
  if (age !== undefined && age < 16n) return UNDER_WORKING_AGE;
  return s.member.labourAbility === '失能' || s.member.labourAbility === '半失能' ? '无劳动能力' : undefined;
}

export const MEMBER_DERIVERS: Record<string, MemberDeriver> = {
  age: (s) => s.age(),
  sex: (s) => (s.member.idNumber ? (Number(s.member.idNumber[16]) % 2 === 1 ? '男' : '女') : s.member.sex),
  relation: (s) => s.member.relation,
  localHukou: (s) => s.member.localHukou,
  stage: (s) => {
    if (s.member.school) return s.member.school.stage;
    const age = s.age();
    return age !== undefined && !(age >= 3n && age <= 24n) ? NOT_IN_SCHOOL : undefined;
  },
  boarding: (s) => s.member.school?.boarding,
  schoolName: (s) => s.member.school?.schoolName,
  urbanSchool: (s) => s.member.school?.urbanSchool,
  schoolYear: (s) => int(s.member.school?.year),
  majorType: (s) => s.member.school?.major,
  publicKindergarten: (s) => s.member.school?.publicKindergarten,
  studentAid: (s) => (s.member.school ? s.member.school.otherAid ?? [] : undefined),
  disabilityGrade: (s) => bigint(s.member.disability?.grade ?? 0),
  disabilityKind: (s) => s.member.disability?.kind,
  chronicIllnesses: (s) => s.member.chronicIllnesses ?? [],
  seriousIllness: (s) => s.member.seriousIllness,
  labourAbility: (s) => s.member.labourAbility,
  employmentStatus: (s) => (s.member.employment ? s.member.employment.status : notWorking(s)),
  workLocation: (s) => (s.member.employment ? s.member.employment.location : notWorking(s) && NO_WORK_LOCATION),
  stableMonths: (s) => (s.member.employment ? int(s.member.employment.stableMonths) : notWorking(s) && 0n),
  willingToWork: (s) => (s.member.employment ? s.member.employment.willingToWork : notWorking(s) && false),
  socialInsuranceMonths: (s) => (s.member.employment ? int(s.member.employment.socialInsuranceMonths) : notWorking(s) && 0n),
  placedByAgency: (s) => (s.member.employment ? s.member.employment.placedByAgency : notWorking(s) && false),
  atAssistanceWorkshop: (s) => (s.member.employment ? s.member.employment.atAssistanceWorkshop : notWorking(s) && false),
  medicalEnrolled: (s) => s.member.insurance?.medicalEnrolled,
  medicalTier: (s) => s.member.insurance?.medicalTier,
  pensionEnrolled: (s) => {
    const v = s.member.insurance?.pensionEnrolled;
    if (v !== undefined) return v;
    const age = s.age();
    return age !== undefined && age < 16n ? false : undefined;
  },
  mentalIllness: (s) => s.member.mentalIllness !== undefined,
  mentalIllnessTreatment: (s) => s.member.mentalIllness?.treatment,
  hospitalLevel: (s) => s.member.treatmentHospitalLevel,
  covidPatient: (s) => s.member.covidPatient,
  childStatus: (s) => {
    if (s.member.childStatus !== undefined) return s.member.childStatus;
    const age = s.age();
    return age !== undefined && age >= 18n ? NOT_A_CHILD_IN_DIFFICULTY : undefined;
  },
  familyDoctorWish: (s) => s.member.familyDoctorWish,
  listedMajorDisease: (s) => s.member.listedMajorDisease,
  trainingWish: (s) => s.member.trainingWish,
  startupWish: (s) => s.member.startupWish,
  collegeGraduationYear: (s) => bigint(s.member.collegeGraduationYear ?? 0),
  centralCareWish: (s) => s.member.centralCareWish,
  hukouCounty: (s) => s.member.hukouCounty,
  stableIncome: (s) => s.member.stableIncome,
  monthsAtHomeYearly: (s) => int(s.member.monthsAtHomeYearly),
  ableToFarm: (s) => s.member.ableToFarm,
  monthsOutsideCountyYearly: (s) => int(s.member.monthsOutsideCountyYearly),
  schoolHealthBarrier: (s) => s.member.schoolHealthBarrier ?? '无',
  degreeLevel: (s) => s.member.school?.degreeLevel ?? (s.member.school?.stage === '高职' ? '专科' : undefined),
  parentDisabled: (s) => s.member.parentDisabled,
  employeeMedicalInsured: (s) => s.member.insurance?.employeeMedicalEnrolled ?? (s.member.insurance?.medicalEnrolled === true ? false : undefined),
  careHospitalGrade: (s) => (s.member.medicalCare === undefined ? NOT_TREATED : s.member.medicalCare.hospitalGrade),
  inPolicySelfPayFen: (s) => (s.member.medicalCare === undefined ? 0n : fen(s.member.medicalCare.inPolicySelfPayYuan)),
  suspectedDisability: (s) => s.member.suspectedDisability ?? false,
  meetsTekunCriteria: (s) => s.member.meetsTekunCriteria,
};

const LABOUR_FORCE: readonly string[] = ['有劳动能力', '弱劳动能力'];
const EMPLOYED: readonly string[] = ['务工', '自主创业', '公益性岗位', '务农'];
const NOT_SEEKING: readonly string[] = ['在校', '无劳动能力', '退休'];

function monitoring(s: HouseholdScope): CategoryMembership | undefined {
  for (const c of s.active()) if (c.type === '监测户') return c;
  return undefined;
}

function dibao(s: HouseholdScope): CategoryMembership | undefined {
  for (const c of s.active()) if ((c.type === '农村低保' || c.type === '城市低保') && c.class) return c;
  return undefined;
}

function head(h: Household): Member | undefined {
  for (const m of h.members) if (m.relation === '户主') return m;
  return undefined;
}

export const HOUSEHOLD_DERIVERS: Record<string, HouseholdDeriver> = {
  categories: (s) => {
    const out: string[] = [];
    for (const c of s.active()) if (!out.includes(c.type)) out.push(c.type);
    return out;
  },
  monitoringClass: (s) => {
    const m = monitoring(s);
    return m ? m.class ?? '' : NOT_MONITORED;
  },
  riskEliminated: (s) => monitoring(s)?.riskEliminated,
  dibaoClass: (s) => dibao(s)?.class || undefined,
  size: (s) => bigint(s.household.members.length),
  county: (s) => s.household.area.county,
  town: (s) => s.household.area.town,
  village: (s) => s.household.area.village,
  incomePerHeadMonthlyFen: (s) => {
    const inc = s.household.incomePerHead;
    if (!inc) return undefined;
    const f = Math.round(inc.amountYuan * 100);
    return BigInt(inc.period === '月' ? f : Math.round(f / 12));
  },
  incomePerHeadYearlyFen: (s) => {
    const inc = s.household.incomePerHead;
    if (!inc) return undefined;
    const f = Math.round(inc.amountYuan * 100);
    return BigInt(inc.period === '年' ? f : f * 12);
  },
  housingGrade: (s) => s.household.housing?.grade,
  rentsSafeHousing: (s) => s.household.housing?.rentsSafeHousing,
  centralWaterSupply: (s) => s.household.centralWaterSupply,
  povertyVillage: (s) => s.household.area.povertyVillage,
  hukouType: (s) => s.household.hukouType,
  relocated: (s) => s.household.relocated,
  doudi: (s) => s.household.doudi,
  hardshipCauses: (s) => s.household.hardshipCauses,
  hasLabourForce: (s) => {
    let allKnown = true;
    for (const m of s.household.members) {
      if (m.labourAbility === undefined) allKnown = false;
      else if (LABOUR_FORCE.includes(m.labourAbility)) return true;
    }
    return allKnown ? false : undefined;
  },
  developsIndustry: (s) => s.household.developsIndustry,
  agriInsured: (s) => s.household.agriInsured,
  collectiveDividend: (s) => s.household.collectiveDividend,
  ecoCompensationLand: (s) => s.household.ecoCompensationLand,
  wildlifeFarming: (s) => s.household.wildlifeFarming,
  livingHardship: (s) => s.household.livingHardship,
  attendsExpo: (s) => s.household.attendsExpo,
  microcreditStatus: (s) => s.household.microcredit?.status,
  microcreditDueDate: (s) => s.household.microcredit?.dueDate,
  covidRepaymentDifficulty: (s) => s.household.microcredit?.covidRepaymentDifficulty,
  businessKinds: (s) => s.household.business?.kinds ?? [],
  businessLinkedPoorHouseholds: (s) => int(s.household.business?.linkedPoorHouseholds),
  businessPoorEmployees: (s) => int(s.household.business?.poorEmployees),
  businessColdStorage: (s) => s.household.business?.coldStorage,
  businessLoanDueDate: (s) => s.household.business?.loan?.dueDate,
  businessLoanFen: (s) => fen(s.household.business?.loan?.amountYuan),
  businessRevenueDropPercent: (s) => int(s.household.business?.revenueDropPercentQ1),
  businessEmployees: (s) => int(s.household.business?.employees),
  businessQualifiedHirePercent: (s) => int(s.household.business?.qualifiedHirePercent),
  allLocalHukou: (s) => {
    let allTrue = true;
    for (const m of s.household.members) {
      if (m.localHukou === false) return false;
      if (m.localHukou !== true) allTrue = false;
    }
    return allTrue ? true : undefined;
  },
  headHukouCounty: (s) => head(s.household)?.hukouCounty,
  headResidencePermitYears: (s) => {
    const since = head(s.household)?.residencePermitSince;
    if (since === null) return 0n;
    return since ? BigInt(Math.max(0, ageOn(since, s.date.iso))) : undefined;
  },
  receivedTempAid: (s) => (s.household.temporaryAid ? lastTempAid(s) !== undefined : undefined),
  monthsSinceTempAid: (s) => {
    const last = s.household.temporaryAid ? lastTempAid(s) : undefined;
    return last === undefined ? undefined : BigInt(wholeMonthsBetween(last, s.date.iso));
  },
  lowRentTenant: (s) => s.household.housing?.lowRentTenant,
  lowRentMonthlyRentFen: (s) => fen(s.household.housing?.lowRentMonthlyRentYuan),
  zeroEmployment: (s) => zeroEmployment(s),
  hasResidentFarmer: (s) => {
    let unknown = false;
    for (let i = 0; i < s.household.members.length; i++) {
      const ms = s.member(i);
      const age = ms.age();
      const adult = age === undefined ? undefined : age >= 16n;
      const farms = ms.member.ableToFarm;
      const months = ms.member.monthsAtHomeYearly;
      const home = months === undefined ? undefined : months > 6;
      if (adult === false || farms === false || home === false) continue;
      if (adult === true && farms === true && home === true) return true;
      unknown = true;
    }
    return unknown ? undefined : false;
  },
  cooperativeLinked: (s) => s.household.cooperativeLinked,
  scaleUpCapacity: (s) => s.household.scaleUpCapacity,
  meetsLoanConditions: (s) => s.household.microcredit?.meetsConditions,
  meetsRenovationConditions: (s) => s.household.housing?.meetsRenovationConditions,
  renovationRebuilt: (s) => s.household.housing?.renovationRebuilt,
  seasonalWaterShortage: (s) => s.household.seasonalWaterShortage,
  unsoldProduce: (s) => s.household.unsoldProduce,
  relocatedCentrally: (s) => s.household.relocatedCentrally,
  spareLandOrHouse: (s) => s.household.spareLandOrHouse,
  childrenCanSupport: (s) => s.household.childrenCanSupport,
  thirdPartyLiable: (s) => s.household.thirdPartyLiable,
};

function lastTempAid(s: HouseholdScope): string | undefined {
  let last: string | undefined;
  for (const a of s.household.temporaryAid ?? []) if (a.receivedOn <= s.date.iso && (last === undefined || a.receivedOn > last)) last = a.receivedOn;
  return last;
}

/** Whole months from one YYYY-MM-DD to another, as model/facts.ts counts them. */
function wholeMonthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/** 零就业家庭, as model/facts.ts defines it, from the member derivers. */
function zeroEmployment(s: HouseholdScope): boolean | undefined {
  const n = s.household.members.length;
  const status = MEMBER_DERIVERS.employmentStatus as MemberDeriver;
  const willing = MEMBER_DERIVERS.willingToWork as MemberDeriver;
  const sexOf = MEMBER_DERIVERS.sex as MemberDeriver;
  for (let i = 0; i < n; i++) {
    const st = status(s.member(i));
    if (typeof st === 'string' && EMPLOYED.includes(st)) return false;
  }
  let anyUnknown = false;
  for (let i = 0; i < n; i++) {
    const ms = s.member(i);
    const age = ms.age();
    const sex = sexOf(ms);
    const workingAge = age === undefined ? undefined : age < 16n || age >= 60n ? false : age < 55n ? true : sex === undefined ? undefined : sex === '男';
    const st = status(ms);
    const wants = willing(ms);
    const able = ms.member.labourAbility === undefined ? undefined : ms.member.labourAbility === '有劳动能力';
    const seeking = st === undefined ? undefined : !NOT_SEEKING.includes(st as string);
    const willingTrue = wants === undefined ? undefined : wants === true;
    if (workingAge === false || able === false || seeking === false || willingTrue === false) continue;
    if (workingAge === true && able === true && seeking === true && willingTrue === true) return true;
    anyUnknown = true;
  }
  return anyUnknown ? undefined : false;
}

/** Facts of the catalog that have no deriver here (read from the canonical functions). */
export function factsWithoutDeriver(): string[] {
  return [
    ...Object.keys(MEMBER_FACTS).filter((k) => !(k in MEMBER_DERIVERS)).map((k) => `member.${k}`),
    ...Object.keys(HOUSEHOLD_FACTS).filter((k) => !(k in HOUSEHOLD_DERIVERS)).map((k) => `household.${k}`),
  ];
}

/** The deriver of a member fact: its own, or a read of the canonical facts. */
export function memberDeriver(key: string): MemberDeriver {
  return MEMBER_DERIVERS[key] ?? ((s) => (s.all() as Record<string, FactValue | undefined>)[key]);
}

export function householdDeriver(key: string): HouseholdDeriver {
  return HOUSEHOLD_DERIVERS[key] ?? ((s) => (s.all() as Record<string, FactValue | undefined>)[key]);
}
