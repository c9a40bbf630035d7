/** @module The household input format: one zod definition that validates input, gives the TypeScript types and generates docs/household.schema.json. */
import { z } from 'zod';
import { ageOn, checkIdCard, isRealDate, readIdCard } from './id-card.ts';
import {
  DIBAO_CLASSES, EMPLOYMENT_STATUSES, HOUSEHOLD_CATEGORIES, HOUSING_GRADES, INSURANCE_TIERS,
  LABOUR_ABILITIES, MONITORING_CLASSES, RELATIONS, SCHOOL_STAGES, SEXES, WORK_LOCATIONS,
} from './vocabulary.ts';

z.config(z.locales.zhCN());

const MAX_AGE = 120;

const isoDate = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isRealDate, '不是真实存在的日期')
  .meta({ description: '日期，格式 YYYY-MM-DD', examples: ['2023-06-30'] });

/** Money in 元 with at most two decimals (分); converted to integer fen before any arithmetic. */
const yuan = z.number().nonnegative('金额不能为负数')
  .refine((v) => Number.isFinite(v) && Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额最多精确到分（两位小数）')
  .meta({ description: '金额（元），最多两位小数' });

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: () => `${what}应为以下之一：${values.join('、')}` });

export const CategoryMembershipSchema = z.strictObject({
  type: enumOf(HOUSEHOLD_CATEGORIES, '户类别'),
  class: z.union([enumOf(MONITORING_CLASSES, '监测类别'), enumOf(DIBAO_CLASSES, '低保类别')]).optional()
    .meta({ description: '监测户：脱贫不稳定户/边缘易致贫户/突发严重困难户；低保：A类/B类/C类' }),
  from: isoDate.meta({ description: '纳入日期' }),
  to: isoDate.nullable().optional().meta({ description: '退出日期（含当日仍有效）；空表示仍在册' }),
  riskEliminated: z.boolean().optional().meta({ description: '监测户：是否已标注风险消除' }),
  recordedBy: z.string().max(50).optional().meta({ description: '登记人' }),
}).superRefine((c, ctx) => {
  if (c.type === '监测户' && (c.class === undefined || !(MONITORING_CLASSES as readonly string[]).includes(c.class))) {
    ctx.addIssue({ code: 'custom', path: ['class'], message: '监测户必须注明监测类别：脱贫不稳定户、边缘易致贫户或突发严重困难户' });
  }
  if (c.type !== '监测户' && c.class !== undefined && (MONITORING_CLASSES as readonly string[]).includes(c.class)) {
    ctx.addIssue({ code: 'custom', path: ['class'], message: `监测类别只适用于监测户，不适用于${c.type}` });
  }
  if (c.to && c.to < c.from) ctx.addIssue({ code: 'custom', path: ['to'], message: '退出日期早于纳入日期' });
});

/** 正安 2018: 中职资助 distinguishes 农村 / 县镇非农 / 城市 students. */
export const HUKOU_TYPES = ['农村', '县镇非农', '城市'] as const;
/** 正安 2018: 中职 majors that change aid (城市涉农专业 get 免学费; 艺术类表演专业 do not). */
export const MAJOR_TYPES = ['涉农专业', '艺术类表演专业', '其他专业'] as const;
/** 正安 2018: 慢性病自付封顶 depends on the level of the public hospital. */
export const HOSPITAL_LEVELS = ['县级及以下', '市级', '省级'] as const;
export const MENTAL_ILLNESS_TREATMENTS = ['住院', '居家'] as const;
/** 正安 2018: sudden causes of hardship that open 急难救助, 灾民救助 and 医疗后生活性临时救助. */
export const HARDSHIP_CAUSES = ['交通事故', '自然灾害', '重特大疾病', '医疗自付费用过高', '其他突发原因', '教育支出过高'] as const;
/** 001 明白纸: 6–16岁儿童因病、因残无法正常入学（送教上门）或需延缓入学、休学（办理手续）. */
export const SCHOOL_HEALTH_BARRIERS = ['无法正常入学', '需延缓入学或休学', '无'] as const;
/** 001 明白纸: 残联资助 for 残疾学生 differs for 专科 / 本科 / 硕士及以上. */
export const DEGREE_LEVELS = ['专科', '本科', '硕士研究生', '博士研究生'] as const;
/** 001 明白纸: 自费比例上限 by 医疗机构等级 (一级及以下 10%, 二级 15%, 三级 20%). */
export const CARE_HOSPITAL_GRADES = ['一级及以下', '二级', '三级'] as const;

export const SchoolingSchema = z.strictObject({
  stage: enumOf(SCHOOL_STAGES, '学段'),
  year: z.int().min(1).max(8).optional().meta({ description: '年级（本学段第几年，如中职一年级填 1）' }),
  major: enumOf(MAJOR_TYPES, '专业类别').optional().meta({ description: '中职专业类别：涉农专业 / 艺术类表演专业 / 其他专业' }),
  publicKindergarten: z.boolean().optional().meta({ description: '学前：是否在普惠性公办幼儿园就读' }),
  boarding: z.boolean().optional().meta({ description: '是否寄宿' }),
  schoolName: z.string().max(100).optional().meta({ description: '学校名称（正安县按学校确定资助标准）' }),
  urbanSchool: z.boolean().optional().meta({ description: '是否城区学校（否则为农村学校）' }),
  degreeLevel: enumOf(DEGREE_LEVELS, '高等教育层次').optional().meta({ description: '在读高等教育层次：专科 / 本科 / 硕士研究生 / 博士研究生（高职即专科）' }),
  otherAid: z.array(z.string().max(100)).optional()
    .meta({ description: '已享受的其他学生资助，如“重庆籍建档立卡贫困大学生学费资助”' }),
});

export const DisabilitySchema = z.strictObject({
  grade: z.int().min(1, '残疾等级为1至4级').max(4, '残疾等级为1至4级').meta({ description: '残疾等级 1–4 级' }),
  kind: z.string().max(20).optional().meta({ description: '残疾类别，如 肢体、视力、精神、智力' }),
});

export const EmploymentSchema = z.strictObject({
  status: enumOf(EMPLOYMENT_STATUSES, '就业状态'),
  location: enumOf(WORK_LOCATIONS, '务工地点').optional(),
  stableMonths: z.int().min(0).max(600).optional().meta({ description: '本次稳定就业月数' }),
  willingToWork: z.boolean().optional().meta({ description: '失业人员是否有就业意愿' }),
  socialInsuranceMonths: z.int().min(0).max(600).optional().meta({ description: '现单位为其连续缴纳社会保险费的月数（仍在缴纳）；未缴纳填 0' }),
  placedByAgency: z.boolean().optional().meta({ description: '是否由人力资源服务机构等市场主体免费帮助实现就业' }),
  atAssistanceWorkshop: z.boolean().optional().meta({ description: '是否在就业帮扶车间就业' }),
});

export const InsuranceSchema = z.strictObject({
  medicalEnrolled: z.boolean().optional().meta({ description: '是否参加当年城乡居民医保' }),
  medicalTier: enumOf(INSURANCE_TIERS, '医保档次').optional(),
  pensionEnrolled: z.boolean().optional().meta({ description: '是否参加城乡居民养老保险' }),
  employeeMedicalEnrolled: z.boolean().optional().meta({ description: '是否参加职工医保（参加城乡居民医保者视为否）' }),
});

/** 儿童困境类别 (渝北 2020: 困境儿童, 孤儿, 事实无人抚养儿童); adults are taken as 非困境儿童. */
export const CHILD_STATUSES = ['孤儿', '事实无人抚养儿童', '其他困境儿童', '非困境儿童'] as const;
/** Business kinds the 渝北 2020 action plans address (农家乐, 带贫主体, 涉农小微企业, 展会补贴的云阳企业). */
export const BUSINESS_KINDS = [
  '农家乐', '扶贫龙头企业', '扶贫农民专业合作社', '扶贫车间', '新型农业经营主体',
  '涉农小微企业', '农产品生产加工企业', '云阳县农副产品销售企业', '其他企业',
] as const;
export const MICROCREDIT_STATUSES = ['在贷', '有贷款需求', '无'] as const;

export const BusinessSchema = z.strictObject({
  kinds: z.array(enumOf(BUSINESS_KINDS, '经营主体类型')).default([]).meta({ description: '本户经营或筹办的经营主体类型' }),
  linkedPoorHouseholds: z.int().min(0).max(100000).optional().meta({ description: '经营主体通过利益联结带动的建卡贫困户数' }),
  poorEmployees: z.int().min(0).max(100000).optional().meta({ description: '经营主体吸纳贫困劳动力就业人数' }),
  coldStorage: z.boolean().optional().meta({ description: '是否建设保鲜仓储设施' }),
  loan: z.strictObject({
    amountYuan: yuan.optional().meta({ description: '单户贷款规模（元）' }),
    dueDate: isoDate.optional().meta({ description: '贷款到期日' }),
  }).optional().meta({ description: '经营主体的银行贷款' }),
  revenueDropPercentQ1: z.int().min(0).max(100).optional().meta({ description: '2020年1—3月主营业务收入同比降幅（%，增长填0）' }),
  employees: z.int().min(0).max(1000000).optional().meta({ description: '现有在职职工人数' }),
  qualifiedHirePercent: z.int().min(0).max(1000).optional().meta({ description: '当年新招用符合创业担保贷款申请条件、并签订1年以上劳动合同的人员占现有在职职工人数的百分比（%）' }),
});

export const MicrocreditSchema = z.strictObject({
  status: enumOf(MICROCREDIT_STATUSES, '扶贫小额信贷情况').meta({ description: '扶贫小额信贷：在贷 / 有贷款需求 / 无' }),
  dueDate: isoDate.optional().meta({ description: '在贷扶贫小额信贷的到期日' }),
  covidRepaymentDifficulty: z.boolean().optional().meta({ description: '是否受新冠肺炎疫情影响出现还款困难' }),
  meetsConditions: z.boolean().optional().meta({ description: '是否符合小额贴息贷款的贷款条件' }),
});

export const MemberSchema = z.strictObject({
  name: z.string().min(1, '姓名不能为空').max(50),
  idNumber: z.string().optional().meta({ description: '18位居民身份证号；出生日期与性别由此推出' }),
  birthDate: isoDate.optional().meta({ description: '出生日期（无身份证号时必填）' }),
  sex: enumOf(SEXES, '性别').optional(),
  relation: enumOf(RELATIONS, '与户主关系'),
  localHukou: z.boolean().optional().meta({ description: '是否本市户籍' }),
  school: SchoolingSchema.optional(),
  disability: DisabilitySchema.optional(),
  chronicIllnesses: z.array(z.string().max(50)).optional().meta({ description: '慢性病病种，如 高血压、糖尿病' }),
  seriousIllness: z.boolean().optional().meta({ description: '是否重病患者' }),
  labourAbility: enumOf(LABOUR_ABILITIES, '劳动能力').optional(),
  employment: EmploymentSchema.optional(),
  insurance: InsuranceSchema.optional(),
  mentalIllness: z.strictObject({
    treatment: enumOf(MENTAL_ILLNESS_TREATMENTS, '精神病治疗方式').optional().meta({ description: '住院 / 居家（在家治疗）' }),
  }).optional().meta({ description: '精神病患者及其治疗方式；不填表示非精神病患者' }),
  treatmentHospitalLevel: enumOf(HOSPITAL_LEVELS, '就医医院级别').optional().meta({ description: '慢性病治疗就医的公立医院级别：县级及以下 / 市级 / 省级' }),
  covidPatient: z.boolean().optional().meta({ description: '是否新冠肺炎确诊患者且尚未出院' }),
  childStatus: enumOf(CHILD_STATUSES, '儿童困境类别').optional().meta({ description: '孤儿 / 事实无人抚养儿童 / 其他困境儿童 / 非困境儿童；成年人可不填' }),
  familyDoctorWish: z.boolean().optional().meta({ description: '是否在家且有家庭医生签约意愿' }),
  listedMajorDisease: z.boolean().optional().meta({ description: '是否患有纳入大病集中救治的病种' }),
  trainingWish: z.boolean().optional().meta({ description: '是否有职业技能培训需求' }),
  startupWish: z.boolean().optional().meta({ description: '是否有创业意愿且有创业能力' }),
  collegeGraduationYear: z.int().min(1950).max(2100).optional().meta({ description: '高校（大专及以上）毕业年份' }),
  centralCareWish: z.boolean().optional().meta({ description: '特困人员是否有集中供养意愿' }),
  hukouCounty: z.string().max(30).optional().meta({ description: '户籍所在区县，如 渝中区' }),
  stableIncome: z.boolean().optional().meta({ description: '能否通过产业、就业获得稳定收入' }),
  residencePermitSince: isoDate.nullable().optional().meta({ description: '非本区县户籍者在现居住区县领取居住证的日期；null 表示没有居住证' }),
  monthsAtHomeYearly: z.int().min(0).max(12).optional().meta({ description: '一年中在家的时长（月）' }),
  ableToFarm: z.boolean().optional().meta({ description: '能否正常从事农业劳动生产' }),
  schoolHealthBarrier: enumOf(SCHOOL_HEALTH_BARRIERS, '因病因残就学情况').optional()
    .meta({ description: '6–16周岁儿童因病、因残的就学情况：无法正常入学 / 需延缓入学或休学 / 无' }),
  monthsOutsideCountyYearly: z.int().min(0).max(12).optional().meta({ description: '一年中在县域外务工或居住的时长（月）；0 表示未外出' }),
  parentDisabled: z.boolean().optional().meta({ description: '学生的父母是否为持证残疾人' }),
  suspectedDisability: z.boolean().optional().meta({ description: '是否疑似残疾（尚未办理残疾证）' }),
  meetsTekunCriteria: z.boolean().optional().meta({ description: '是否符合特困供养条件（无劳动能力、无生活来源、无法定赡养扶养抚养义务人或其无履行能力）' }),
  medicalCare: z.strictObject({
    hospitalGrade: enumOf(CARE_HOSPITAL_GRADES, '就医医疗机构等级').optional().meta({ description: '本年度就医的医疗机构等级：一级及以下 / 二级 / 三级' }),
    inPolicySelfPayYuan: yuan.optional().meta({ description: '本年度经基本医保、大病保险、医疗救助支付后，政策范围内个人负担的医疗费用（元）' }),
  }).optional().meta({ description: '本年度就医情况；不填表示本年度未就医' }),
}).superRefine((m, ctx) => {
  let birthDate = m.birthDate;
  if (m.idNumber !== undefined) {
    const problem = checkIdCard(m.idNumber);
    const messages = { format: '身份证号应为18位，前17位为数字，末位为数字或X', birthDate: '身份证号中的出生日期不存在', checksum: '身份证号校验码错误' };
    if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: messages[problem] });
    else {
      const info = readIdCard(m.idNumber);
      if (m.birthDate && m.birthDate !== info.birthDate) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: `出生日期与身份证号不一致（身份证号为 ${info.birthDate}）` });
      if (m.sex && m.sex !== info.sex) ctx.addIssue({ code: 'custom', path: ['sex'], message: `性别与身份证号不一致（身份证号为${info.sex}）` });
      birthDate = info.birthDate;
    }
  }
  if (birthDate === undefined) {
    if (m.idNumber === undefined) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: '缺少出生日期：请填写身份证号或出生日期' });
    return;
  }
  const age = ageOn(birthDate, todayIso());
  if (age < 0) ctx.addIssue({ code: 'custom', path: [m.idNumber ? 'idNumber' : 'birthDate'], message: '出生日期晚于今天' });
  if (age > MAX_AGE) ctx.addIssue({ code: 'custom', path: [m.idNumber ? 'idNumber' : 'birthDate'], message: `年龄超过${MAX_AGE}岁，不合理` });
});

export const AreaSchema = z.strictObject({
  county: z.string().min(1, '区县不能为空').max(30).meta({ description: '区县，如 渝北区', examples: ['渝北区'] }),
  town: z.string().max(30).optional().meta({ description: '镇街' }),
  village: z.string().max(30).optional().meta({ description: '村社' }),
  code: z.string().regex(/^\d{12}$/, '统计用区划代码应为12位数字').optional().meta({ description: '统计用区划代码（12位）' }),
  povertyVillage: z.boolean().optional().meta({ description: '所在村是否为贫困村' }),
});

export const HouseholdSchema = z.strictObject({
  id: z.string().min(1, '户编号不能为空').max(64).meta({ description: '户编号' }),
  area: AreaSchema,
  categories: z.array(CategoryMembershipSchema).default([]).meta({ description: '户类别及其起止日期' }),
  incomePerHead: z.strictObject({
    amountYuan: yuan,
    period: z.enum(['月', '年'], { error: () => '收入周期应为 月 或 年' }),
  }).optional().meta({ description: '家庭人均收入' }),
  housing: z.strictObject({
    grade: enumOf(HOUSING_GRADES, '住房安全等级').optional(),
    rentsSafeHousing: z.boolean().optional().meta({ description: '是否选择长期租住安全房' }),
    lowRentTenant: z.boolean().optional().meta({ description: '是否廉租住房实物配租家庭' }),
    lowRentMonthlyRentYuan: yuan.optional().meta({ description: '廉租住房每月应缴纳租金（元）' }),
    meetsRenovationConditions: z.boolean().optional().meta({ description: '经乡镇、村初判和核查后是否符合农村危房改造条件' }),
    renovationRebuilt: z.boolean().optional().meta({ description: '是否已享受危房新建政策' }),
  }).optional(),
  temporaryAid: z.array(z.strictObject({
    receivedOn: isoDate.meta({ description: '经审核获得临时救助的日期' }),
    kind: z.enum(['急难型', '支出型']).optional().meta({ description: '临时救助类型：急难型 / 支出型' }),
  })).optional().meta({ description: '已获得的临时救助；空数组表示没有获得过' }),
  centralWaterSupply: z.boolean().optional().meta({ description: '是否使用村镇集中供水工程' }),
  hukouType: enumOf(HUKOU_TYPES, '户籍类型').optional().meta({ description: '户籍类型：农村 / 县镇非农 / 城市' }),
  relocated: z.boolean().optional().meta({ description: '是否易地扶贫搬迁户' }),
  doudi: z.boolean().optional().meta({ description: '是否民政兜底保障对象（含扶贫系统中的“两无”人员家庭）' }),
  hardshipCauses: z.array(enumOf(HARDSHIP_CAUSES, '困难原因')).optional()
    .meta({ description: '导致家庭生活困难的突发原因：交通事故、自然灾害、重特大疾病、医疗自付费用过高、其他突发原因、教育支出过高；空数组表示没有' }),
  developsIndustry: z.boolean().optional().meta({ description: '是否发展（或有意愿发展）种养殖等产业增收项目' }),
  agriInsured: z.boolean().optional().meta({ description: '是否参加政策性农业保险' }),
  collectiveDividend: z.boolean().optional().meta({ description: '所在村集体经济组织是否持有财政补助资金股权化改革项目股份并分红' }),
  ecoCompensationLand: z.boolean().optional().meta({ description: '是否有退耕还林地或纳入天然林保护的林地' }),
  wildlifeFarming: z.boolean().optional().meta({ description: '是否养殖受全面禁食影响的野生动物' }),
  livingHardship: z.boolean().optional().meta({ description: '是否基本生活困难' }),
  attendsExpo: z.boolean().optional().meta({ description: '是否参加消费扶贫展会活动' }),
  microcredit: MicrocreditSchema.optional().meta({ description: '扶贫小额信贷' }),
  business: BusinessSchema.optional().meta({ description: '本户经营或筹办的经营主体（农家乐、合作社、企业等）；不填表示无' }),
  cooperativeLinked: z.boolean().optional().meta({ description: '是否已有合作社或新型经营主体与本户形成利益联结（直接帮扶、委托帮扶、股份合作）' }),
  scaleUpCapacity: z.boolean().optional().meta({ description: '是否有扩大种植、养殖、生产经营规模的能力和意愿' }),
  seasonalWaterShortage: z.boolean().optional().meta({ description: '是否出现季节性缺水' }),
  unsoldProduce: z.boolean().optional().meta({ description: '家中农副产品是否出现滞销' }),
  relocatedCentrally: z.boolean().optional().meta({ description: '易地扶贫搬迁户是否为集中安置' }),
  spareLandOrHouse: z.boolean().optional().meta({ description: '是否有富余的土地或房屋可以流转或出租' }),
  childrenCanSupport: z.boolean().optional().meta({ description: '是否有条件较好、有赡养能力的子女' }),
  thirdPartyLiable: z.boolean().optional().meta({ description: '因灾因意外出现困难时是否有第三方责任人' }),
  members: z.array(MemberSchema).min(1, '至少需要一名家庭成员').max(30, '家庭成员不超过30人'),
}).superRefine((h, ctx) => {
  const heads = h.members.filter((m) => m.relation === '户主').length;
  if (heads !== 1) ctx.addIssue({ code: 'custom', path: ['members'], message: `应有且只有一名户主，现有${heads}名` });
  const seen = new Map<string, number>();
  h.members.forEach((m, i) => {
    if (!m.idNumber) return;
    const prev = seen.get(m.idNumber);
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['members', i, 'idNumber'], message: `身份证号与第${prev + 1}名成员重复` });
    seen.set(m.idNumber, i);
  });
});

export type Household = z.infer<typeof HouseholdSchema>;
export type HouseholdInput = z.input<typeof HouseholdSchema>;
export type Member = z.infer<typeof MemberSchema>;
export type CategoryMembership = z.infer<typeof CategoryMembershipSchema>;

/** Age plausibility is checked against the real clock: an input is about people alive now. */
function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
