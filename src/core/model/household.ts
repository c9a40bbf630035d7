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

export const SchoolingSchema = z.strictObject({
  stage: enumOf(SCHOOL_STAGES, '学段'),
  boarding: z.boolean().optional().meta({ description: '是否寄宿' }),
  schoolName: z.string().max(100).optional().meta({ description: '学校名称（正安县按学校确定资助标准）' }),
  urbanSchool: z.boolean().optional().meta({ description: '是否城区学校（否则为农村学校）' }),
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
});

export const InsuranceSchema = z.strictObject({
  medicalEnrolled: z.boolean().optional().meta({ description: '是否参加当年城乡居民医保' }),
  medicalTier: enumOf(INSURANCE_TIERS, '医保档次').optional(),
  pensionEnrolled: z.boolean().optional().meta({ description: '是否参加城乡居民养老保险' }),
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
  }).optional(),
  centralWaterSupply: z.boolean().optional().meta({ description: '是否使用村镇集中供水工程' }),
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
