/** @module The facts a policy condition can read, their Chinese labels, and how they are derived from a household at a date. */
import type { Household, Member } from './household.ts';
import { ageOn, readIdCard } from './id-card.ts';
import { NO_WORK_LOCATION, NOT_IN_SCHOOL, NOT_MONITORED, UNDER_WORKING_AGE, type HouseholdCategory } from './vocabulary.ts';

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
  schoolYear: { label: '年级（本学段第几年）', type: 'int', input: 'members[].school.year' },
  majorType: { label: '专业类别（涉农 / 艺术类表演 / 其他）', type: 'string', input: 'members[].school.major' },
  publicKindergarten: { label: '是否在普惠性公办幼儿园就读', type: 'bool', input: 'members[].school.publicKindergarten' },
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
  socialInsuranceMonths: { label: '现单位连续缴纳社会保险费的月数（仍在缴纳）', type: 'int', input: 'members[].employment.socialInsuranceMonths' },
  placedByAgency: { label: '是否由人力资源服务机构等市场主体免费帮助就业', type: 'bool', input: 'members[].employment.placedByAgency' },
  atAssistanceWorkshop: { label: '是否在就业帮扶车间就业', type: 'bool', input: 'members[].employment.atAssistanceWorkshop' },
  medicalEnrolled: { label: '是否参加城乡居民医保', type: 'bool', input: 'members[].insurance.medicalEnrolled' },
  medicalTier: { label: '医保参保档次', type: 'string', input: 'members[].insurance.medicalTier' },
  pensionEnrolled: { label: '是否参加城乡居民养老保险', type: 'bool', input: 'members[].insurance.pensionEnrolled' },
  mentalIllness: { label: '是否精神病患者', type: 'bool', input: 'members[].mentalIllness' },
  mentalIllnessTreatment: { label: '精神病治疗方式（住院 / 居家）', type: 'string', input: 'members[].mentalIllness.treatment' },
  hospitalLevel: { label: '慢性病就医公立医院级别', type: 'string', input: 'members[].treatmentHospitalLevel' },
  covidPatient: { label: '是否新冠肺炎确诊患者（未出院）', type: 'bool', input: 'members[].covidPatient' },
  childStatus: { label: '儿童困境类别', type: 'string', input: 'members[].childStatus' },
  familyDoctorWish: { label: '是否在家且有家庭医生签约意愿', type: 'bool', input: 'members[].familyDoctorWish' },
  listedMajorDisease: { label: '是否患有纳入集中救治的大病病种', type: 'bool', input: 'members[].listedMajorDisease' },
  trainingWish: { label: '是否有职业技能培训需求', type: 'bool', input: 'members[].trainingWish' },
  startupWish: { label: '是否有创业意愿且有创业能力', type: 'bool', input: 'members[].startupWish' },
  collegeGraduationYear: { label: '高校毕业年份（0 = 非高校毕业生）', type: 'int', input: 'members[].collegeGraduationYear' },
  centralCareWish: { label: '是否有集中供养意愿', type: 'bool', input: 'members[].centralCareWish' },
  hukouCounty: { label: '户籍所在区县', type: 'string', input: 'members[].hukouCounty' },
  monthsAtHomeYearly: { label: '一年在家时长（月）', type: 'int', input: 'members[].monthsAtHomeYearly' },
  ableToFarm: { label: '能否正常从事农业劳动生产', type: 'bool', input: 'members[].ableToFarm' },
  monthsOutsideCountyYearly: { label: '一年在县域外务工或居住的时长（月）', type: 'int', input: 'members[].monthsOutsideCountyYearly' },
  schoolHealthBarrier: { label: '因病因残的就学情况（无法正常入学 / 需延缓入学或休学 / 无；未填为无）', type: 'string', input: 'members[].schoolHealthBarrier' },
  degreeLevel: { label: '高等教育层次（专科 / 本科 / 硕士研究生 / 博士研究生）', type: 'string', input: 'members[].school.degreeLevel' },
  parentDisabled: { label: '父母是否为持证残疾人', type: 'bool', input: 'members[].parentDisabled' },
  employeeMedicalInsured: { label: '是否参加职工医保', type: 'bool', input: 'members[].insurance.employeeMedicalEnrolled' },
  careHospitalGrade: { label: '本年度就医医疗机构等级（一级及以下 / 二级 / 三级；未就医）', type: 'string', input: 'members[].medicalCare.hospitalGrade' },
  inPolicySelfPayFen: { label: '本年度政策范围内个人负担医疗费用（三重制度支付后）', type: 'int', input: 'members[].medicalCare.inPolicySelfPayYuan' },
  suspectedDisability: { label: '是否疑似残疾（未办残疾证；未填为否）', type: 'bool', input: 'members[].suspectedDisability' },
  meetsTekunCriteria: { label: '是否符合特困供养条件', type: 'bool', input: 'members[].meetsTekunCriteria' },
  stableIncome: { label: '能否通过产业、就业获得稳定收入', type: 'bool', input: 'members[].stableIncome' },
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
  povertyVillage: { label: '所在村是否为贫困村', type: 'bool', input: 'area.povertyVillage' },
  hukouType: { label: '户籍类型（农村 / 县镇非农 / 城市）', type: 'string', input: 'hukouType' },
  relocated: { label: '是否易地扶贫搬迁户', type: 'bool', input: 'relocated' },
  doudi: { label: '是否民政兜底保障对象', type: 'bool', input: 'doudi' },
  hardshipCauses: { label: '导致家庭生活困难的突发原因', type: 'list<string>', input: 'hardshipCauses' },
  hasLabourForce: { label: '家中是否有劳动力（有劳动能力或弱劳动能力的成员）', type: 'bool', input: 'members[].labourAbility' },
  developsIndustry: { label: '是否发展（或有意愿发展）产业增收项目', type: 'bool', input: 'developsIndustry' },
  agriInsured: { label: '是否参加政策性农业保险', type: 'bool', input: 'agriInsured' },
  collectiveDividend: { label: '所在村集体经济组织是否有股权化改革持股分红', type: 'bool', input: 'collectiveDividend' },
  ecoCompensationLand: { label: '是否有退耕还林或天然林保护林地', type: 'bool', input: 'ecoCompensationLand' },
  wildlifeFarming: { label: '是否养殖受禁食影响的野生动物', type: 'bool', input: 'wildlifeFarming' },
  livingHardship: { label: '是否基本生活困难', type: 'bool', input: 'livingHardship' },
  attendsExpo: { label: '是否参加消费扶贫展会活动', type: 'bool', input: 'attendsExpo' },
  microcreditStatus: { label: '扶贫小额信贷情况', type: 'string', input: 'microcredit.status' },
  microcreditDueDate: { label: '扶贫小额信贷到期日', type: 'string', input: 'microcredit.dueDate' },
  covidRepaymentDifficulty: { label: '是否受疫情影响出现还款困难', type: 'bool', input: 'microcredit.covidRepaymentDifficulty' },
  businessKinds: { label: '经营（或筹办）的经营主体类型', type: 'list<string>', input: 'business.kinds' },
  businessLinkedPoorHouseholds: { label: '经营主体带动建卡贫困户数', type: 'int', input: 'business.linkedPoorHouseholds' },
  businessPoorEmployees: { label: '经营主体吸纳贫困劳动力就业人数', type: 'int', input: 'business.poorEmployees' },
  businessColdStorage: { label: '经营主体是否建设保鲜仓储设施', type: 'bool', input: 'business.coldStorage' },
  businessLoanDueDate: { label: '经营主体贷款到期日', type: 'string', input: 'business.loan.dueDate' },
  businessLoanFen: { label: '经营主体单户贷款规模', type: 'int', input: 'business.loan.amountYuan' },
  businessRevenueDropPercent: { label: '2020年1—3月主营业务收入同比降幅（%）', type: 'int', input: 'business.revenueDropPercentQ1' },
  businessEmployees: { label: '经营主体现有在职职工人数', type: 'int', input: 'business.employees' },
  businessQualifiedHirePercent: { label: '当年新招用符合创业担保贷款申请条件并签订1年以上劳动合同的人员占现有在职职工的百分比', type: 'int', input: 'business.qualifiedHirePercent' },
  allLocalHukou: { label: '家庭成员是否均具有本市户籍', type: 'bool', input: 'members[].localHukou' },
  headHukouCounty: { label: '户主户籍所在区县', type: 'string', input: 'members[户主].hukouCounty' },
  headResidencePermitYears: { label: '户主在现居住区县持有居住证的整年数', type: 'int', input: 'members[户主].residencePermitSince' },
  receivedTempAid: { label: '是否已获得临时救助', type: 'bool', input: 'temporaryAid' },
  monthsSinceTempAid: { label: '自最近一次获得临时救助起的整月数', type: 'int', input: 'temporaryAid[].receivedOn' },
  lowRentTenant: { label: '是否廉租住房实物配租家庭', type: 'bool', input: 'housing.lowRentTenant' },
  lowRentMonthlyRentFen: { label: '廉租住房每月应缴纳租金', type: 'int', input: 'housing.lowRentMonthlyRentYuan' },
  zeroEmployment: { label: '是否零就业家庭（法定劳动年龄内有劳动能力和就业意愿的成员均未就业）', type: 'bool', input: 'members[].employment / labourAbility / 出生日期与性别' },
  hasResidentFarmer: { label: '家中是否有16周岁以上、能正常从事农业劳动生产且一年在家超过6个月的成员', type: 'bool', input: 'members[].ableToFarm / monthsAtHomeYearly / 出生日期' },
  cooperativeLinked: { label: '是否已与合作社或新型经营主体形成利益联结', type: 'bool', input: 'cooperativeLinked' },
  scaleUpCapacity: { label: '是否有扩大种植、养殖、生产经营规模的能力和意愿', type: 'bool', input: 'scaleUpCapacity' },
  meetsLoanConditions: { label: '是否符合小额贴息贷款条件', type: 'bool', input: 'microcredit.meetsConditions' },
  meetsRenovationConditions: { label: '核查后是否符合农村危房改造条件', type: 'bool', input: 'housing.meetsRenovationConditions' },
  renovationRebuilt: { label: '是否已享受危房新建政策', type: 'bool', input: 'housing.renovationRebuilt' },
  seasonalWaterShortage: { label: '是否出现季节性缺水', type: 'bool', input: 'seasonalWaterShortage' },
  unsoldProduce: { label: '农副产品是否出现滞销', type: 'bool', input: 'unsoldProduce' },
  relocatedCentrally: { label: '是否集中安置的易地扶贫搬迁户', type: 'bool', input: 'relocatedCentrally' },
  spareLandOrHouse: { label: '是否有可流转或出租的富余土地或房屋', type: 'bool', input: 'spareLandOrHouse' },
  childrenCanSupport: { label: '是否有条件较好、有赡养能力的子女', type: 'bool', input: 'childrenCanSupport' },
  thirdPartyLiable: { label: '因灾因意外致困是否有第三方责任人', type: 'bool', input: 'thirdPartyLiable' },
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
  // A household that is not (or no longer) monitored has no class, and that is known, not missing.
  facts.monitoringClass = monitoring ? monitoring.class ?? '' : NOT_MONITORED;
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
  setIfDefined(facts, 'povertyVillage', household.area.povertyVillage);
  setIfDefined(facts, 'hukouType', household.hukouType);
  setIfDefined(facts, 'relocated', household.relocated);
  setIfDefined(facts, 'doudi', household.doudi);
  setIfDefined(facts, 'hardshipCauses', household.hardshipCauses);
  setIfDefined(facts, 'hasLabourForce', hasLabourForce(household));
  setIfDefined(facts, 'developsIndustry', household.developsIndustry);
  setIfDefined(facts, 'agriInsured', household.agriInsured);
  setIfDefined(facts, 'collectiveDividend', household.collectiveDividend);
  setIfDefined(facts, 'ecoCompensationLand', household.ecoCompensationLand);
  setIfDefined(facts, 'wildlifeFarming', household.wildlifeFarming);
  setIfDefined(facts, 'livingHardship', household.livingHardship);
  setIfDefined(facts, 'attendsExpo', household.attendsExpo);
  setIfDefined(facts, 'microcreditStatus', household.microcredit?.status);
  setIfDefined(facts, 'microcreditDueDate', household.microcredit?.dueDate);
  setIfDefined(facts, 'covidRepaymentDifficulty', household.microcredit?.covidRepaymentDifficulty);
  // A business is a registered thing: no business recorded means none run.
  const business = household.business;
  facts.businessKinds = business?.kinds ?? [];
  setIfDefined(facts, 'businessLinkedPoorHouseholds', business?.linkedPoorHouseholds === undefined ? undefined : BigInt(business.linkedPoorHouseholds));
  setIfDefined(facts, 'businessPoorEmployees', business?.poorEmployees === undefined ? undefined : BigInt(business.poorEmployees));
  setIfDefined(facts, 'businessColdStorage', business?.coldStorage);
  setIfDefined(facts, 'businessLoanDueDate', business?.loan?.dueDate);
  setIfDefined(facts, 'businessLoanFen', business?.loan?.amountYuan === undefined ? undefined : BigInt(Math.round(business.loan.amountYuan * 100)));
  setIfDefined(facts, 'businessRevenueDropPercent', business?.revenueDropPercentQ1 === undefined ? undefined : BigInt(business.revenueDropPercentQ1));
  setIfDefined(facts, 'businessEmployees', business?.employees === undefined ? undefined : BigInt(business.employees));
  setIfDefined(facts, 'businessQualifiedHirePercent', business?.qualifiedHirePercent === undefined ? undefined : BigInt(business.qualifiedHirePercent));
  setIfDefined(facts, 'allLocalHukou', allLocalHukou(household));
  Object.assign(facts, residenceAndAidFacts(household, date));
  Object.assign(facts, helperChecklistFacts(household, date));
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
    setIfDefined(facts, 'schoolYear', member.school.year === undefined ? undefined : BigInt(member.school.year));
    setIfDefined(facts, 'majorType', member.school.major);
    setIfDefined(facts, 'publicKindergarten', member.school.publicKindergarten);
    facts.studentAid = member.school.otherAid ?? [];
  }
  // The record is authoritative for certificates and diagnoses: none recorded means none held.
  facts.disabilityGrade = BigInt(member.disability?.grade ?? 0);
  setIfDefined(facts, 'disabilityKind', member.disability?.kind);
  facts.chronicIllnesses = member.chronicIllnesses ?? [];
  setIfDefined(facts, 'seriousIllness', member.seriousIllness);
  setIfDefined(facts, 'labourAbility', member.labourAbility);
  if (!member.employment) {
    // With no employment record, a child or someone who cannot work is known not to be employed (so no work place,
    // no months in a job, no employer paying insurance); for anyone else these stay unknown.
    const notWorking = typeof facts.age === 'bigint' && facts.age < 16n ? UNDER_WORKING_AGE
      : member.labourAbility === '失能' || member.labourAbility === '半失能' ? '无劳动能力' : undefined;
    if (notWorking) Object.assign(facts, { employmentStatus: notWorking, workLocation: NO_WORK_LOCATION, stableMonths: 0n, socialInsuranceMonths: 0n, placedByAgency: false, atAssistanceWorkshop: false, willingToWork: false });
  }
  if (member.employment) {
    facts.employmentStatus = member.employment.status;
    setIfDefined(facts, 'workLocation', member.employment.location);
    setIfDefined(facts, 'stableMonths', member.employment.stableMonths === undefined ? undefined : BigInt(member.employment.stableMonths));
    setIfDefined(facts, 'willingToWork', member.employment.willingToWork);
    setIfDefined(facts, 'socialInsuranceMonths', member.employment.socialInsuranceMonths === undefined ? undefined : BigInt(member.employment.socialInsuranceMonths));
    setIfDefined(facts, 'placedByAgency', member.employment.placedByAgency);
    setIfDefined(facts, 'atAssistanceWorkshop', member.employment.atAssistanceWorkshop);
  }
  setIfDefined(facts, 'medicalEnrolled', member.insurance?.medicalEnrolled);
  setIfDefined(facts, 'medicalTier', member.insurance?.medicalTier);
  setIfDefined(facts, 'pensionEnrolled', member.insurance?.pensionEnrolled);
  // 城乡居民养老保险 enrols people from 16; a younger member is known not to be enrolled.
  if (facts.pensionEnrolled === undefined && typeof facts.age === 'bigint' && facts.age < 16n) facts.pensionEnrolled = false;
  // A diagnosis not recorded is taken as not held, like disability and chronic illness.
  facts.mentalIllness = member.mentalIllness !== undefined;
  setIfDefined(facts, 'mentalIllnessTreatment', member.mentalIllness?.treatment);
  setIfDefined(facts, 'hospitalLevel', member.treatmentHospitalLevel);
  setIfDefined(facts, 'covidPatient', member.covidPatient);
  // 困境儿童 are children: an adult with no record is not one.
  setIfDefined(facts, 'childStatus', member.childStatus ?? (typeof facts.age === 'bigint' && facts.age >= 18n ? NOT_A_CHILD_IN_DIFFICULTY : undefined));
  setIfDefined(facts, 'familyDoctorWish', member.familyDoctorWish);
  setIfDefined(facts, 'listedMajorDisease', member.listedMajorDisease);
  setIfDefined(facts, 'trainingWish', member.trainingWish);
  setIfDefined(facts, 'startupWish', member.startupWish);
  // Like certificates: no graduation recorded means not a college graduate (0).
  facts.collegeGraduationYear = BigInt(member.collegeGraduationYear ?? 0);
  setIfDefined(facts, 'centralCareWish', member.centralCareWish);
  setIfDefined(facts, 'hukouCounty', member.hukouCounty);
  Object.assign(facts, helperChecklistMemberFacts(member, facts));
  setIfDefined(facts, 'stableIncome', member.stableIncome);
  return facts;
}

const NOT_A_CHILD_IN_DIFFICULTY = '非困境儿童';

/** 001 明白纸 member facts: time at home / away, schooling barriers, 职工医保, this year's medical care. */
function helperChecklistMemberFacts(member: Member, derived: MemberFacts): MemberFacts {
  const facts: MemberFacts = {};
  setIfDefined(facts, 'monthsAtHomeYearly', member.monthsAtHomeYearly === undefined ? undefined : BigInt(member.monthsAtHomeYearly));
  setIfDefined(facts, 'ableToFarm', member.ableToFarm);
  setIfDefined(facts, 'monthsOutsideCountyYearly', member.monthsOutsideCountyYearly === undefined ? undefined : BigInt(member.monthsOutsideCountyYearly));
  // Like a diagnosis: no barrier recorded means none (无).
  facts.schoolHealthBarrier = member.schoolHealthBarrier ?? '无';
  // 高职 is 专科 level by definition; 本专科 needs the record.
  setIfDefined(facts, 'degreeLevel', member.school?.degreeLevel ?? (member.school?.stage === '高职' ? '专科' : undefined));
  setIfDefined(facts, 'parentDisabled', member.parentDisabled);
  // One cannot hold both: a member in 城乡居民医保 is not in 职工医保.
  setIfDefined(facts, 'employeeMedicalInsured', member.insurance?.employeeMedicalEnrolled ?? (derived.medicalEnrolled === true ? false : undefined));
  // Medical care is a record like a diagnosis: none recorded means not treated this year and nothing paid.
  if (member.medicalCare === undefined) {
    facts.careHospitalGrade = NOT_TREATED;
    facts.inPolicySelfPayFen = 0n;
  } else {
    setIfDefined(facts, 'careHospitalGrade', member.medicalCare.hospitalGrade);
    const selfPay = member.medicalCare.inPolicySelfPayYuan;
    setIfDefined(facts, 'inPolicySelfPayFen', selfPay === undefined ? undefined : BigInt(Math.round(selfPay * 100)));
  }
  // A suspicion is recorded by the helper: none recorded means none.
  facts.suspectedDisability = member.suspectedDisability ?? false;
  setIfDefined(facts, 'meetsTekunCriteria', member.meetsTekunCriteria);
  return facts;
}

const NOT_TREATED = '未就医';

/** 001 明白纸 household facts: the 产业 trigger (a farmer at home), loan, housing, water and the ● items' circumstances. */
function helperChecklistFacts(household: Household, date: string): HouseholdFacts {
  const facts: HouseholdFacts = {};
  setIfDefined(facts, 'hasResidentFarmer', hasResidentFarmer(household, date));
  setIfDefined(facts, 'cooperativeLinked', household.cooperativeLinked);
  setIfDefined(facts, 'scaleUpCapacity', household.scaleUpCapacity);
  setIfDefined(facts, 'meetsLoanConditions', household.microcredit?.meetsConditions);
  setIfDefined(facts, 'meetsRenovationConditions', household.housing?.meetsRenovationConditions);
  setIfDefined(facts, 'renovationRebuilt', household.housing?.renovationRebuilt);
  setIfDefined(facts, 'seasonalWaterShortage', household.seasonalWaterShortage);
  setIfDefined(facts, 'unsoldProduce', household.unsoldProduce);
  setIfDefined(facts, 'relocatedCentrally', household.relocatedCentrally);
  setIfDefined(facts, 'spareLandOrHouse', household.spareLandOrHouse);
  setIfDefined(facts, 'childrenCanSupport', household.childrenCanSupport);
  setIfDefined(facts, 'thirdPartyLiable', household.thirdPartyLiable);
  return facts;
}

/** 001 产业帮扶 trigger: some member aged 16+, able to farm and at home more than 6 months a year; unknown when none qualifies but some might. */
function hasResidentFarmer(household: Household, date: string): boolean | undefined {
  let unknown = false;
  for (const m of household.members) {
    const age = memberFacts(m, date).age;
    const checks = [
      typeof age === 'bigint' ? age >= 16n : undefined,
      m.ableToFarm,
      m.monthsAtHomeYearly === undefined ? undefined : m.monthsAtHomeYearly > 6,
    ];
    if (checks.includes(false)) continue;
    if (checks.every((c) => c === true)) return true;
    unknown = true;
  }
  return unknown ? undefined : false;
}
const LABOUR_FORCE: readonly string[] = ['有劳动能力', '弱劳动能力'];

/** 渝中 2019: the head's 户籍 / 居住证, 临时救助 received, 廉租住房 rent and 零就业家庭. */
function residenceAndAidFacts(household: Household, date: string): HouseholdFacts {
  const facts: HouseholdFacts = {};
  const head = household.members.find((m) => m.relation === '户主');
  setIfDefined(facts, 'headHukouCounty', head?.hukouCounty);
  // null = holds no 居住证 (0 years); a permit dated after the date counts as not yet held.
  if (head?.residencePermitSince === null) facts.headResidencePermitYears = 0n;
  else if (head?.residencePermitSince) facts.headResidencePermitYears = BigInt(Math.max(0, ageOn(head.residencePermitSince, date)));
  if (household.temporaryAid) {
    const received = household.temporaryAid.map((a) => a.receivedOn).filter((d) => d <= date).sort();
    const last = received[received.length - 1];
    facts.receivedTempAid = last !== undefined;
    if (last !== undefined) facts.monthsSinceTempAid = BigInt(wholeMonthsBetween(last, date));
  }
  setIfDefined(facts, 'lowRentTenant', household.housing?.lowRentTenant);
  const rent = household.housing?.lowRentMonthlyRentYuan;
  if (rent !== undefined) facts.lowRentMonthlyRentFen = BigInt(Math.round(rent * 100));
  setIfDefined(facts, 'zeroEmployment', zeroEmployment(household, date));
  return facts;
}

/** Whole months from one YYYY-MM-DD to another (a month counts on the same day of the month). */
function wholeMonthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

const EMPLOYED: readonly string[] = ['务工', '自主创业', '公益性岗位', '务农'];
const NOT_SEEKING: readonly string[] = ['在校', '无劳动能力', '退休'];

/**
 * 零就业家庭: no member is employed, and some member of 法定劳动年龄 (16 to under 60 for men, under 55 for women)
 * with 劳动能力 and 就业意愿 is out of work. False when a member works or when no member could; unknown otherwise.
 */
function zeroEmployment(household: Household, date: string): boolean | undefined {
  const members = household.members.map((m) => memberFacts(m, date));
  if (members.some((f) => typeof f.employmentStatus === 'string' && EMPLOYED.includes(f.employmentStatus))) return false;
  const workingAge = (f: MemberFacts): boolean | undefined => {
    if (typeof f.age !== 'bigint') return undefined;
    if (f.age < 16n || f.age >= 60n) return false;
    if (f.age < 55n) return true;
    return f.sex === undefined ? undefined : f.sex === '男';
  };
  const seeker = (f: MemberFacts): boolean | undefined => {
    const checks = [
      workingAge(f),
      f.labourAbility === undefined ? undefined : f.labourAbility === '有劳动能力',
      f.employmentStatus === undefined ? undefined : !NOT_SEEKING.includes(f.employmentStatus as string),
      f.willingToWork === undefined ? undefined : f.willingToWork === true,
    ];
    if (checks.includes(false)) return false;
    return checks.every((c) => c === true) ? true : undefined;
  };
  const seekers = members.map(seeker);
  if (seekers.includes(true)) return true;
  return seekers.every((s) => s === false) ? false : undefined;
}

/** 渝北 2022 低保边缘家庭: true when every member is recorded 本市户籍, false when one is not, unknown otherwise. */
function allLocalHukou(household: Household): boolean | undefined {
  const hukou = household.members.map((m) => m.localHukou);
  if (hukou.includes(false)) return false;
  return hukou.every((h) => h === true) ? true : undefined;
}

/** True when some member can work, false when every member's ability is known and none can, unknown otherwise. */
function hasLabourForce(household: Household): boolean | undefined {
  const abilities = household.members.map((m) => m.labourAbility);
  if (abilities.some((a) => a !== undefined && LABOUR_FORCE.includes(a))) return true;
  return abilities.every((a) => a !== undefined) ? false : undefined;
}

/** Outside these ages a member with no school record is taken as not in school; inside them it is a missing fact. */
function isSchoolAge(age: FactValue): boolean {
  return typeof age === 'bigint' && age >= 3n && age <= 24n;
}

function setIfDefined<K extends string>(target: Partial<Record<K, FactValue>>, key: K, value: FactValue | undefined): void {
  if (value !== undefined) target[key] = value;
}
